"""PlaybackService.stop, situation and lineup: what Stop does and what the loop and the panel read."""

from __future__ import annotations

from tests.world import World
from tts_core import MessageStatus, QueueKind
from tts_core.events import PlaybackFinished, PlaybackStopped, QueueChanged


def test_stop_counts_every_playing_message_as_played(world: World) -> None:
    """Messages playing in either queue become played with files gone; events: played…, stopped, counts."""
    mention = world.add("@streamer one")
    cheer = world.add("cheer", bits=10)
    world.drain()
    world.playback.play_next()
    world.queues.switch(QueueKind.BITS)
    world.playback.play_next()
    world.events.events.clear()
    stopped = world.playback.stop()
    assert [m.id for m in stopped] == [mention.id, cheer.id]
    for message in (mention, cheer):
        row = world.queues.get(message.id or 0)
        assert (row.status, row.played_at) == (MessageStatus.PLAYED, world.clock.now())
    assert list(world.audio.refs()) == []
    assert [type(e) for e in world.events.events] == [
        PlaybackFinished,
        PlaybackFinished,
        PlaybackStopped,
        QueueChanged,
        QueueChanged,
    ]
    assert world.events.of_type(PlaybackStopped) == [PlaybackStopped(message_id=cheer.id)]
    assert world.queues.stats().active[MessageStatus.PLAYING] == 0


def test_stop_leaves_waiting_messages_alone(world: World) -> None:
    """Ready and pending messages are untouched by Stop."""
    first = world.add("@streamer one")
    world.drain()
    later = world.add("@streamer two")
    world.playback.stop()
    assert world.queues.get(first.id or 0).status is MessageStatus.READY
    assert world.queues.get(later.id or 0).status is MessageStatus.PENDING


def test_situation_reads_active_queue_ready_count_playing_and_toggle(world: World) -> None:
    """The situation names the playing messages of every queue and the ready count of the active one."""
    world.add("@streamer one")
    world.add("@streamer two")
    world.add("cheer", bits=5)
    world.drain()
    playing = world.playback.play_next()
    world.playback.set_autoplay(True)
    situation = world.playback.situation()
    assert situation.active_queue is QueueKind.MENTIONS
    assert situation.ready == 1
    assert [m.id for m in situation.playing] == [playing.id if playing else None]
    assert situation.autoplay is True
    world.queues.switch(QueueKind.BITS)
    switched = world.playback.situation()
    assert (switched.ready, len(switched.playing)) == (1, 1)


def test_lineup_lists_the_active_queue_oldest_first_with_a_limit(world: World) -> None:
    """Playing, ready and pending messages of the active queue, oldest first; played and other queues left out."""
    done = world.add("@streamer done")
    world.drain()
    world.playback.play_next()
    world.playback.mark_played(done.id or 0)
    a = world.add("@streamer a")
    b = world.add("@streamer b")
    world.drain()
    world.playback.play_next()
    c = world.add("@streamer c")
    world.add("cheer", bits=1)
    lineup = world.playback.lineup()
    assert [(m.id, m.status) for m in lineup] == [
        (a.id, MessageStatus.PLAYING),
        (b.id, MessageStatus.READY),
        (c.id, MessageStatus.PENDING),
    ]
    assert [m.id for m in world.playback.lineup(limit=2)] == [a.id, b.id]
