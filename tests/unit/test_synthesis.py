"""Synthesis: order, audio, failures, and the mentions budget enforced as files are added."""

from __future__ import annotations

import pytest

from tests.world import World
from tts_core import (
    DeletionReason,
    EngineUnavailable,
    MessageStatus,
    QueueKind,
)
from tts_core.events import MessageFailed, MessageReady, MessagesRemoved


def test_pending_message_becomes_ready_with_audio(world: World) -> None:
    """The worker's step stores a WAV and records size and duration."""
    message = world.add("@streamer hello there")
    assert world.synthesis.synthesize_next() is True
    ready = world.queues.get(message.id or 0)
    assert ready.status is MessageStatus.READY
    assert ready.audio is not None
    assert ready.audio.size_bytes == len(world.audio.read(ready.audio.ref))
    # the fake reads each line on its own: "v says:" and "hello there"
    assert ready.audio.duration_seconds == pytest.approx(len("v says:hello there") * 100 / 24_000)
    assert world.events.of_type(MessageReady)


def test_active_queue_first_then_oldest_first(world: World) -> None:
    """Bits active: bits are spoken first (oldest first), then mentions."""
    m1 = world.add("@streamer one")
    b1 = world.add("bits one", bits=5)
    m2 = world.add("@streamer two")
    b2 = world.add("bits two", bits=5)
    world.queues.switch(QueueKind.BITS)
    world.drain()
    read = [m.engine_text for m in (b1, b2, m1, m2)]
    assert [text for text, _ in world.engine.calls] == read


def test_nothing_pending_returns_false(world: World) -> None:
    """An empty queue is not an error."""
    assert world.synthesis.synthesize_next() is False


def test_engine_failure_is_recorded_and_work_goes_on(world: World) -> None:
    """A text the engine refuses ends as error with the reason; the next message is still spoken."""
    bad = world.add("@streamer bad")
    good = world.add("@streamer good")
    world.engine.fail_on.add("bad")
    world.drain()
    failed = world.queues.get(bad.id or 0)
    assert failed.status is MessageStatus.ERROR
    assert failed.error is not None
    assert "refuses" in failed.error
    assert world.queues.get(good.id or 0).status is MessageStatus.READY
    assert world.events.of_type(MessageFailed)


def test_unavailable_engine_keeps_messages_pending(world: World) -> None:
    """While the engine is not ready nothing is lost: the message stays pending."""
    message = world.add("@streamer wait for me")
    world.engine.ready = False
    with pytest.raises(EngineUnavailable):
        world.synthesis.synthesize_next()
    assert world.queues.get(message.id or 0).status is MessageStatus.PENDING
    world.engine.ready = True
    world.drain()
    assert world.queues.get(message.id or 0).status is MessageStatus.READY


def test_message_cleared_while_synthesizing_leaves_no_file(world: World) -> None:
    """Audio finished for a message that was cleared meanwhile is thrown away."""
    message = world.add("@streamer racing the clear")
    original = world.engine.synthesize

    def clear_then_speak(text: str, **kwargs: object) -> object:
        world.queues.clear_active()
        return original(text)

    world.engine.synthesize = clear_then_speak  # type: ignore[method-assign,assignment]
    world.synthesis.synthesize_next()
    assert world.queues.get(message.id or 0).status is MessageStatus.DELETED
    assert list(world.audio.refs()) == []


def test_eviction_keeps_mentions_audio_within_budget(world: World) -> None:
    """With a tiny budget the oldest ready mentions are evicted as new audio arrives."""
    texts = [f"@streamer message number {i}" for i in range(6)]
    messages = [world.add(t) for t in texts]
    world.drain()
    size = world.queues.get(messages[0].id or 0).audio_bytes
    world.budget_bytes = size * 3
    extra = world.add("@streamer message number 6")
    world.drain()
    stats = world.queues.stats()
    assert stats.mentions.audio_bytes <= world.budget_bytes
    statuses = [world.queues.get(m.id or 0) for m in [*messages, extra]]
    evicted = [m.id for m in statuses if m.status is MessageStatus.DELETED]
    assert evicted == [m.id for m in messages[:4]]
    assert all(m.deletion_reason is DeletionReason.EVICTED and m.deleted_at for m in statuses[:4])
    assert sorted(world.audio.refs()) == sorted(f"{m.id}.wav" for m in statuses[4:])
    removed = world.events.of_type(MessagesRemoved)
    assert removed


def test_playing_message_is_never_evicted(world: World) -> None:
    """The message on air survives eviction even when it is the oldest."""
    first = world.add("@streamer first one")
    world.drain()
    world.playback.play_next()
    world.budget_bytes = 1
    second = world.add("@streamer second one")
    world.drain()
    assert world.queues.get(first.id or 0).status is MessageStatus.PLAYING
    assert world.queues.get(second.id or 0).status is MessageStatus.DELETED


def test_bits_are_never_evicted(world: World) -> None:
    """The budget applies to mentions only."""
    world.budget_bytes = 1
    bits = [world.add(f"cheer {i}", bits=10) for i in range(3)]
    world.drain()
    assert all(world.queues.get(b.id or 0).status is MessageStatus.READY for b in bits)
