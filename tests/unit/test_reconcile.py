"""The reconcile pass: lost leases, files nothing refers to, ready messages without a file, drifted counters."""

from __future__ import annotations

import attrs

from tests.world import World
from tts_core import AudioStoreError, MessageStatus, QueueKind
from tts_core.counts import QueueCounts
from tts_core.events import MessageRequeued, QueueChanged
from tts_core.retry import RetryPolicy


def test_an_expired_lease_is_taken_back_without_a_restart(world: World) -> None:
    """A claim whose worker died goes back to pending (counted) once its lease ends; a live one is left alone."""
    message = world.add("@streamer abandoned")
    assert world.synthesis._claim() is not None
    assert world.recovery.reconcile().requeued == 0
    world.clock.advance(RetryPolicy().lease_seconds)
    assert world.recovery.reconcile().requeued == 1
    back = world.queues.get(message.id or 0)
    assert (back.status, back.failures, back.lease_until) == (MessageStatus.PENDING, 1, None)


def test_the_file_of_a_live_claim_is_never_taken_for_an_orphan(world: World) -> None:
    """A file written by a claim that has not committed yet survives a reconcile pass; a true orphan does not."""
    message = world.add("@streamer in flight")
    claim = world.synthesis._claim()
    assert claim is not None
    world.audio.files[f"{message.id}.wav"] = b"being written"
    world.audio.files["999.wav"] = b"orphan"
    report = world.recovery.reconcile()
    assert report.orphan_files_removed == 1
    assert sorted(world.audio.refs()) == [f"{message.id}.wav"]


def test_a_ready_message_whose_file_is_gone_is_spoken_again(world: World) -> None:
    """The file vanished: the message is pending again (announced), then the worker makes a new file."""
    message = world.add("@streamer lost file")
    world.drain()
    ready = world.queues.get(message.id or 0)
    assert ready.audio is not None
    del world.audio.files[ready.audio.ref]
    assert world.recovery.reconcile().requeued == 1
    assert world.queues.get(message.id or 0).status is MessageStatus.PENDING
    assert world.queues.stats().active.audio_bytes == 0
    assert world.events.of_type(MessageRequeued)
    world.drain()
    again = world.queues.get(message.id or 0)
    assert again.status is MessageStatus.READY and again.audio is not None
    assert world.audio.exists(again.audio.ref)


def test_drifted_counters_are_set_to_the_recount_and_announced(world: World) -> None:
    """Counters that no longer match the rows are repaired, and clients get the true counts."""
    world.add("@streamer one")
    world.add("@streamer two")
    with world.storage.unit_of_work() as uow:
        uow.replace_counts(QueueCounts(queue=QueueKind.MENTIONS, by_status={MessageStatus.PENDING: 7}, audio_bytes=5))
    report = world.recovery.reconcile()
    assert report.counters_repaired == 1
    stats = world.queues.stats()
    assert (stats.active[MessageStatus.PENDING], stats.active.audio_bytes) == (2, 0)
    last = world.events.events[-1]
    assert isinstance(last, QueueChanged) and last.counts[MessageStatus.PENDING] == 2
    assert world.recovery.reconcile().counters_repaired == 0


def test_an_unlistable_audio_store_skips_the_file_sweep_but_not_the_rest(world: World) -> None:
    """With the disk unusable, leases and counters are still repaired; no file is judged missing."""
    message = world.add("@streamer keep")
    world.drain()
    original = world.audio.refs

    def unlistable() -> list[str]:
        raise AudioStoreError("gone")

    object.__setattr__(world.audio, "refs", unlistable)
    try:
        report = world.recovery.reconcile()
    finally:
        object.__setattr__(world.audio, "refs", original)
    assert attrs.asdict(report) == attrs.asdict(report.__class__())
    assert world.queues.get(message.id or 0).status is MessageStatus.READY
