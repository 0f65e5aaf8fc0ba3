"""Autoplay on a real uvicorn with a manual clock: cooldown spacing, timeouts, Stop and a dry queue.

The driver sleeps on real time only until the next deadline; here the manual clock is advanced and the
driver is nudged (``wake_and_wait``), so nothing waits for real seconds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest

from adapters.memory import ManualClock
from entrypoints.autoplay_driver import AutoplayDriver
from tests.integration.live import Frame, LiveServer, WsClient, live_server, ws_client

COOLDOWN = 10.0
GRACE = 3.0


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def server(tmp_path: Path, clock: ManualClock) -> Iterator[LiveServer]:
    with live_server(tmp_path / "data", clock=clock, autoplay_cooldown=COOLDOWN, playback_grace_seconds=GRACE) as s:
        yield s


def driver(server: LiveServer) -> AutoplayDriver:
    found = server.container.autoplay_driver()
    assert isinstance(found, AutoplayDriver)
    return found


def advance(server: LiveServer, clock: ManualClock, seconds: float) -> None:
    """Move the manual clock and let the driver take one step at the new time."""
    clock.advance(seconds)
    assert driver(server).wake_and_wait()


def add_ready(client: WsClient, *texts: str) -> list[int]:
    ids = [client.command("add_message", sent_by="viewer", text=text)["result"]["id"] for text in texts]
    for message_id in ids:
        client.until("message_ready", about(message_id))
    return ids


def about(message_id: int) -> Callable[[Frame], bool]:
    """Matches frames about the message ``message_id``."""
    return lambda frame: bool(frame["message"]["id"] == message_id)


def when(value: str) -> datetime:
    return datetime.fromisoformat(value)


def test_autoplay_plays_the_next_message_only_after_the_cooldown(server: LiveServer, clock: ManualClock) -> None:
    """Toggle on, Play: the first plays at once; after its reported end the second waits the cooldown."""
    with ws_client(server) as client:
        first, second = add_ready(client, "@streamer first one", "@streamer second one")
        assert client.command("autoplay", enabled=True)["result"] == {"autoplay": True, "running": False}
        advance(server, clock, 60)
        assert client.command("stats")["result"]["playing"] == 0  # the toggle alone plays nothing
        started = client.command("play")["result"]
        assert (started["autoplay"], started["running"], started["message"]["id"]) == (True, True, first)
        assert client.until("autoplay_loop")["running"] is True
        client.until("play", about(first))
        assert client.command("play")["result"]["message"] is None  # Play while the loop runs changes nothing

        clock.advance(1.0)
        played_at = when(client.command("played", id=first)["result"]["played_at"])
        advance(server, clock, COOLDOWN - 0.5)
        stats = client.command("stats")["result"]
        assert (stats["ready"], stats["playing"]) == (1, 0)
        assert not [f for f in client.frames if f["type"] == "play" and f["message"]["id"] == second]

        advance(server, clock, 0.5)
        play = client.until("play", about(second))
        assert (when(play["message"]["playing_at"]) - played_at).total_seconds() == COOLDOWN


def test_an_unreported_end_times_out_after_duration_and_grace(server: LiveServer, clock: ManualClock) -> None:
    """Nobody reports: the message becomes played at duration + grace, then the cooldown runs."""
    with ws_client(server) as client:
        first, second = add_ready(client, "@streamer nobody listens", "@streamer next")
        client.command("autoplay", enabled=True)
        client.command("play")
        play = client.until("play", about(first))
        overdue = play["message"]["duration_seconds"] + GRACE
        advance(server, clock, overdue - 0.1)
        assert client.command("stats")["result"]["playing"] == 1
        advance(server, clock, 0.1 + 0.001)  # the frame rounds the duration to the millisecond
        assert client.until("played")["message"]["id"] == first
        advance(server, clock, COOLDOWN)
        client.until("play", about(second))


def test_stop_ends_the_message_and_the_loop_and_keeps_the_toggle(server: LiveServer, clock: ManualClock) -> None:
    """Stop: the message counts as played, the loop stops, the toggle stays on, nothing plays later."""
    with ws_client(server) as client:
        first, second = add_ready(client, "@streamer one", "@streamer two")
        client.command("autoplay", enabled=True)
        client.command("play")
        assert client.command("stop")["result"] == {"message_ids": [first], "running": False}
        assert client.until("played")["message"]["id"] == first
        assert client.until("stopped")["message_id"] == first
        assert client.until("autoplay_loop", lambda f: not f["running"])
        assert server.message(first)["status"] == "played"
        advance(server, clock, COOLDOWN * 3)
        stats = client.command("stats")["result"]
        assert (stats["autoplay"], stats["autoplay_running"], stats["ready"], stats["playing"]) == (True, False, 1, 0)
        assert server.message(second)["status"] == "ready"


def test_a_dry_queue_waits_for_the_next_ready_message(server: LiveServer, clock: ManualClock) -> None:
    """With the loop running and nothing ready, the next message plays as soon as it is ready."""
    with ws_client(server) as client:
        client.command("autoplay", enabled=True)
        started = client.command("play")["result"]
        assert (started["running"], started["message"]) == (True, None)
        advance(server, clock, COOLDOWN)
        (late,) = add_ready(client, "@streamer arriving late")
        client.until("play", about(late))


def test_switching_queue_while_playing_continues_in_the_new_queue(server: LiveServer, clock: ManualClock) -> None:
    """The playing mention finishes; after the cooldown the loop plays from the bits queue."""
    with ws_client(server) as client:
        first, _ = add_ready(client, "@streamer one", "@streamer two")
        cheer = client.command("add_message", sent_by="fan", text="cheer100 go", message_type="bits", bits_amount=100)
        cheer_id = cheer["result"]["id"]
        client.until("message_ready", about(cheer_id))
        client.command("autoplay", enabled=True)
        client.command("play")
        client.command("switch_queue", queue_type="bits")
        assert server.message(first)["status"] == "playing"
        client.command("played", id=first)
        advance(server, clock, COOLDOWN)
        client.until("play", about(cheer_id))
