"""A throwaway PostgreSQL server on loopback for tests: ``initdb`` + ``pg_ctl`` in a temporary directory.

Usage::

    server = PostgresServer.start()          # or PostgresServer.start(base_dir) (see below)
    server.create_database("app")            # optionally template="migrated" (a cheap copy)
    url = server.url("app")                  # "postgresql+psycopg://postgres@127.0.0.1:PORT/app"
    server.drop_database("app")
    server.stop()                            # stops the server and removes its directory

As pytest fixtures: ``postgres_server`` (session-scoped; skips with the reason when PostgreSQL is missing).
Register it in a conftest with ``from tests.support.pg_server import postgres_server  # noqa: F401``.

- The binaries come from ``$TTS_TEST_PG_BIN`` or the newest ``/usr/lib/postgresql/*/bin`` (Debian's
  ``postgresql`` package) or ``pg_config --bindir``; if none is found, ``start`` raises ``PostgresUnavailable``.
- ``initdb`` and ``pg_ctl`` refuse to run as root: as root they run as the ``postgres`` user (``runuser``), in a
  directory owned by that user. ``base_dir`` must then be traversable by it (the default, the system temp
  directory, is; pytest's ``tmp_path`` is not).
- The server listens on 127.0.0.1 only, on a free port, with its unix socket in its own directory, trust
  authentication for the superuser ``postgres``, and durability off (fsync, synchronous_commit): test data only.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

SUPERUSER = "postgres"
MAX_CONNECTIONS = 200
START_ATTEMPTS = 3


class PostgresUnavailable(RuntimeError):
    """PostgreSQL's server binaries, or the unprivileged user to run them as, are missing."""


def find_bindir() -> Path:
    """The directory holding ``initdb``, ``pg_ctl`` and ``postgres``; ``PostgresUnavailable`` if none."""
    candidates: list[Path] = []
    if configured := os.environ.get("TTS_TEST_PG_BIN"):
        candidates.append(Path(configured))
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=_version, reverse=True)
    if pg_config := shutil.which("pg_config"):
        found = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        candidates.append(Path(found.stdout.strip()))
    for candidate in candidates:
        if all((candidate / name).is_file() for name in ("initdb", "pg_ctl", "postgres")):
            return candidate
    raise PostgresUnavailable(
        "PostgreSQL server binaries not found (install Debian's `postgresql` package or set TTS_TEST_PG_BIN)"
    )


def _version(bindir: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in bindir.parent.name.split(".") if part.isdigit())


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PostgresServer:
    """One running PostgreSQL server owned by this process."""

    def __init__(self, *, bindir: Path, root: Path, port: int, run_as: str | None) -> None:
        self.bindir = bindir
        self.root = root
        self.port = port
        self.host = "127.0.0.1"
        self._run_as = run_as
        self._stopped = False

    @classmethod
    def start(cls, base_dir: Path | None = None) -> PostgresServer:
        """Create a cluster in a new directory under ``base_dir`` (default: the system temp dir) and start it."""
        bindir = find_bindir()
        run_as = _unprivileged_user()
        root = Path(tempfile.mkdtemp(prefix="tts-pg-", dir=base_dir))
        if run_as is not None:
            record = pwd.getpwnam(run_as)
            os.chown(root, record.pw_uid, record.pw_gid)
        server = cls(bindir=bindir, root=root, port=0, run_as=run_as)
        try:
            server._init_cluster()
            server._start_on_free_port()
        except BaseException:
            server.stop()
            raise
        atexit.register(server.stop)
        return server

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def log_file(self) -> Path:
        return self.root / "server.log"

    def url(self, dbname: str = "postgres", driver: str = "psycopg") -> str:
        """A SQLAlchemy URL for ``dbname`` (``postgresql+psycopg://…`` by default)."""
        return f"postgresql+{driver}://{SUPERUSER}@{self.host}:{self.port}/{dbname}"

    def dsn(self, dbname: str = "postgres") -> str:
        """A libpq connection string for ``dbname`` (for psycopg or psql)."""
        return f"host={self.host} port={self.port} user={SUPERUSER} dbname={dbname}"

    def execute(self, sql: str, dbname: str = "postgres") -> None:
        """Run one statement outside a transaction (e.g. CREATE DATABASE) as the superuser."""
        import psycopg

        with psycopg.connect(self.dsn(dbname), autocommit=True) as connection:
            connection.execute(sql.encode())

    def create_database(self, name: str, template: str | None = None) -> str:
        """Create database ``name`` (a copy of ``template`` if given: it must have no open connections);
        return its URL."""
        copy = f' TEMPLATE "{template}" STRATEGY FILE_COPY' if template else ""
        self.execute(f'CREATE DATABASE "{name}"{copy}')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        """Drop database ``name``, disconnecting whoever is still connected."""
        self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        """Stop the server (fast, no checkpoint) and remove its directory; safe to call twice."""
        if self._stopped:
            return
        self._stopped = True
        if (self.data_dir / "postmaster.pid").exists():
            self._run(["pg_ctl", "-D", str(self.data_dir), "-m", "immediate", "-w", "stop"], check=False)
        shutil.rmtree(self.root, ignore_errors=True)

    def _init_cluster(self) -> None:
        self._run(
            [
                "initdb",
                "-D",
                str(self.data_dir),
                "-U",
                SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            ]
        )

    def _start_on_free_port(self) -> None:
        # another process may take the probed port before the server binds it: try a few
        for attempt in range(START_ATTEMPTS):
            self.port = _free_port()
            options = " ".join(
                [
                    "-c listen_addresses=127.0.0.1",
                    f"-c port={self.port}",
                    f"-c unix_socket_directories={self.root}",
                    f"-c max_connections={MAX_CONNECTIONS}",
                    "-c fsync=off -c synchronous_commit=off -c full_page_writes=off",
                ]
            )
            start = ["pg_ctl", "-D", str(self.data_dir), "-l", str(self.log_file), "-w", "-t", "60", "-o", options]
            started = self._run([*start, "start"], check=False)
            if started.returncode == 0:
                return
            if attempt == START_ATTEMPTS - 1:
                log = self.log_file.read_text(errors="replace")[-2000:] if self.log_file.exists() else ""
                raise RuntimeError(f"PostgreSQL did not start: {started.stderr.strip()}\n{log}")
            time.sleep(0.2)

    def _run(self, argv: Sequence[str], *, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = [str(self.bindir / argv[0]), *argv[1:]]
        if self._run_as is not None:
            command = ["runuser", "-u", self._run_as, "--", *command]
        done = subprocess.run(command, cwd=self.root, capture_output=True, text=True, check=False)
        if check and done.returncode != 0:
            raise RuntimeError(f"{argv[0]} failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}")
        return done


def _unprivileged_user() -> str | None:
    """Whom to run the server as: nobody else when not root, else the ``postgres`` user."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(SUPERUSER)
    except KeyError:
        raise PostgresUnavailable("running as root and there is no `postgres` user to run PostgreSQL as") from None
    if shutil.which("runuser") is None:
        raise PostgresUnavailable("running as root and `runuser` is missing (util-linux)")
    return SUPERUSER


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server for the whole test session; the test skips (with the reason) when it is unavailable."""
    try:
        server = PostgresServer.start()
    except PostgresUnavailable as missing:
        pytest.skip(str(missing))
    try:
        yield server
    finally:
        with contextlib.suppress(Exception):
            server.stop()
