"""Start-up recovery: a sole process undoes every interrupted step; among many it leaves live work alone."""

from __future__ import annotations

import attrs

from tests.world import World
from tts_core import MessageStatus
from tts_core.retry import RetryPolicy


def test_a_sole_process_takes_back_every_claim_and_playing_message(world: World) -> None:
    """One serve on SQLite: what was synthesizing or playing at start-up was its own, interrupted: requeued."""
    playing = world.add("@streamer playing")
    world.drain()
    assert world.playback.play_next() is not None
    claimed = world.add("@streamer claimed")
    assert world.synthesis._claim() is not None
    report = world.recovery.recover()
    assert report.requeued == 2
    assert world.queues.get(claimed.id or 0).status is MessageStatus.PENDING
    assert world.queues.get(playing.id or 0).status is MessageStatus.READY


def test_among_many_processes_a_live_claim_and_the_playing_message_are_left_alone(world: World) -> None:
    """A process that starts beside others takes back only expired leases; playing is the playback owner's."""
    recovery = attrs.evolve(world.recovery, sole_process=False)
    playing = world.add("@streamer playing")
    world.drain()
    assert world.playback.play_next() is not None
    live = world.add("@streamer live claim")
    assert world.synthesis._claim() is not None
    assert recovery.recover().requeued == 0
    assert world.queues.get(live.id or 0).status is MessageStatus.SYNTHESIZING
    assert world.queues.get(playing.id or 0).status is MessageStatus.PLAYING
    world.clock.advance(RetryPolicy().lease_seconds)
    assert recovery.recover().requeued == 1
    assert world.queues.get(live.id or 0).status is MessageStatus.PENDING
    assert world.queues.get(playing.id or 0).status is MessageStatus.PLAYING
