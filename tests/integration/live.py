"""A real uvicorn serving the real app in a thread, and a WebSocket client that reads frames with bounded waits."""

from __future__ import annotations

import itertools
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import attrs
import httpx
import uvicorn
from websockets.sync.client import ClientConnection, connect

from entrypoints.container import Container, build_container
from entrypoints.http.app import create_app
from entrypoints.settings import load_settings
from tts_core.ports import Clock, Synthesizer

Frame = dict[str, Any]
WAIT = 5.0
"""Longest wait for a frame that should come; never a timed assertion."""


@attrs.define
class LiveServer:
    """Where the running server answers, and its container (to reach the driver and the clock)."""

    base_url: str
    container: Container
    http: httpx.Client

    @property
    def ws_url(self) -> str:
        return self.base_url.replace("http://", "ws://") + "/api/tts/ws"

    def post_chat(self, text: str, **extra: Any) -> Frame:
        """POST add_message and return the created message."""
        response = self.http.post("/api/tts/add_message", json={"sent_by": "viewer", "text": text, **extra})
        assert response.status_code == 201, response.text
        body: Frame = response.json()
        return body

    def message(self, message_id: int) -> Frame:
        body: Frame = self.http.get(f"/api/tts/messages/{message_id}").json()
        return body


def make_container(data_dir: Path, providers: dict[str, Any] | None = None, **overrides: Any) -> Container:
    """A migrated container for tests: tone engine, SQLite and audio under ``data_dir``, fast worker polling.

    ``providers`` replaces container providers by name (e.g. ``{"clock": ManualClock()}``); ``overrides`` are settings.
    """
    from adapters.sql import upgrade_to_head

    settings = load_settings(
        **{
            "username": "streamer",
            "engine": "tone",
            "database_url": f"sqlite:///{data_dir / 'tts.db'}",
            "audio_dir": data_dir / "audio",
            "worker_poll_interval": 0.05,
            **overrides,
        }
    )
    container = build_container(settings)
    for name, replacement in (providers or {}).items():
        getattr(container, name).override(replacement)
    upgrade_to_head(container.sql_engine())
    return container


@contextmanager
def live_server(
    data_dir: Path, *, clock: Clock | None = None, synthesizer: Synthesizer | None = None, **overrides: Any
) -> Iterator[LiveServer]:
    """Run the app (tone engine, SQLite and audio under ``data_dir``) on a free port until the block ends.

    ``clock`` and ``synthesizer`` replace the container's providers; ``overrides`` are settings. With an
    ``api_token`` the server's ``http`` client sends it as a Bearer token.
    """
    providers = {name: p for name, p in (("clock", clock), ("synthesizer", synthesizer)) if p is not None}
    container = make_container(data_dir, providers, **overrides)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(container), log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, name="uvicorn", daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: server.started, "uvicorn did not start")
        token = overrides.get("api_token")
        headers = {"authorization": f"Bearer {token}"} if token else {}  # the App's way to send TTS_API_TOKEN
        with httpx.Client(base_url=base_url, timeout=WAIT, trust_env=False, headers=headers) as http:
            yield LiveServer(base_url=base_url, container=container, http=http)
    finally:
        server.should_exit = True
        thread.join(10)
        listener.close()
        container.sql_engine().dispose()
        container.clock.reset_override()
        container.synthesizer.reset_override()


def wait_until(condition: Callable[[], bool], message: str, timeout: float = WAIT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(message)
        time.sleep(0.01)


class WsClient:
    """A connected App: sends commands and keeps every frame it received, in order.

    :meth:`until` and :meth:`answer` return the oldest frame not returned before that matches, reading
    more only when none of the frames already received does.
    """

    _ids = itertools.count(1)

    def __init__(self, connection: ClientConnection) -> None:
        self.connection = connection
        self.frames: list[Frame] = []
        self._claimed: set[int] = set()

    def send_raw(self, data: str | bytes) -> None:
        self.connection.send(data)

    def receive(self, timeout: float = WAIT) -> Frame:
        """The next frame from the socket; fails after ``timeout`` seconds without one."""
        frame: Frame = json.loads(self.connection.recv(timeout=timeout))
        self.frames.append(frame)
        return frame

    def first(self, where: Callable[[Frame], bool], what: str, timeout: float = WAIT) -> Frame:
        """The oldest unclaimed frame matching ``where``, waiting up to ``timeout`` seconds for it."""
        deadline = time.monotonic() + timeout
        index = 0
        while True:
            while index < len(self.frames):
                if index not in self._claimed and where(self.frames[index]):
                    self._claimed.add(index)
                    return self.frames[index]
                index += 1
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no {what} in {timeout} s; got {[f['type'] for f in self.frames]}")
            self.receive(timeout=remaining)

    def until(self, kind: str, where: Callable[[Frame], bool] = lambda _: True, timeout: float = WAIT) -> Frame:
        """The oldest unclaimed frame of type ``kind`` matching ``where``."""
        return self.first(lambda f: f["type"] == kind and where(f), f"{kind!r} frame", timeout)

    def answer(self, request_id: int | str | None) -> Frame:
        """The answer (ok or error) carrying ``request_id``."""
        return self.first(
            lambda f: f["type"] in ("ok", "error") and f.get("request_id") == request_id, f"answer {request_id!r}"
        )

    def command(self, kind: str, **fields: Any) -> Frame:
        """Send a command and return its answer; the events received before it stay in ``frames``."""
        request_id = next(self._ids)
        self.send_raw(json.dumps({"type": kind, "request_id": request_id, **fields}))
        return self.answer(request_id)

    def types_since(self, start: int) -> list[str]:
        """Types of the frames received from index ``start`` on."""
        return [f["type"] for f in self.frames[start:]]


@contextmanager
def ws_client(server: LiveServer) -> Iterator[WsClient]:
    """A client connected to ``server``, its snapshot already read (it is ``frames[0]``)."""
    with connect(server.ws_url, proxy=None, open_timeout=WAIT) as connection:
        client = WsClient(connection)
        snapshot = client.receive()
        assert snapshot["type"] == "snapshot"
        yield client
