"""A real ``tts-server serve`` subprocess on loopback (tone engine), and polling helpers with deadlines."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import attrs
import httpx

import entrypoints

SRC = Path(entrypoints.__file__).resolve().parent.parent
"""The ``src`` directory this test imports: the child process must run the same code."""
START_SECONDS = 30.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 20.0) -> None:
    """Return as soon as ``condition()`` holds; fail naming ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)


@attrs.define
class Served:
    """A running server process and an HTTP client for it."""

    process: subprocess.Popen[bytes]
    http: httpx.Client
    data: Path

    @property
    def audio_dir(self) -> Path:
        return self.data / "audio"

    def add(self, text: str) -> int:
        response = self.http.post("/api/tts/add_message", json={"sent_by": "viewer", "text": text})
        assert response.status_code == 201, response.text
        return int(response.json()["id"])

    def stats(self) -> dict[str, Any]:
        body: dict[str, Any] = self.http.get("/api/tts/active_queue_stats").json()
        return body

    def messages(self, **params: Any) -> list[dict[str, Any]]:
        """Every message matching ``params`` (all pages), newest first."""
        found: list[dict[str, Any]] = []
        before: int | None = None
        while True:
            page = {**params, "limit": 1000, **({"before_id": before} if before else {})}
            batch: list[dict[str, Any]] = self.http.get("/api/tts/messages", params=page).json()["messages"]
            found.extend(batch)
            if len(batch) < 1000:
                return found
            before = batch[-1]["id"]

    def statuses(self, ids: list[int]) -> dict[int, str]:
        return {m["id"]: m["status"] for m in self.messages() if m["id"] in ids}

    def quiet(self) -> bool:
        stats = self.stats()
        return bool(stats["pending"] == 0 and stats["synthesizing"] == 0)


@contextmanager
def serve(data: Path, **env: str) -> Iterator[Served]:
    """``tts-server serve`` with its data under ``data``, until the block ends (then SIGTERM, if still running)."""
    port = free_port()
    variables = {
        **{k: v for k, v in os.environ.items() if not k.startswith("TTS_")},
        "PYTHONPATH": os.pathsep.join([str(SRC), *filter(None, [os.environ.get("PYTHONPATH")])]),
        "TTS_USERNAME": "streamer",
        "TTS_ENGINE": "tone",
        "TTS_DATABASE_URL": f"sqlite:///{data / 'tts.db'}",
        "TTS_AUDIO_DIR": str(data / "audio"),
        "TTS_WORKER_POLL_INTERVAL": "0.05",
        "TTS_LOG_LEVEL": "WARNING",
        **env,
    }
    command = [sys.executable, "-m", "entrypoints.cli", "serve", "--port", str(port)]
    with (data / "server.log").open("ab") as log:
        process = subprocess.Popen(command, env=variables, cwd=data, stderr=log)
    http = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=5, trust_env=False)
    try:
        deadline = time.monotonic() + START_SECONDS
        while not _answers(http):
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"server did not start: {(data / 'server.log').read_text()}")
            time.sleep(0.05)
        yield Served(process=process, http=http, data=data)
    finally:
        http.close()
        if process.poll() is None:
            process.terminate()
            process.wait(15)


def _answers(http: httpx.Client) -> bool:
    try:
        return http.get("/health").status_code == 200
    except httpx.TransportError:
        return False


def database_statuses(data: Path) -> Counter[str]:
    """Messages by status, read from the SQLite file directly (no server, so nothing recovers first)."""
    with closing(sqlite3.connect(data / "tts.db")) as db:
        return Counter(dict(db.execute("SELECT status, count(*) FROM message GROUP BY status")))


def database_rows(data: Path) -> dict[int, tuple[str, str | None, int | None]]:
    """Each message's (status, audio_ref, audio_size_bytes), read from the SQLite file directly."""
    with closing(sqlite3.connect(data / "tts.db")) as db:
        query = "SELECT id, status, audio_ref, audio_size_bytes FROM message"
        return {row[0]: (row[1], row[2], row[3]) for row in db.execute(query)}
