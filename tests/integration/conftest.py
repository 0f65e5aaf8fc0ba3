"""Integration fixtures: the real app on real SQLite and a temporary audio directory; PostgreSQL databases."""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from litestar.testing import TestClient

from adapters.sql import create_sql_engine, upgrade_to_head
from entrypoints.http.app import create_app
from tests.integration.live import make_container
from tests.support.pg_server import PostgresServer, postgres_server  # noqa: F401  (a session fixture)

if TYPE_CHECKING:
    from tests.integration.s3_emulator import S3Emulator

AppFactory = Callable[..., Any]
_database_numbers = itertools.count(1)
BASE_URL = "http://127.0.0.1:8008"
"""Where the test client sends its requests: a loopback Host, as the server only answers to such names."""


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def running_app(data_dir: Path) -> Callable[..., Any]:
    """Start the real app (migrations, worker, tone engine) as a context manager yielding a test client.

    ``providers`` overrides container providers by name (e.g. ``{"synthesizer": FakeSynthesizer()}``).
    """

    @contextmanager
    def start(providers: dict[str, Any] | None = None, **overrides: Any) -> Iterator[TestClient[Any]]:
        container = make_container(data_dir, providers, **overrides)
        with TestClient(create_app(container), base_url=BASE_URL) as client:
            client.container = container  # type: ignore[attr-defined]
            yield client
        container.sql_engine().dispose()

    return start


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Poll ``condition`` until true or fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError("condition not met in time")


def settled(client: TestClient[Any]) -> bool:
    """Whether no message of either queue is pending or being synthesized."""
    for queue in ("mentions", "bits"):
        for status in ("pending", "synthesizing"):
            found = client.get("/api/tts/messages", params={"queue": queue, "status": status}).json()
            if found["count"]:
                return False
    return True


@pytest.fixture(scope="session")
def migrated_postgres_template(postgres_server: PostgresServer) -> str:  # noqa: F811
    """The name of a database on the test server migrated to the newest schema, for cheap copies."""
    name = "tts_migrated"
    engine = create_sql_engine(postgres_server.create_database(name))
    upgrade_to_head(engine)
    engine.dispose()  # a template must have no open connections when it is copied
    return name


def fresh_postgres_database(server: PostgresServer, template: str) -> tuple[str, Callable[[], None]]:
    """A new database copied from ``template``: its URL and a function that drops it."""
    name = f"tts_{os.getpid()}_{next(_database_numbers)}"
    return server.create_database(name, template=template), lambda: server.drop_database(name)


@pytest.fixture
def postgres_url(postgres_server: PostgresServer, migrated_postgres_template: str) -> Iterator[str]:  # noqa: F811
    """The URL of a fresh database migrated to the newest schema, dropped after the test."""
    url, drop = fresh_postgres_database(postgres_server, migrated_postgres_template)
    yield url
    drop()


@pytest.fixture
def fake_aws_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Credentials that are not real, and none of the machine's own AWS configuration."""
    from tests.integration.s3_emulator import FAKE_CREDENTIALS, isolated_aws_environment

    for name, value in {**FAKE_CREDENTIALS, **isolated_aws_environment(tmp_path)}.items():
        monkeypatch.setenv(name, value)


@pytest.fixture(scope="session")
def s3_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Emulator]:
    """moto's S3 server on loopback for the whole run, with fake credentials in this process's environment."""
    from tests.integration.s3_emulator import FAKE_CREDENTIALS, isolated_aws_environment, running_emulator

    home = tmp_path_factory.mktemp("aws")
    with pytest.MonkeyPatch.context() as patch, running_emulator() as emulator:
        for name, value in {**FAKE_CREDENTIALS, **isolated_aws_environment(home)}.items():
            patch.setenv(name, value)
        yield emulator
