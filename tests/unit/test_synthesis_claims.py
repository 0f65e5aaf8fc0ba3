"""Every claimed message reaches an end: leases, counted failures with back-off, and the disk or database failing."""

from __future__ import annotations

import pytest

from tests.world import World
from tts_core import AudioStoreError, MessageStatus, StorageError
from tts_core.events import MessageFailed, MessageReady, MessagesRemoved
from tts_core.retry import RetryPolicy


def _crash(_: str) -> None:
    raise RuntimeError("engine bug")


def test_an_engine_bug_puts_the_message_back_with_a_growing_back_off(world: World) -> None:
    """An unexpected engine error is counted: pending again, not claimable until its back-off has passed."""
    message = world.add("@streamer flaky")
    world.engine.on_chunk = _crash
    assert world.synthesis.synthesize_next() is True
    after = world.queues.get(message.id or 0)
    assert (after.status, after.failures, after.attempts) == (MessageStatus.PENDING, 1, 1)
    assert after.retry_at == world.clock.now() + RetryPolicy().backoff(1)
    assert world.synthesis.synthesize_next() is False  # still backing off
    world.engine.on_chunk = None
    world.clock.advance(RetryPolicy().backoff(1).total_seconds())
    assert world.synthesis.synthesize_next() is True
    ready = world.queues.get(message.id or 0)
    assert ready.status is MessageStatus.READY
    assert ready.audio is not None and ready.audio.ref == f"{message.id}-2.wav"


def test_a_message_that_keeps_failing_ends_in_error_with_the_reason(world: World) -> None:
    """After max_failures counted failures the message is error, with the engine's reason; nothing loops."""
    message = world.add("@streamer poison")
    world.engine.on_chunk = _crash
    for _ in range(RetryPolicy().max_failures):
        assert world.synthesis.synthesize_next() is True
        world.clock.advance(RetryPolicy().backoff_max_seconds)
    failed = world.queues.get(message.id or 0)
    assert failed.status is MessageStatus.ERROR
    assert failed.error is not None and "RuntimeError: engine bug" in failed.error
    assert world.synthesis.synthesize_next() is False
    assert world.events.of_type(MessageFailed)


def test_back_off_doubles_and_is_capped() -> None:
    """2 s, 4 s, 8 s … never beyond the cap."""
    policy = RetryPolicy(backoff_base_seconds=2, backoff_max_seconds=60)
    assert [policy.backoff(n).total_seconds() for n in (1, 2, 3, 6, 50)] == [2, 4, 8, 60, 60]


def test_an_unwritable_audio_store_keeps_the_message_waiting_uncounted(world: World) -> None:
    """The disk failing is not the message's fault: it goes back to pending, the error reaches the worker."""
    message = world.add("@streamer disk")
    world.audio.broken = "disk full"
    with pytest.raises(AudioStoreError):
        world.synthesis.synthesize_next()
    waiting = world.queues.get(message.id or 0)
    assert (waiting.status, waiting.failures) == (MessageStatus.PENDING, 0)
    world.audio.broken = None
    world.clock.advance(RetryPolicy().backoff_max_seconds)
    assert world.synthesis.synthesize_next() is True
    assert world.queues.get(message.id or 0).status is MessageStatus.READY


def test_a_database_failure_after_synthesis_leaves_no_file_and_the_lease_frees_the_message(world: World) -> None:
    """The commit of `ready` fails: the new file is removed; the claim expires and another attempt succeeds."""
    message = world.add("@streamer db")

    def database_goes_away(_: str) -> None:  # after the claim: the ready commit and the release both fail
        world.storage.fail_commits = 2

    world.engine.on_chunk = database_goes_away
    with pytest.raises(StorageError):
        world.synthesis.synthesize_next()
    world.engine.on_chunk = None
    stuck = world.queues.get(message.id or 0)
    assert stuck.status is MessageStatus.SYNTHESIZING
    assert list(world.audio.refs()) == []
    assert world.synthesis.synthesize_next() is False  # the lease still holds
    world.clock.advance(RetryPolicy().lease_seconds)
    assert world.synthesis.synthesize_next() is True  # taken back at once, without a restart
    done = world.queues.get(message.id or 0)
    assert (done.status, done.attempts, done.failures) == (MessageStatus.READY, 2, 1)
    assert list(world.audio.refs()) == [f"{message.id}-2.wav"]


def test_a_stale_worker_cannot_overwrite_or_delete_the_new_claims_file(world: World) -> None:
    """A worker whose lease was taken over stores nothing: its file goes, the new claim's file stays."""
    message = world.add("@streamer slow")
    stale_claim = world.synthesis._claim()
    assert stale_claim is not None
    world.clock.advance(RetryPolicy().lease_seconds)
    assert world.synthesis.synthesize_next() is True  # a second worker takes it over and finishes
    speech = world.engine.synthesize(stale_claim.spoken_text)
    world.synthesis._store(stale_claim, speech)  # the first worker wakes up
    final = world.queues.get(message.id or 0)
    assert final.status is MessageStatus.READY and final.audio is not None
    assert list(world.audio.refs()) == [final.audio.ref] == [f"{message.id}-2.wav"]


def test_nothing_is_synthesizing_without_a_live_lease(world: World) -> None:
    """A claim carries a lease ending lease_seconds after the claim."""
    world.add("@streamer leased")
    claim = world.synthesis._claim()
    assert claim is not None
    assert claim.lease_until == world.clock.now() + RetryPolicy().lease


def test_a_message_evicted_by_its_own_eviction_pass_gets_no_ready_event(world: World) -> None:
    """A file larger than the whole budget: the message is evicted at once and never announced as ready."""
    world.budget_bytes = 100
    message = world.add("@streamer far too long for a tiny budget")
    world.drain()
    assert world.queues.get(message.id or 0).status is MessageStatus.DELETED
    assert not world.events.of_type(MessageReady)
    removed = world.events.of_type(MessagesRemoved)
    assert removed and isinstance(removed[0], MessagesRemoved) and removed[0].message_ids == (message.id,)
    assert list(world.audio.refs()) == []


def test_a_failing_delete_after_a_commit_neither_fails_the_request_nor_loses_events(world: World) -> None:
    """mark_played commits and announces even when the file cannot be deleted now; reconcile deletes it later."""
    message = world.add("@streamer leftover")
    world.drain()
    playing = world.playback.play_next()
    assert playing is not None and playing.audio is not None
    world.audio.broken = "read-only file system"
    played = world.playback.mark_played(message.id or 0)
    assert played.status is MessageStatus.PLAYED
    assert world.events.events[-1].type == "queue_changed"
    assert list(world.audio.refs()) == [playing.audio.ref]
    world.audio.broken = None
    report = world.recovery.reconcile()
    assert report.orphan_files_removed == 1
    assert list(world.audio.refs()) == []
