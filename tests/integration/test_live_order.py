"""Live state ordered and true: many clients adding at once while the worker commits, on a real uvicorn.

Every client's event frames carry ``seq`` in increasing order, newer than its snapshot; none is lost; and the
last ``queue_changed`` every client received for the active queue is what ``active_queue_stats`` says.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import httpx
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from tests.integration.live import WAIT, LiveServer, live_server, wait_until

Frame = dict[str, Any]
CLIENTS = 5
HTTP_ADDERS = 4
PER_ADDER = 12
PER_CLIENT = 8
TOTAL = HTTP_ADDERS * PER_ADDER + CLIENTS * PER_CLIENT
COUNT_KEYS = ("queue_size", "pending", "synthesizing", "ready", "playing", "audio_bytes")


class Listener:
    """A WebSocket client whose thread keeps every frame it receives, in order, from its snapshot on."""

    def __init__(self, connection: ClientConnection) -> None:
        self.connection = connection
        self.snapshot: Frame = json.loads(connection.recv(timeout=WAIT))
        assert self.snapshot["type"] == "snapshot"
        self.frames: list[Frame] = []
        self._ids = itertools.count(1)
        self._thread = threading.Thread(target=self._read, name="ws-listener", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        try:
            for data in self.connection:
                self.frames.append(json.loads(data))
        except ConnectionClosed:
            return

    def add(self, text: str) -> None:
        self.connection.send(
            json.dumps({"type": "add_message", "request_id": next(self._ids), "sent_by": "ws", "text": text})
        )

    @property
    def events(self) -> list[Frame]:
        """Frames that are events (answers to commands carry no ``seq``)."""
        return [f for f in list(self.frames) if f["type"] not in ("ok", "error")]

    def last_counts(self, queue: str) -> dict[str, Any] | None:
        changes = [f for f in self.events if f["type"] == "queue_changed" and f["queue"] == queue]
        return {k: changes[-1][k] for k in COUNT_KEYS} if changes else None

    def answers(self) -> list[Frame]:
        return [f for f in list(self.frames) if f["type"] in ("ok", "error")]


@contextmanager
def listeners(server: LiveServer, count: int) -> Iterator[list[Listener]]:
    with ExitStack() as stack:
        yield [
            Listener(stack.enter_context(connect(server.ws_url, proxy=None, open_timeout=WAIT))) for _ in range(count)
        ]


def test_every_client_sees_events_in_commit_order_and_ends_with_the_true_counts(tmp_path: Path) -> None:
    """Concurrent adds over HTTP and WebSockets while the worker makes audio: each client's ``seq`` strictly
    increases past its snapshot's, it gets every message's queued and ready events, and its last
    ``queue_changed`` equals ``GET /api/tts/active_queue_stats``."""
    with live_server(tmp_path / "data") as server, listeners(server, CLIENTS) as clients:
        start = threading.Barrier(HTTP_ADDERS + CLIENTS)
        failures: list[BaseException] = []

        def over_http(adder: int) -> None:
            try:
                with httpx.Client(base_url=server.base_url, timeout=WAIT, trust_env=False) as http:
                    start.wait(WAIT)
                    for i in range(PER_ADDER):
                        body = {"sent_by": "viewer", "text": f"@streamer http {adder} says {i}"}
                        assert http.post("/api/tts/add_message", json=body).status_code == 201
            except BaseException as error:  # reported in the test's thread
                failures.append(error)

        def over_websocket(client: Listener, number: int) -> None:
            try:
                start.wait(WAIT)
                for i in range(PER_CLIENT):
                    client.add(f"@streamer socket {number} says {i}")
            except BaseException as error:
                failures.append(error)

        adders = [threading.Thread(target=over_http, args=(n,)) for n in range(HTTP_ADDERS)]
        adders += [threading.Thread(target=over_websocket, args=(c, n)) for n, c in enumerate(clients)]
        for thread in adders:
            thread.start()
        for thread in adders:
            thread.join(WAIT * 4)
        assert not failures, failures

        def quiet() -> bool:
            stats = server.http.get("/api/tts/active_queue_stats").json()
            return bool(stats["queue_size"] == TOTAL and stats["pending"] == 0 and stats["synthesizing"] == 0)

        wait_until(quiet, "every message ready", timeout=60)
        stats = server.http.get("/api/tts/active_queue_stats").json()
        truth = {k: stats[k] for k in COUNT_KEYS}
        active = stats["active_queue"]
        wait_until(lambda: all(c.last_counts(active) == truth for c in clients), "each client's counts to catch up", 20)
        wait_until(lambda: sum(len(c.answers()) for c in clients) == CLIENTS * PER_CLIENT, "every answer")

        kinds = [f["type"] for f in clients[0].events if f["type"] in ("message_queued", "message_ready")]
        last_queued = len(kinds) - 1 - kinds[::-1].index("message_queued")
        assert "message_ready" in kinds[:last_queued], "the worker committed nothing while messages came in"

        for number, client in enumerate(clients):
            seqs = [f["seq"] for f in client.events]
            assert all(isinstance(s, int) for s in seqs), f"client {number}: an event without seq"
            assert all(a < b for a, b in itertools.pairwise(seqs)), f"client {number}: seq not increasing: {seqs}"
            assert seqs[0] > client.snapshot["seq"], f"client {number}: an event older than its snapshot"
            for kind in ("message_queued", "message_ready"):
                ids = {f["message"]["id"] for f in client.events if f["type"] == kind}
                assert len(ids) == TOTAL, f"client {number}: {TOTAL - len(ids)} {kind} events missing"
            assert client.last_counts(active) == truth
            assert all(a["type"] == "ok" and a["result"]["queued"] for a in client.answers())
