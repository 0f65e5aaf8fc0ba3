"""The /api/tts/ws protocol on a real uvicorn: snapshot, every command, the events of a message's life, two clients."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from adapters.memory import FakeSynthesizer
from tests.integration.live import LiveServer, WsClient, live_server, wait_until, ws_client

API = "/api/tts"


@pytest.fixture
def server(tmp_path: Path) -> Any:
    with live_server(tmp_path / "data") as running:
        yield running


@pytest.fixture(scope="module")
def shared_server(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """One server for tests that change nothing."""
    with live_server(tmp_path_factory.mktemp("shared") / "data") as running:
        yield running


def ready_messages(server: LiveServer, *texts: str) -> list[int]:
    """Post mentions over HTTP and wait until they are ready."""
    ids = [server.post_chat(text)["id"] for text in texts]
    wait_until(lambda: all(server.message(i)["status"] == "ready" for i in ids), "messages not ready")
    return ids


def test_snapshot_comes_first_and_shows_the_state(server: LiveServer) -> None:
    """On connect the first frame is the snapshot: queue, counts, toggle, loop, what plays, messages, engine."""
    first, second = ready_messages(server, "@streamer one", "@streamer two")
    assert server.http.post(f"{API}/play_next").json()["id"] == first
    server.http.post(f"{API}/autoplay/start")
    with ws_client(server) as client:
        snapshot = client.frames[0]
    assert snapshot["type"] == "snapshot"
    assert (snapshot["active_queue"], snapshot["queue_size"], snapshot["ready"], snapshot["playing"]) == (
        "mentions",
        1,
        1,
        1,
    )
    assert (snapshot["autoplay"], snapshot["autoplay_running"], snapshot["autoplay_cooldown"]) == (True, False, 10.0)
    assert snapshot["now_playing"]["id"] == first
    assert [(m["id"], m["status"]) for m in snapshot["messages"]] == [(first, "playing"), (second, "ready")]
    assert snapshot["engine"]["ready"] is True
    assert snapshot["engine"]["name"] == "tone"
    assert snapshot["mentions_audio_budget_bytes"] == 200 * 1024 * 1024


def test_every_command_is_answered(server: LiveServer) -> None:
    """Each command gets an ok answer carrying its request_id and result."""
    with ws_client(server) as client:
        added = client.command("add_message", sent_by="viewer", text="@streamer hello there")
        assert (added["type"], added["command"]) == ("ok", "add_message")
        assert isinstance(added["request_id"], int)
        assert (added["result"]["queued"], added["result"]["status"]) == (True, "pending")
        message_id = added["result"]["id"]
        ignored = client.command("add_message", sent_by="viewer", text="just chatting")
        assert ignored["result"] == {"queued": False, "reason": "no_mention", "detail": ignored["result"]["detail"]}
        client.until("message_ready", lambda f: f["message"]["id"] == message_id)

        stats = client.command("stats")["result"]
        assert (stats["queue_size"], stats["ready"], stats["autoplay_running"]) == (1, 1, False)
        assert client.command("switch_queue", queue_type="bits")["result"] == {"active_queue": "bits"}
        assert client.command("play")["result"]["message"] is None  # bits has nothing ready
        assert client.command("switch_queue", queue_type="mentions")["result"] == {"active_queue": "mentions"}
        assert client.command("autoplay", enabled=True)["result"] == {"autoplay": True, "running": False}
        assert client.command("autoplay", enabled=False)["result"] == {"autoplay": False, "running": False}

        played = client.command("play")["result"]
        assert (played["autoplay"], played["message"]["id"], played["message"]["status"]) == (
            False,
            message_id,
            "playing",
        )
        assert client.command("played", id=message_id)["result"]["status"] == "played"
        assert client.command("stop")["result"] == {"message_ids": [], "running": False}

        other = client.command("add_message", sent_by="viewer", text="@streamer clear me")["result"]["id"]
        cleared = client.command("clear")["result"]
        assert (cleared["queue"], cleared["message_ids"]) == ("mentions", [other])
        snapshot = client.command("snapshot")["result"]
        assert (snapshot["type"], snapshot["queue_size"]) == ("snapshot", 0)


@pytest.mark.parametrize(
    ("frame", "code", "field"),
    [
        ("not json", "malformed", None),
        ("[1, 2]", "malformed", None),
        ('{"type": 5}', "malformed", "type"),
        ('{"type": "dance"}', "unknown_command", None),
        ('{"type": "add_message", "sent_by": "v", "text": 5}', "invalid_input", "text"),
        ('{"type": "add_message", "sent_by": "v"}', "invalid_input", "text"),
        ('{"type": "add_message", "sent_by": "v", "text": "   "}', "invalid_input", "text"),
        (
            '{"type": "add_message", "sent_by": "v", "text": "hi", "message_type": "bits"}',
            "invalid_input",
            "bits_amount",
        ),
        ('{"type": "autoplay", "enabled": "yes"}', "invalid_input", "enabled"),
        ('{"type": "switch_queue", "queue_type": "everything"}', "invalid_input", "queue_type"),
        ('{"type": "played"}', "invalid_input", "id"),
        ('{"type": "played", "id": 4242}', "not_found", None),
    ],
)
def test_bad_frames_get_an_error_naming_the_problem_and_the_socket_stays_open(
    shared_server: LiveServer, frame: str, code: str, field: str | None
) -> None:
    """Malformed, unknown or invalid frames are answered with an error frame; the next command still works."""
    with ws_client(shared_server) as client:
        client.send_raw(frame)
        error = client.receive()
        assert (error["type"], error["code"]) == ("error", code)
        assert error.get("field") == field
        assert error["detail"]
        assert client.command("stats")["type"] == "ok"


def test_played_for_a_message_that_is_not_playing_is_an_invalid_transition(server: LiveServer) -> None:
    """Reporting the end of a ready message is refused with its current status; binary frames are read too."""
    (message_id,) = ready_messages(server, "@streamer one")
    with ws_client(server) as client:
        client.send_raw(json.dumps({"type": "played", "id": message_id, "request_id": "r1"}).encode())
        error = client.answer("r1")
        assert (error["type"], error["code"], error["current_status"]) == ("error", "invalid_transition", "ready")


def test_events_follow_a_message_through_its_life(server: LiveServer) -> None:
    """queued → ready → play (with a servable audio_url) → played, each with the queue's counts, then the answer."""
    with ws_client(server) as client:
        start = len(client.frames)
        message_id = client.command("add_message", sent_by="viewer", text="@streamer tell a story")["result"]["id"]
        types = client.types_since(start)
        assert (types[:2], types[-1]) == (["message_queued", "queue_changed"], "ok")
        # the worker may claim (or even finish) the message before the answer goes out
        assert set(types[2:-1]) <= {"queue_changed", "message_ready"}
        queued = client.frames[start + 1]
        assert (queued["queue"], queued["active_queue"], queued["queue_size"], queued["pending"]) == (
            "mentions",
            "mentions",
            1,
            1,
        )
        ready = client.until("message_ready")
        assert ready["message"]["audio_url"] == f"/audio/{message_id}.wav"
        assert client.until("queue_changed", lambda f: f["ready"] == 1)["queue_size"] == 1
        start = len(client.frames)
        client.command("play")
        assert client.types_since(start) == ["play", "queue_changed", "ok"]
        play = client.frames[start]
        assert (play["message"]["id"], play["message"]["status"], play["audio_url"]) == (
            message_id,
            "playing",
            f"/audio/{message_id}.wav",
        )
        assert server.http.get(play["audio_url"]).content[:4] == b"RIFF"
        start = len(client.frames)
        client.command("played", id=message_id)
        assert client.types_since(start) == ["played", "queue_changed", "ok"]
        assert client.frames[start]["message"]["status"] == "played"
        assert server.http.get(play["audio_url"]).status_code == 404


def test_clear_and_switch_events(server: LiveServer) -> None:
    """Clear sends messages_removed (reason cleared) and new counts; switching sends queue_switched."""
    ids = ready_messages(server, "@streamer a", "@streamer b")
    with ws_client(server) as client:
        start = len(client.frames)
        client.command("clear")
        assert client.types_since(start) == ["messages_removed", "queue_changed", "ok"]
        removed = client.frames[start]
        assert (removed["queue"], removed["message_ids"], removed["reason"]) == ("mentions", ids, "cleared")
        assert client.frames[start + 1]["queue_size"] == 0
        start = len(client.frames)
        client.command("switch_queue", queue_type="bits")
        assert client.types_since(start) == ["queue_switched", "queue_changed", "ok"]
        assert client.frames[start]["active_queue"] == "bits"


def test_seed_http_endpoints_emit_the_same_events(server: LiveServer) -> None:
    """HTTP add, play_next, mark_played, autoplay, switch, clear, play and stop show up as frames."""
    with ws_client(server) as client:
        message_id = server.post_chat("@streamer over http")["id"]
        client.until("message_queued", lambda f: f["message"]["id"] == message_id)
        client.until("message_ready", lambda f: f["message"]["id"] == message_id)
        server.http.post(f"{API}/play_next")
        client.until("play", lambda f: f["message"]["id"] == message_id)
        server.http.post(f"{API}/mark_played/{message_id}")
        client.until("played", lambda f: f["message"]["id"] == message_id)
        server.http.post(f"{API}/autoplay/start")
        assert client.until("autoplay_changed")["autoplay"] is True
        server.http.post(f"{API}/autoplay/stop")
        assert client.until("autoplay_changed")["autoplay"] is False
        second = server.post_chat("@streamer again")["id"]
        client.until("message_ready", lambda f: f["message"]["id"] == second)
        assert server.http.post(f"{API}/play").json()["message"]["id"] == second
        client.until("play", lambda f: f["message"]["id"] == second)
        assert server.http.post(f"{API}/stop").json()["message_ids"] == [second]
        client.until("played", lambda f: f["message"]["id"] == second)
        assert client.until("stopped")["message_id"] == second
        server.http.post(f"{API}/switch_active_queue", json={"queue_type": "bits"})
        assert client.until("queue_switched")["active_queue"] == "bits"


def test_two_clients_see_each_others_commands(server: LiveServer) -> None:
    """Both clients get every event; a command from one is seen by the other as events."""
    with ws_client(server) as alice, ws_client(server) as bob:
        message_id = alice.command("add_message", sent_by="viewer", text="@streamer for both")["result"]["id"]
        bob.until("message_queued", lambda f: f["message"]["id"] == message_id)
        for client in (alice, bob):
            client.until("message_ready", lambda f: f["message"]["id"] == message_id)
        bob.command("play")
        alice.until("play", lambda f: f["message"]["id"] == message_id)
        alice.command("autoplay", enabled=True)
        assert bob.until("autoplay_changed")["autoplay"] is True
        alice.command("stop")
        for client in (alice, bob):
            assert client.until("played")["message"]["id"] == message_id
            assert client.until("stopped")["message_id"] == message_id
        assert events_up_to_stopped(alice) == events_up_to_stopped(bob)


def events_up_to_stopped(client: WsClient) -> list[str]:
    """The event types a client received after its snapshot, up to the stopped event."""
    events = [kind for kind in client.types_since(1) if kind != "ok"]
    return events[: events.index("stopped") + 1]


def test_engine_status_changes_are_sent(tmp_path: Path) -> None:
    """When the engine becomes ready, clients get an engine_status frame (and the snapshot said not ready)."""
    engine = FakeSynthesizer(ready=False)
    with live_server(tmp_path / "data", synthesizer=engine) as server, ws_client(server) as client:
        assert client.frames[0]["engine"]["ready"] is False
        engine.ready = True
        status = client.until("engine_status")
        assert (status["ready"], status["detail"]) == (True, "fake engine for tests")
