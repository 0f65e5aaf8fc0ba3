"""The outbox's event codec: every domain event comes back equal, with its seq, from its JSON."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import attrs
import pytest

from adapters.sql.event_codec import EventCodecError, decode_event, encode_event
from tts_core import events as ev
from tts_core.counts import QueueCounts
from tts_core.model import DeletionReason, Message, MessageStatus, QueueKind, StoredAudio
from tts_core.moderation import Mute
from tts_core.not_read import NotRead
from tts_core.players import ConnectedPlayer, PlayerStatus

AT = datetime(2026, 12, 1, 8, 30, tzinfo=UTC)
MESSAGE = Message(
    id=7,
    queue=QueueKind.BITS,
    sent_by="Viewer",
    text="@streamer héllo",
    spoken_text="Viewer says héllo",
    status=MessageStatus.PLAYING,
    audio=StoredAudio(ref="7-2.wav", size_bytes=4800, duration_seconds=0.1),
    created_at=AT,
    playing_at=AT + timedelta(seconds=3),
    bits_amount=100,
    attempts=2,
)
COUNTS = QueueCounts(queue=QueueKind.MENTIONS, by_status={MessageStatus.READY: 2, MessageStatus.PENDING: 1})
SAMPLES: list[ev.Event] = [
    ev.MessageQueued(message=MESSAGE),
    ev.MessageRejected(not_read=NotRead(sent_by="a", text="hi", reason="no_mention", detail="no @", at=AT)),
    ev.MessageReady(message=MESSAGE),
    ev.MessageFailed(message=MESSAGE),
    ev.MessagesRemoved(queue=QueueKind.MENTIONS, message_ids=(1, 2), reason=DeletionReason.CLEARED, playing_ids=(2,)),
    ev.MessageRequeued(message=MESSAGE),
    ev.QueueChanged(counts=COUNTS, active_queue=QueueKind.BITS),
    ev.QueueSwitched(active_queue=QueueKind.BITS),
    ev.PlaybackStarted(message=MESSAGE),
    ev.PlaybackFinished(message=MESSAGE),
    ev.PlaybackFailed(message=MESSAGE, reason="autoplay blocked"),
    ev.PlaybackStopped(message_id=None),
    ev.AutoplayChanged(autoplay=True),
    ev.EngineStatusChanged(ready=False, detail="loading"),
    ev.AutoplayLoopChanged(running=False, reason="why"),
    ev.UserMuted(mute=Mute(user="spammer", since=AT, until=AT + timedelta(minutes=10))),
    ev.UserUnmuted(user="spammer"),
    ev.UserVoiceChanged(user="viewer", voice=None),
    ev.PronunciationChanged(word="gg", say="good game", phonemes=None),
    ev.QueueVolumeChanged(queue=QueueKind.MENTIONS, volume=0.5),
    ev.ChatConnectionChanged(state="connected", channel="streamer", revision=3),
    ev.PlayersChanged(
        players=(ConnectedPlayer(id=3, status=PlayerStatus(volume=1.0, effective_volume=0.0, blocked=False)),)
    ),
]


def test_every_event_type_has_a_sample() -> None:
    """A new event type needs a sample here, so the codec is proven to carry it between processes."""
    known = {type(sample) for sample in SAMPLES}
    defined = {c for c in vars(ev).values() if isinstance(c, type) and issubclass(c, ev.Event) and c is not ev.Event}
    assert defined == known


@pytest.mark.parametrize("event", SAMPLES, ids=lambda e: e.type)
def test_an_event_survives_the_outbox(event: ev.Event) -> None:
    """Decoded, the event is equal to the original, has the same seq, and its types are the domain's."""
    numbered = attrs.evolve(event, seq=41)
    back = decode_event(encode_event(numbered))
    assert back == numbered
    assert back.seq == 41
    assert [type(v) for v in _fields(back).values()] == [type(v) for v in _fields(numbered).values()]
    if isinstance(back, ev.MessageQueued | ev.PlaybackStarted):
        assert type(back.message.queue) is QueueKind and type(back.message.playing_at) is datetime


def test_a_payload_naming_an_unknown_class_is_refused() -> None:
    """A row cannot make the relay build an arbitrary class."""
    with pytest.raises(EventCodecError):
        decode_event('{"$": "Popen", "args": ["rm"]}')


def _fields(event: ev.Event) -> dict[str, object]:
    return {f.name: getattr(event, f.name) for f in attrs.fields(type(event))}
