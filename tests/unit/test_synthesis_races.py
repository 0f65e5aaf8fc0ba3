"""Another process changing a claimed message between our read and our save: a lost race, never a failure."""

from __future__ import annotations

from datetime import timedelta

from tests.racing import RacingStorage
from tests.world import World
from tts_core import DeletionReason, MessageStatus, QueueKind, SynthesisService
from tts_core.events import MessageFailed, MessageReady
from tts_core.model import CLEARABLE_STATUSES
from tts_core.ports import Storage, UnitOfWork


def _synthesis(world: World, storage: Storage) -> SynthesisService:
    return SynthesisService(
        storage=storage,
        synthesizer=world.engine,
        audio_store=world.audio,
        clock=world.clock,
        mentions_budget_bytes=world.budget_bytes,
    )


def test_a_message_cleared_by_another_process_just_before_ready_is_dropped_not_failed(world: World) -> None:
    """The clear wins: the message stays deleted, its new file is removed, no failure is counted and no
    ready or failed event is sent; the worker goes on with the next message."""
    cleared = world.add("@streamer cleared elsewhere")
    racing = RacingStorage(world.storage)
    synthesis = _synthesis(world, racing)
    now = world.clock.now()

    def cleared_elsewhere(uow: UnitOfWork) -> None:
        uow.soft_delete_many(QueueKind.MENTIONS, CLEARABLE_STATUSES, reason=DeletionReason.CLEARED, now=now)

    racing.arm(cleared_elsewhere, at_save=2)  # the claim is the first save, `ready` the second
    assert synthesis.synthesize_next() is True
    after = world.queues.get(cleared.id or 0)
    assert (after.status, after.deletion_reason, after.failures) == (MessageStatus.DELETED, DeletionReason.CLEARED, 0)
    assert world.audio.files == {}
    assert not world.events.of_type(MessageReady)
    assert not world.events.of_type(MessageFailed)
    counts = world.queues.stats().mentions
    assert (counts.queue_size, counts.audio_bytes) == (0, 0)
    following = world.add("@streamer next one")
    assert synthesis.synthesize_next() is True
    assert world.queues.get(following.id or 0).status is MessageStatus.READY


def test_a_claim_lost_to_another_worker_moves_on_to_the_next_message(world: World) -> None:
    """Another worker claims the same message first: this one claims the next message instead, and the lost
    one keeps the other worker's single attempt, with no failure counted."""
    taken = world.add("@streamer first")
    mine = world.add("@streamer second")
    racing = RacingStorage(world.storage)
    now = world.clock.now()

    def other_worker_claims(uow: UnitOfWork) -> None:
        message = uow.get(taken.id or 0)
        assert message is not None
        message.start_synthesis(now, timedelta(minutes=2))
        uow.save(message)

    racing.arm(other_worker_claims)
    assert _synthesis(world, racing).synthesize_next() is True
    assert [text for text, _ in world.engine.calls] == [mine.engine_text or mine.spoken_text]
    lost = world.queues.get(taken.id or 0)
    assert (lost.status, lost.attempts, lost.failures) == (MessageStatus.SYNTHESIZING, 1, 0)
    assert world.queues.get(mine.id or 0).status is MessageStatus.READY
