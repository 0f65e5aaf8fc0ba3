"""Real ``tts-server`` processes sharing one database and one audio directory: API processes and workers."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import attrs
import httpx
from websockets.sync.client import connect

from tests.integration.process import SRC, START_SECONDS, free_port, wait_for

Frame = dict[str, Any]


@attrs.define
class Fleet:
    """Where the processes keep their logs, and what every one of them is given."""

    root: Path
    database_url: str
    env: dict[str, str] = attrs.Factory(dict)
    processes: list[subprocess.Popen[bytes]] = attrs.Factory(list)

    @property
    def audio_dir(self) -> Path:
        return self.root / "audio"

    def _environment(self, extra: dict[str, str]) -> dict[str, str]:
        return {
            **{k: v for k, v in os.environ.items() if not k.startswith("TTS_")},
            "PYTHONPATH": os.pathsep.join([str(SRC), *filter(None, [os.environ.get("PYTHONPATH")])]),
            "TTS_USERNAME": "streamer",
            "TTS_ENGINE": "tone",
            "TTS_DATABASE_URL": self.database_url,
            "TTS_AUDIO_DIR": str(self.audio_dir),
            **self.env,
            **extra,
        }

    def _start(self, name: str, args: list[str], env: dict[str, str]) -> tuple[subprocess.Popen[bytes], Path]:
        log_path = self.root / f"{name}.log"
        with log_path.open("ab") as log:
            command = [sys.executable, "-m", "entrypoints.cli", *args]
            process = subprocess.Popen(command, env=self._environment(env), cwd=self.root, stdout=log, stderr=log)
        self.processes.append(process)
        return process, log_path

    def api(self, name: str = "api", **env: str) -> httpx.Client:
        """Start ``serve --no-worker`` and return an HTTP client for it once it answers."""
        port = free_port()
        process, log = self._start(name, ["serve", "--no-worker", "--port", str(port)], env)
        http = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10, trust_env=False)
        deadline = time.monotonic() + START_SECONDS
        while not _answers(http):
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"{name} did not start: {log.read_text()}")
            time.sleep(0.05)
        return http

    def worker(self, name: str, **env: str) -> subprocess.Popen[bytes]:
        """Start ``tts-server worker`` and return once it says it runs."""
        process, log = self._start(name, ["worker"], {"TTS_LOG_LEVEL": "INFO", **env})
        wait_for(
            lambda: process.poll() is not None or "synthesis worker running" in log.read_text(),
            f"{name} to start",
            timeout=START_SECONDS,
        )
        assert process.poll() is None, log.read_text()
        return process

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)


def _answers(http: httpx.Client) -> bool:
    try:
        return http.get("/health").status_code == 200
    except httpx.TransportError:
        return False


class Listener:
    """A WebSocket client on an API process that records every frame in a thread."""

    def __init__(self, http: httpx.Client) -> None:
        url = str(http.base_url).replace("http://", "ws://").rstrip("/") + "/api/tts/ws"
        self._stack = ExitStack()
        self._connection = self._stack.enter_context(connect(url, proxy=None, open_timeout=10, max_size=None))
        self.snapshot: Frame = json.loads(self._connection.recv(timeout=10))
        self.frames: list[Frame] = []
        self._thread = threading.Thread(target=self._read, name="ws-listener", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        try:
            for data in self._connection:
                self.frames.append(json.loads(data))
        except Exception:
            pass

    def of_type(self, kind: str) -> list[Frame]:
        return [f for f in list(self.frames) if f["type"] == kind]

    def close(self) -> None:
        self._stack.close()
        self._thread.join(5)


@contextmanager
def fleet(root: Path, database_url: str, **env: str) -> Iterator[Fleet]:
    """A fleet whose processes are all stopped (SIGTERM, then SIGKILL) when the block ends."""
    root.mkdir(parents=True, exist_ok=True)
    running = Fleet(root=root, database_url=database_url, env=env)
    try:
        yield running
    finally:
        running.stop_all()
