"""The request guard over real sockets: uvicorn answers refused handshakes with 403 and never logs the token."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect
from websockets.typing import Origin

from tests.integration.live import WAIT, live_server

API = "/api/tts"
TOKEN = "tok-9f2c41d7e3b54a0a8c1e"
EVIL = "https://evil.example"
MENTION = {"sent_by": "viewer", "text": "@streamer hello"}


def refused_handshake(url: str, **options: Any) -> int:
    """The HTTP status a refused WebSocket handshake gets; fails if the server accepts it."""
    with pytest.raises(InvalidStatus) as refused, connect(url, proxy=None, open_timeout=WAIT, **options):
        pass
    return refused.value.response.status_code


def test_cross_site_post_is_refused_over_http(tmp_path: Path) -> None:
    """Over a real socket, a foreign page's POST gets 403 and a text/plain one 415; the queue is unchanged."""
    with live_server(tmp_path / "data") as server:
        assert server.http.post(f"{API}/add_message", json=MENTION).status_code == 201
        cleared = server.http.post(f"{API}/clear_active_queue", headers={"origin": EVIL})
        assert (cleared.status_code, cleared.json()["status_code"]) == (403, 403)
        plain = server.http.post(
            f"{API}/add_message", content=json.dumps(MENTION), headers={"content-type": "text/plain"}
        )
        assert plain.status_code == 415
        messages = server.http.get(f"{API}/messages").json()["messages"]
        assert [m["text"] for m in messages] == [MENTION["text"]]
        assert server.http.get(f"{API}/active_queue_stats").json()["queue_size"] == 1


def test_foreign_websocket_is_refused_with_403_and_own_origin_gets_its_snapshot(tmp_path: Path) -> None:
    """A handshake from another origin gets HTTP 403 before any frame; the panel's own origin gets the snapshot."""
    with live_server(tmp_path / "data") as server:
        assert refused_handshake(server.ws_url, origin=EVIL) == 403
        assert refused_handshake(server.ws_url, origin="null") == 403
        # DNS rebinding: a name of the attacker's that resolves to this machine
        port = server.base_url.rsplit(":", 1)[1]
        with socket.create_connection(("127.0.0.1", int(port)), timeout=WAIT) as rebound:
            assert refused_handshake(f"ws://evil.example:{port}{API}/ws", sock=rebound) == 403
        with connect(server.ws_url, proxy=None, open_timeout=WAIT, origin=Origin(server.base_url)) as connection:
            assert json.loads(connection.recv(timeout=WAIT))["type"] == "snapshot"


def test_websocket_needs_the_token_when_one_is_set(tmp_path: Path) -> None:
    """With TTS_API_TOKEN the handshake without ?token= gets 403; with it the snapshot comes."""
    with live_server(tmp_path / "data", api_token=TOKEN) as server:
        assert refused_handshake(server.ws_url) == 403
        assert refused_handshake(f"{server.ws_url}?token=wrong") == 403
        with connect(f"{server.ws_url}?token={TOKEN}", proxy=None, open_timeout=WAIT) as connection:
            assert json.loads(connection.recv(timeout=WAIT))["type"] == "snapshot"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve_process(data: Path, log: Path, **env: str) -> Iterator[str]:
    """``tts-server serve`` with INFO logs and uvicorn's access log on (``TTS_ACCESS_LOG``, off by default) written
    to ``log``; yields its base URL."""
    port = _free_port()
    variables = {
        **{k: v for k, v in os.environ.items() if not k.startswith("TTS_")},
        "TTS_USERNAME": "streamer",
        "TTS_ENGINE": "tone",
        "TTS_DATABASE_URL": f"sqlite:///{data / 'tts.db'}",
        "TTS_AUDIO_DIR": str(data / "audio"),
        "TTS_LOG_LEVEL": "INFO",
        "TTS_ACCESS_LOG": "true",
        **env,
    }
    command = [sys.executable, "-m", "entrypoints.cli", "serve", "--port", str(port)]
    base_url = f"http://127.0.0.1:{port}"
    with log.open("wb") as output:
        process = subprocess.Popen(command, env=variables, cwd=data, stdout=output, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    if httpx.get(f"{base_url}/health", timeout=WAIT, trust_env=False).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"server did not start: {log.read_text()}")
                time.sleep(0.1)
            yield base_url
        finally:
            process.terminate()
            process.wait(15)


@pytest.mark.slow
def test_access_log_never_holds_the_token(tmp_path: Path) -> None:
    """Pages, API calls, audio and the WebSocket opened with ?token= are logged without it (the real process)."""
    data = tmp_path / "data"
    data.mkdir()
    log = tmp_path / "server.log"
    with serve_process(data, log, TTS_API_TOKEN=TOKEN) as base_url, httpx.Client(trust_env=False) as http:
        assert http.get(f"{base_url}/panel/?token={TOKEN}").status_code == 200
        stats = http.get(f"{base_url}{API}/messages?queue=mentions&token={TOKEN}&limit=5")
        assert stats.status_code == 200
        assert http.get(f"{base_url}/audio/7.wav?token={TOKEN}").status_code == 404
        assert http.get(f"{base_url}{API}/config?token={TOKEN}x").status_code == 401
        ws_url = base_url.replace("http://", "ws://") + f"{API}/ws?token={TOKEN}"
        with connect(ws_url, proxy=None, open_timeout=WAIT) as connection:
            assert json.loads(connection.recv(timeout=WAIT))["type"] == "snapshot"
        assert refused_handshake(ws_url + "x") == 403
    text = log.read_text()
    # the access log was on, with the other query parameters: the test sees what the server logs
    assert '"GET /api/tts/messages?queue=mentions&limit=5 HTTP/1.1" 200' in text
    assert '"GET /audio/7.wav HTTP/1.1" 404' in text
    assert '"WebSocket /api/tts/ws" [accepted]' in text
    assert TOKEN not in text


@pytest.mark.slow
def test_no_line_per_request_unless_asked(tmp_path: Path) -> None:
    """By default (``TTS_ACCESS_LOG`` unset) a request leaves no line in the log; the start-up lines are still there."""
    data = tmp_path / "data"
    data.mkdir()
    log = tmp_path / "server.log"
    with serve_process(data, log, TTS_ACCESS_LOG="false") as base_url, httpx.Client(trust_env=False) as http:
        assert http.get(f"{base_url}{API}/config").status_code == 200
    text = log.read_text()
    assert "serving on http://" in text
    assert "/api/tts/config" not in text
