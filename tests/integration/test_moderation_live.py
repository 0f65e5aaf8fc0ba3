"""Moderation on a real uvicorn and real SQLite: each endpoint and WebSocket command, early deletions, a purge
while the user's message plays, skip in the autoplay loop, mutes across a restart, anti-spam and expiry."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from adapters.memory import ManualClock
from entrypoints.autoplay_driver import AutoplayDriver
from entrypoints.maintenance import Maintenance
from tests.integration.live import Frame, LiveServer, live_server, wait_until, ws_client

API = "/api/tts"
COOLDOWN = 10.0


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def server(tmp_path: Path, clock: ManualClock) -> Iterator[LiveServer]:
    with live_server(tmp_path / "data", clock=clock, autoplay_cooldown=COOLDOWN, playback_grace_seconds=600) as s:
        yield s


def chat(server: LiveServer, text: str, **extra: Any) -> Frame:
    """POST add_message; returns the body (201 queued or 200 not queued)."""
    response = server.http.post(f"{API}/add_message", json={"sent_by": "viewer", "text": text, **extra})
    assert response.status_code in (200, 201), response.text
    body: Frame = response.json()
    return body


def ready(server: LiveServer, message_id: int) -> None:
    wait_until(lambda: server.message(message_id)["status"] == "ready", f"message {message_id} never got ready")


def post(server: LiveServer, path: str, body: dict[str, Any] | None = None) -> Frame:
    response = server.http.post(f"{API}{path}", json=body) if body is not None else server.http.post(f"{API}{path}")
    assert response.status_code == 200, response.text
    answer: Frame = response.json()
    return answer


def test_delete_message_removes_a_queued_message_and_is_idempotent(server: LiveServer, tmp_path: Path) -> None:
    """The message carries its Twitch id; deleting it removes it (moderated, file gone); again removes nothing."""
    queued = chat(server, "@streamer troll text", twitch_message_id="tw-1")
    assert queued["twitch_message_id"] == "tw-1"
    ready(server, queued["id"])
    wav = tmp_path / "data" / "audio" / f"{queued['id']}.wav"
    assert wav.exists()
    with ws_client(server) as client:
        assert post(server, "/moderation/delete_message", {"twitch_message_id": "tw-1"}) == {"removed": [queued["id"]]}
        removed = client.until("messages_removed")
        assert (removed["message_ids"], removed["reason"], removed["playing_ids"]) == ([queued["id"]], "moderated", [])
    gone = server.message(queued["id"])
    assert (gone["status"], gone["deletion_reason"]) == ("deleted", "moderated")
    assert not wav.exists()
    assert post(server, "/moderation/delete_message", {"twitch_message_id": "tw-1"}) == {"removed": []}


def test_a_deletion_before_its_message_keeps_it_out(server: LiveServer) -> None:
    """The App delivered the deletion first: the message that follows is not queued (moderated)."""
    assert post(server, "/moderation/delete_message", {"twitch_message_id": "tw-early"}) == {"removed": []}
    late = chat(server, "@streamer something awful", twitch_message_id="tw-early")
    assert (late["queued"], late["reason"]) == (False, "moderated")
    assert "awful" not in late["detail"]
    assert chat(server, "@streamer fine", twitch_message_id="tw-other")["queued"] is True


def test_purge_while_the_users_message_plays_stops_it_and_mutes_them(server: LiveServer) -> None:
    """A timeout while the user's message plays: it stops at once (frame names it), their waiting bits go too,
    and their next message is refused as muted; GET muted lists them."""
    playing = chat(server, "@streamer loud", sent_by="Troll")
    waiting_bits = chat(server, "cheer", sent_by="troll", message_type="bits", bits_amount=50)
    other = chat(server, "@streamer nice", sent_by="viewer")
    ready(server, playing["id"])
    with ws_client(server) as client:
        assert post(server, "/play")["message"]["id"] == playing["id"]
        client.until("play")
        purged = post(server, "/moderation/purge_user", {"user": "@TROLL", "duration_seconds": 600})
        assert (purged["user"], set(purged["removed"])) == ("troll", {playing["id"], waiting_bits["id"]})
        assert purged["mute"]["until"] is not None
        stop = client.until("messages_removed", lambda f: f["playing_ids"] == [playing["id"]])
        assert stop["reason"] == "moderated"
        muted = client.until("user_muted")
        assert muted["mute"]["user"] == "troll"
        stats = client.command("stats")["result"]
        assert stats["playing"] == 0
    assert server.message(playing["id"])["deletion_reason"] == "moderated"
    assert server.message(playing["id"])["audio_url"] is None
    assert server.message(other["id"])["status"] in ("pending", "synthesizing", "ready")
    refused = chat(server, "@streamer let me back", sent_by="troll")
    assert (refused["queued"], refused["reason"]) == (False, "muted")
    listed = server.http.get(f"{API}/moderation/muted").json()
    assert (listed["count"], listed["mutes"][0]["user"]) == (1, "troll")


def test_unmute_lifts_a_ban(server: LiveServer) -> None:
    """A ban (no duration) holds until unmute_user; unmuting again says nothing was lifted."""
    banned = post(server, "/moderation/purge_user", {"user": "troll"})
    assert (banned["removed"], banned["mute"]["until"]) == ([], None)
    assert chat(server, "@streamer hi", sent_by="troll")["reason"] == "muted"
    assert post(server, "/moderation/unmute_user", {"user": "Troll"}) == {"user": "troll", "unmuted": True}
    assert post(server, "/moderation/unmute_user", {"user": "troll"}) == {"user": "troll", "unmuted": False}
    assert chat(server, "@streamer hi", sent_by="troll")["queued"] is True
    assert server.http.get(f"{API}/moderation/muted").json() == {"mutes": [], "count": 0}


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/moderation/delete_message", {"twitch_message_id": "x" * 65}, "twitch_message_id"),
        ("/moderation/delete_message", {"twitch_message_id": "   "}, "twitch_message_id"),
        ("/moderation/delete_message", {}, "twitch_message_id"),
        ("/moderation/delete_message", {"twitch_message_id": "a", "id": 1}, "twitch_message_id"),
        ("/moderation/delete_message", {"id": 0}, "id"),
        ("/moderation/purge_user", {"user": "two words"}, "user"),
        ("/moderation/purge_user", {"user": "troll", "duration_seconds": 0}, "duration_seconds"),
        ("/moderation/purge_user", {"user": "troll", "duration_seconds": "long"}, "duration_seconds"),
        ("/moderation/unmute_user", {"user": ""}, "user"),
        ("/add_message", {"sent_by": "v", "text": "@streamer hi", "twitch_message_id": "x" * 65}, "twitch_message_id"),
        ("/add_message", {"sent_by": "v", "text": "@streamer hi", "is_moderator": "yes"}, "is_moderator"),
    ],
)
def test_bad_moderation_input_is_a_400_naming_the_field(
    server: LiveServer, path: str, body: dict[str, Any], field: str
) -> None:
    """Each bad field is answered 400 with ``field`` naming it; nothing changes."""
    response = server.http.post(f"{API}{path}", json=body)
    assert response.status_code == 400, response.text
    assert response.json()["field"] == field


def test_skip_ends_the_playing_message_and_the_loop_plays_on_after_the_cooldown(
    server: LiveServer, clock: ManualClock
) -> None:
    """POST skip: the message is played and skipped, the player gets ``played``; the loop starts the next one
    only after the cooldown."""
    first = chat(server, "@streamer first")["id"]
    second = chat(server, "@streamer second")["id"]
    ready(server, first)
    ready(server, second)
    driver = server.container.autoplay_driver()
    assert isinstance(driver, AutoplayDriver)
    with ws_client(server) as client:
        client.command("autoplay", enabled=True)
        assert client.command("play")["result"]["message"]["id"] == first
        skipped = post(server, "/skip")
        assert skipped == {"message_ids": [first], "running": True}
        played = client.until("played")
        assert (played["message"]["id"], played["message"]["skipped"]) == (first, True)
        assert driver.wake_and_wait()
        assert server.message(second)["status"] == "ready"
        clock.advance(COOLDOWN)
        assert driver.wake_and_wait()
        assert server.message(second)["status"] == "playing"
        assert client.command("skip")["result"] == {"message_ids": [second], "running": True}
        assert post(server, "/skip") == {"message_ids": [], "running": True}
    assert server.message(first)["skipped"] is True


def test_websocket_moderation_commands(server: LiveServer) -> None:
    """delete_message, purge_user, unmute_user and muted as WebSocket commands, answered ok (or error naming the
    field), with the events the panel shows."""
    with ws_client(server) as client:
        added = client.command("add_message", sent_by="troll", text="@streamer x", twitch_message_id="tw-ws")
        assert added["result"]["twitch_message_id"] == "tw-ws"
        deleted = client.command("delete_message", twitch_message_id="tw-ws")
        assert deleted["result"] == {"removed": [added["result"]["id"]]}
        client.until("messages_removed", lambda f: f["reason"] == "moderated")

        purged = client.command("purge_user", user="troll", duration_seconds=60)["result"]
        assert (purged["user"], purged["removed"]) == ("troll", [])
        client.until("user_muted")
        assert [m["user"] for m in client.command("muted")["result"]["mutes"]] == ["troll"]
        assert client.command("unmute_user", user="troll")["result"] == {"user": "troll", "unmuted": True}
        assert client.until("user_unmuted")["user"] == "troll"
        assert client.command("muted")["result"] == {"mutes": [], "count": 0}

        bad = client.command("purge_user", user="troll", duration_seconds=-1)
        assert (bad["type"], bad["field"]) == ("error", "duration_seconds")
        bad = client.command("delete_message")
        assert (bad["type"], bad["field"]) == ("error", "twitch_message_id")
        by_id = client.command("add_message", sent_by="viewer", text="@streamer keep?")["result"]["id"]
        assert client.command("delete_message", id=by_id)["result"] == {"removed": [by_id]}
        assert client.command("delete_message", id=by_id + 1000)["code"] == "not_found"


def test_moderators_chat_commands_act_and_others_are_ignored(server: LiveServer) -> None:
    """``!tts mute`` from a moderator mutes (and is not read); from a viewer it is an ignored command."""
    ignored = chat(server, "!tts mute troll 5", sent_by="viewer")
    assert (ignored["queued"], ignored["reason"]) == (False, "command")
    assert server.http.get(f"{API}/moderation/muted").json()["count"] == 0
    done = chat(server, "!tts mute troll 5", sent_by="a_mod", is_moderator=True)
    assert (done["queued"], done["reason"]) == (False, "moderator_command")
    assert server.http.get(f"{API}/moderation/muted").json()["mutes"][0]["user"] == "troll"
    with ws_client(server) as client:
        answer = client.command("add_message", sent_by="a_mod", text="!tts unmute troll", is_moderator=True)
        assert answer["result"]["reason"] == "moderator_command"
    assert server.http.get(f"{API}/moderation/muted").json()["count"] == 0


def test_mutes_survive_a_restart(tmp_path: Path) -> None:
    """A timeout and a ban set before a restart still hold after it; the early deletion too."""
    data = tmp_path / "data"
    with live_server(data) as first:
        post(first, "/moderation/purge_user", {"user": "timed", "duration_seconds": 3600})
        post(first, "/moderation/purge_user", {"user": "banned"})
        post(first, "/moderation/delete_message", {"twitch_message_id": "tw-gone"})
    with live_server(data) as second:
        listed = second.http.get(f"{API}/moderation/muted").json()
        assert [m["user"] for m in listed["mutes"]] == ["banned", "timed"]
        assert chat(second, "@streamer hi", sent_by="timed")["reason"] == "muted"
        assert chat(second, "@streamer hi", sent_by="banned")["reason"] == "muted"
        assert chat(second, "@streamer hi", twitch_message_id="tw-gone")["reason"] == "moderated"


def test_anti_spam_settings_refuse_with_their_reasons(tmp_path: Path) -> None:
    """Cooldown, per-user cap and duplicates, as configured, answer 200 with their reason codes; bits are exempt."""
    clock = ManualClock()
    with live_server(
        tmp_path / "data", clock=clock, user_cooldown=30, max_pending_per_user=2, duplicate_window=120
    ) as server:
        assert chat(server, "@streamer one")["queued"] is True
        too_soon = chat(server, "@streamer two")
        assert (too_soon["reason"], "30 s" in too_soon["detail"]) == ("user_cooldown", True)
        clock.advance(31)
        assert chat(server, "@streamer ONE")["reason"] == "duplicate"
        assert chat(server, "@streamer two")["queued"] is True
        clock.advance(31)
        assert chat(server, "@streamer three")["reason"] == "user_queue_full"
        cheer = {"message_type": "bits", "bits_amount": 10}
        assert chat(server, "cheer", **cheer)["queued"] is True
        assert chat(server, "cheer", **cheer)["queued"] is True


def test_max_age_expires_waiting_mentions(tmp_path: Path) -> None:
    """With TTS_MAX_AGE a mention that waited too long is removed (expired, file gone) by the sweep and never
    played; Play then says nothing is ready."""
    clock = ManualClock()
    with live_server(tmp_path / "data", clock=clock, max_age=60) as server:
        old = chat(server, "@streamer old news")["id"]
        ready(server, old)
        clock.advance(61)
        maintenance = server.container.maintenance()
        assert isinstance(maintenance, Maintenance)
        assert maintenance.sweep() in ((old,), ())  # () when the thread's own sweep came first
        gone = server.message(old)
        assert (gone["status"], gone["deletion_reason"], gone["audio_url"]) == ("deleted", "expired", None)
        assert not (tmp_path / "data" / "audio" / f"{old}.wav").exists()
        assert post(server, "/play")["message"] is None


def test_the_loop_goes_on_after_a_moderator_removes_the_playing_message(server: LiveServer, clock: ManualClock) -> None:
    """Autoplay running: the playing message is deleted; the next one plays only after the cooldown."""
    first = chat(server, "@streamer first", twitch_message_id="tw-first")["id"]
    second = chat(server, "@streamer second")["id"]
    ready(server, first)
    ready(server, second)
    driver = server.container.autoplay_driver()
    assert isinstance(driver, AutoplayDriver)
    with ws_client(server) as client:
        client.command("autoplay", enabled=True)
        assert client.command("play")["result"]["message"]["id"] == first
        assert client.command("delete_message", twitch_message_id="tw-first")["result"] == {"removed": [first]}
        assert driver.wake_and_wait()
        assert server.message(second)["status"] == "ready"
        clock.advance(COOLDOWN)
        assert driver.wake_and_wait()
        assert server.message(second)["status"] == "playing"
        assert client.command("stats")["result"]["autoplay_running"] is True
