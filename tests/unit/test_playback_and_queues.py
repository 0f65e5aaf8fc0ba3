"""Play, mark played, clear, switch and stats, as the App sees them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.world import World
from tts_core import (
    DeletionReason,
    InvalidTransition,
    MessageNotFound,
    MessageStatus,
    QueueKind,
)
from tts_core.events import MessagesRemoved, PlaybackStarted, QueueSwitched


def test_play_next_then_mark_played_deletes_the_file(world: World) -> None:
    """The oldest ready message plays; marking it played removes its file and keeps the row."""
    first = world.add("@streamer first")
    world.add("@streamer second")
    world.drain()
    playing = world.playback.play_next()
    assert playing is not None
    assert (playing.id, playing.status) == (first.id, MessageStatus.PLAYING)
    assert world.events.of_type(PlaybackStarted)
    played = world.playback.mark_played(first.id or 0)
    assert played.status is MessageStatus.PLAYED
    assert played.played_at is not None
    assert f"{first.id}.wav" not in list(world.audio.refs())
    assert world.queues.stats().active.queue_size == 1


def test_play_next_with_nothing_ready_returns_none(world: World) -> None:
    """Pending messages are not playable yet."""
    world.add("@streamer not yet")
    assert world.playback.play_next() is None


def test_play_next_only_plays_the_active_queue(world: World) -> None:
    """Ready bits are not played while mentions are active."""
    world.add("cheer", bits=100)
    world.drain()
    assert world.playback.play_next() is None
    world.queues.switch(QueueKind.BITS)
    assert world.playback.play_next() is not None


def test_mark_played_errors(world: World) -> None:
    """Unknown id → MessageNotFound; a message that is not playing → InvalidTransition."""
    message = world.add("@streamer hi")
    with pytest.raises(MessageNotFound):
        world.playback.mark_played(999)
    with pytest.raises(InvalidTransition):
        world.playback.mark_played(message.id or 0)


def test_clear_soft_deletes_waiting_messages_of_the_active_queue_only(world: World) -> None:
    """Pending and ready mentions are cleared with files gone; played, error and bits stay."""
    played = world.add("@streamer played one")
    world.drain()
    world.playback.play_next()
    world.playback.mark_played(played.id or 0)
    failed = world.add("@streamer broken")
    world.engine.fail_on.add("broken")
    ready = world.add("@streamer ready one")
    world.drain()
    pending = world.add("@streamer pending one")
    bits = world.add("cheer", bits=50)
    result = world.queues.clear_active()
    assert result.queue is QueueKind.MENTIONS
    assert sorted(result.message_ids) == sorted([ready.id or 0, pending.id or 0])
    for message in (ready, pending):
        cleared = world.queues.get(message.id or 0)
        assert (cleared.status, cleared.deletion_reason) == (MessageStatus.DELETED, DeletionReason.CLEARED)
        assert cleared.deleted_at is not None
    assert world.queues.get(played.id or 0).status is MessageStatus.PLAYED
    assert world.queues.get(failed.id or 0).status is MessageStatus.ERROR
    assert world.queues.get(bits.id or 0).status is MessageStatus.PENDING
    assert list(world.audio.refs()) == []
    assert world.queues.stats().active.queue_size == 0
    assert world.events.of_type(MessagesRemoved)


def test_switch_changes_what_stats_and_clear_refer_to(world: World) -> None:
    """After switching to bits, the queue size counts bits."""
    world.add("@streamer hi")
    world.add("cheer", bits=1)
    world.add("cheer again", bits=1)
    assert world.queues.stats().active.queue_size == 1
    world.queues.switch(QueueKind.BITS)
    stats = world.queues.stats()
    assert (stats.active_queue, stats.active.queue_size) == (QueueKind.BITS, 2)
    assert world.events.of_type(QueueSwitched)


def test_stats_count_statuses_and_audio(world: World) -> None:
    """Pending, ready, playing and audio bytes follow every step."""
    world.add("@streamer a")
    world.add("@streamer b")
    world.add("@streamer c")
    world.synthesis.synthesize_next()
    world.synthesis.synthesize_next()
    playing = world.playback.play_next()
    assert playing is not None
    stats = world.queues.stats()
    counts = stats.active
    assert (counts[MessageStatus.PENDING], counts[MessageStatus.READY], counts[MessageStatus.PLAYING]) == (1, 1, 1)
    assert counts.queue_size == 2
    on_disk = sum(len(world.audio.read(r)) for r in world.audio.refs())
    assert stats.mentions.audio_bytes == on_disk


def test_autoplay_toggle(world: World) -> None:
    """The toggle is kept and reported; setting the same value twice is harmless."""
    assert world.playback.set_autoplay(True) is True
    assert world.playback.set_autoplay(True) is True
    assert world.queues.stats().autoplay is True
    world.playback.set_autoplay(False)
    assert world.queues.stats().autoplay is False


def test_recovery_requeues_interrupted_and_removes_orphans(world: World) -> None:
    """After a crash: synthesizing → pending, playing → ready, unreferenced files deleted."""
    a = world.add("@streamer a")
    b = world.add("@streamer b")
    world.synthesis.synthesize_next()
    world.playback.play_next()
    with world.storage.unit_of_work() as uow:
        stuck = uow.get(b.id or 0)
        assert stuck is not None
        stuck.start_synthesis(world.clock.now(), timedelta(minutes=2))
        uow.save(stuck)
    world.audio.files["999.wav"] = b"orphan"
    report = world.recovery.recover()
    assert report.requeued == 2
    assert report.orphan_files_removed == 1
    assert world.queues.get(a.id or 0).status is MessageStatus.READY
    assert world.queues.get(b.id or 0).status is MessageStatus.PENDING
    assert list(world.audio.refs()) == [f"{a.id}.wav"]


def test_reporting_the_end_twice_is_harmless(world: World) -> None:
    """A second report of the same end (panel and OBS player both) returns the played message and publishes nothing."""
    message = world.add("@streamer twice")
    world.drain()
    world.playback.play_next()
    first = world.playback.mark_played(message.id or 0)
    events_before = len(world.events.events)
    again = world.playback.mark_played(message.id or 0)
    assert again == first
    assert len(world.events.events) == events_before


def test_stats_and_snapshot_carry_both_queues_whichever_is_active(world: World) -> None:
    """Bits waiting show in the stats and the snapshot while mentions is active; the lineups hold both queues."""
    world.add("@streamer hello")
    cheer = world.add("cheer100 thanks", bits=100)
    stats = world.queues.stats()
    assert stats.active_queue is QueueKind.MENTIONS
    assert (stats.of(QueueKind.MENTIONS).queue_size, stats.of(QueueKind.BITS).queue_size) == (1, 1)
    snapshot = world.queues.snapshot()
    assert [m.id for m in snapshot.lineups[QueueKind.BITS]] == [cheer.id]
    assert snapshot.lineup == snapshot.lineups[QueueKind.MENTIONS]
