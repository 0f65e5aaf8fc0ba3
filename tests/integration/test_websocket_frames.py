"""Frames without a server: every event has a JSON frame, and a client that falls behind is dropped."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime

import anyio
import pytest

from entrypoints.http.frames import event_frame
from entrypoints.http.websocket import Outbox
from tts_core import events
from tts_core.counts import QueueCounts
from tts_core.model import DeletionReason, Message, MessageStatus, QueueKind, StoredAudio
from tts_core.moderation import Mute
from tts_core.not_read import NotRead
from tts_core.players import ConnectedPlayer, PlayerStatus

NOW = datetime(2026, 1, 1, tzinfo=UTC)
PLAYING = Message(
    id=7,
    queue=QueueKind.MENTIONS,
    sent_by="viewer",
    text="@streamer hi",
    spoken_text="viewer says: hi",
    status=MessageStatus.PLAYING,
    audio=StoredAudio(ref="7.wav", size_bytes=4410, duration_seconds=1.5),
    created_at=NOW,
    playing_at=NOW,
)
COUNTS = QueueCounts(queue=QueueKind.MENTIONS, by_status={MessageStatus.READY: 2, MessageStatus.PLAYING: 1})

EXAMPLES: list[tuple[events.Event, dict[str, object]]] = [
    (events.MessageQueued(message=PLAYING), {"message": {"id": 7}}),
    (events.MessageReady(message=PLAYING), {"message": {"id": 7}}),
    (events.MessageFailed(message=PLAYING), {"message": {"id": 7}}),
    (events.MessageRequeued(message=PLAYING, seq=12), {"seq": 12, "message": {"id": 7}}),
    (events.PlaybackStarted(message=PLAYING), {"audio_url": "/audio/7.wav", "message": {"status": "playing"}}),
    (events.PlaybackFinished(message=PLAYING), {"message": {"id": 7}}),
    (
        events.PlaybackFailed(message=PLAYING, reason="NotAllowedError", seq=13),
        {"seq": 13, "message": {"id": 7}, "reason": "NotAllowedError"},
    ),
    (
        events.MessagesRemoved(queue=QueueKind.MENTIONS, message_ids=(1, 2), reason=DeletionReason.EVICTED),
        {"queue": "mentions", "message_ids": [1, 2], "reason": "evicted", "playing_ids": []},
    ),
    (
        events.MessagesRemoved(
            queue=QueueKind.BITS, message_ids=(3, 4), reason=DeletionReason.MODERATED, playing_ids=(4,)
        ),
        {"queue": "bits", "message_ids": [3, 4], "reason": "moderated", "playing_ids": [4]},
    ),
    (
        events.UserMuted(mute=Mute(user="troll", since=NOW, until=None)),
        {"mute": {"user": "troll", "since": "2026-01-01T00:00:00+00:00", "until": None}},
    ),
    (events.UserUnmuted(user="troll"), {"user": "troll"}),
    (
        events.MessageRejected(
            not_read=NotRead(sent_by="bot", text="!so", reason="command", detail="a chat command", at=NOW)
        ),
        {"not_read": {"sent_by": "bot", "text": "!so", "reason": "command", "at": "2026-01-01T00:00:00+00:00"}},
    ),
    (
        events.QueueChanged(counts=COUNTS, active_queue=QueueKind.BITS),
        {"queue": "mentions", "active_queue": "bits", "queue_size": 2, "ready": 2, "playing": 1, "pending": 0},
    ),
    (events.QueueSwitched(active_queue=QueueKind.BITS), {"active_queue": "bits"}),
    (events.PlaybackStopped(message_id=None), {"message_id": None}),
    (events.AutoplayChanged(autoplay=True), {"autoplay": True}),
    (events.AutoplayLoopChanged(running=True), {"running": True, "reason": None}),
    (events.EngineStatusChanged(ready=False, detail="loading"), {"ready": False, "detail": "loading"}),
    (events.UserVoiceChanged(user="vip_fan", voice="am_echo"), {"user": "vip_fan", "voice": "am_echo"}),
    (
        events.PronunciationChanged(word="gg", say="good game", phonemes=None),
        {"word": "gg", "say": "good game", "phonemes": None},
    ),
    (events.QueueVolumeChanged(queue=QueueKind.BITS, volume=0.5), {"queue": "bits", "volume": 0.5}),
    (
        events.ChatConnectionChanged(
            state="connecting", channel="streamer", last_error="the server closed the connection", revision=4
        ),
        {"state": "connecting", "channel": "streamer", "last_error": "the server closed the connection", "revision": 4},
    ),
    (
        events.PlayersChanged(
            players=(ConnectedPlayer(id=3, status=PlayerStatus(volume=0.0, effective_volume=0.0, blocked=False)),),
            seq=14,
        ),
        {
            "seq": 14,
            "players": [
                {"id": 3, "page": "player", "volume": 0.0, "effective_volume": 0.0, "blocked": False, "state": "muted"}
            ],
        },
    ),
]


@pytest.mark.parametrize(("event", "expected"), EXAMPLES, ids=[type(e).__name__ for e, _ in EXAMPLES])
def test_event_frames(event: events.Event, expected: dict[str, object]) -> None:
    """Each event becomes a JSON object with its type and the documented fields."""
    frame = json.loads(json.dumps(event_frame(event)))
    assert frame["type"] == event.type
    for key, value in expected.items():
        if isinstance(value, dict):
            assert value.items() <= frame[key].items()
        else:
            assert frame[key] == value


def test_every_event_class_has_an_example() -> None:
    """A new event class gets a frame example here (and one in docs/protocol.md)."""
    defined = {
        cls
        for cls in vars(events).values()
        if isinstance(cls, type) and issubclass(cls, events.Event) and cls is not events.Event
    }
    assert defined == {type(e) for e, _ in EXAMPLES}


def test_a_client_that_falls_behind_is_cut_off() -> None:
    """When the outbox is full the connection's scope is cancelled; publishers never block."""

    async def scenario() -> tuple[bool, bool, dict[str, object]]:
        outbox = Outbox(asyncio.get_running_loop(), limit=2)
        with anyio.CancelScope() as scope:
            outbox.scope = scope
            for _ in range(3):
                outbox.put(events.AutoplayChanged(autoplay=True))
            await anyio.sleep(1)  # cancelled at once: the third frame did not fit
        return outbox.overflowed, scope.cancel_called, await outbox.get()

    overflowed, cancelled, first = anyio.run(scenario)
    assert (overflowed, cancelled) == (True, True)
    assert first == {"type": "autoplay_changed", "seq": 0, "autoplay": True}


def test_events_published_from_other_threads_arrive_in_order() -> None:
    """The hub listener hands events over thread-safely and in publication order."""

    async def scenario() -> list[dict[str, object]]:
        outbox = Outbox(asyncio.get_running_loop())

        def publish() -> None:
            for flag in (True, False, True):
                outbox.publish(events.AutoplayChanged(autoplay=flag))

        await anyio.to_thread.run_sync(publish)
        return [await outbox.get() for _ in range(3)]

    assert [f["autoplay"] for f in anyio.run(scenario)] == [True, False, True]
