"""The real server process: `tts-server serve` under uvicorn on loopback, stopped cleanly and killed with -9."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def server(data: Path, **env: str) -> Iterator[tuple[httpx.Client, subprocess.Popen[bytes]]]:
    port = free_port()
    variables = {
        **{k: v for k, v in os.environ.items() if not k.startswith("TTS_")},
        "TTS_USERNAME": "streamer",
        "TTS_ENGINE": "tone",
        "TTS_DATABASE_URL": f"sqlite:///{data / 'tts.db'}",
        "TTS_AUDIO_DIR": str(data / "audio"),
        "TTS_WORKER_POLL_INTERVAL": "0.05",
        "TTS_LOG_LEVEL": "WARNING",
        **env,
    }
    command = [sys.executable, "-m", "entrypoints.cli", "serve", "--port", str(port)]
    process = subprocess.Popen(command, env=variables, cwd=data, stderr=subprocess.PIPE)
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=5)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if client.get("/health").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"server did not start: {process.stderr.read() if process.stderr else ''!r}")
            time.sleep(0.1)
        yield client, process
    finally:
        client.close()
        if process.poll() is None:
            process.terminate()
            process.wait(15)


def wait_for(client: httpx.Client, predicate: object, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate(client):  # type: ignore[operator]
            return
        time.sleep(0.05)
    raise AssertionError("timed out")


def all_ready(client: httpx.Client) -> bool:
    stats = client.get("/api/tts/active_queue_stats").json()
    return bool(stats["pending"] == 0 and stats["synthesizing"] == 0)


def test_serve_end_to_end_and_clean_shutdown(tmp_path: Path) -> None:
    """Over real HTTP: post, wait for the WAV, download it; SIGTERM ends the process with code 0."""
    with server(tmp_path) as (client, process):
        created = client.post("/api/tts/add_message", json={"sent_by": "v", "text": "@streamer hello from uvicorn"})
        assert created.status_code == 201
        wait_for(client, all_ready)
        message = client.post("/api/tts/play_next").json()
        wav = client.get(message["audio_url"])
        assert wav.headers["content-type"] == "audio/wav"
        assert len(wav.content) == message["audio_size_bytes"]
        process.send_signal(signal.SIGINT)
        assert process.wait(15) == 0
