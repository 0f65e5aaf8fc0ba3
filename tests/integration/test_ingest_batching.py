"""Many add_message calls at once (HTTP clients side by side, one WebSocket sending without waiting) each get their
own answer, in order, after their own events, and every message is stored once."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from tests.integration.live import live_server, ws_client


def test_concurrent_http_adds_are_each_answered_and_stored_once(tmp_path: Path) -> None:
    """40 POSTs from 8 clients at once: 40 answers with distinct ids, 40 pending messages; unusable input among
    them still gets its own 400."""
    with live_server(tmp_path / "data", worker_poll_interval=60.0) as server:

        def post(i: int) -> httpx.Response:
            text = "   " if i == 7 else f"@streamer line {i}"
            return server.http.post("/api/tts/add_message", json={"sent_by": f"viewer{i}", "text": text})

        with ThreadPoolExecutor(8) as pool:
            responses = list(pool.map(post, range(40)))
        statuses = [r.status_code for r in responses]
        assert statuses.count(201) == 39 and statuses[7] == 400
        assert responses[7].json()["field"] == "text"
        ids = {r.json()["id"] for r in responses if r.status_code == 201}
        assert len(ids) == 39
        stored = server.http.get("/api/tts/messages", params={"limit": 100}).json()["messages"]
        assert sorted(m["id"] for m in stored) == sorted(ids)


def test_pipelined_websocket_adds_are_answered_in_order_after_their_events(tmp_path: Path) -> None:
    """30 add_message commands sent without waiting, then stats: answers come in request order, each after its
    message_queued event, and stats (which waits for them) counts all 30."""
    with live_server(tmp_path / "data", worker_poll_interval=60.0) as server, ws_client(server) as client:
        start = len(client.frames)
        for i in range(30):
            command = {"type": "add_message", "request_id": i, "sent_by": f"viewer{i}", "text": f"@streamer hi {i}"}
            client.send_raw(json.dumps(command))
        client.send_raw(json.dumps({"type": "stats", "request_id": "stats"}))
        stats = client.answer("stats")
        frames = client.frames[start:]
        answers = [f for f in frames if f["type"] == "ok"]
        assert [f["request_id"] for f in answers] == [*range(30), "stats"]
        for answer in answers[:-1]:
            queued_at = next(
                i
                for i, f in enumerate(frames)
                if f["type"] == "message_queued" and f["message"]["id"] == answer["result"]["id"]
            )
            assert queued_at < frames.index(answer)
        assert stats["result"]["pending"] + stats["result"]["synthesizing"] + stats["result"]["ready"] == 30
