"""Play, Stop and the autoplay loop on in-memory adapters, with a manual clock."""

from __future__ import annotations

from datetime import timedelta

from tests.world import World
from tts_core import Message, MessageStatus, QueueKind
from tts_core.events import AutoplayLoopChanged, PlaybackFinished, PlaybackStarted, PlaybackStopped
from tts_core.services import AutoplayService

COOLDOWN = 10.0
GRACE = 3.0


def service(world: World) -> AutoplayService:
    return AutoplayService(playback=world.playback, clock=world.clock, cooldown_seconds=COOLDOWN, grace_seconds=GRACE)


def ready(world: World, *texts: str, bits: int | None = None) -> list[Message]:
    added = [world.add(text, bits=bits) for text in texts]
    world.drain()
    return added


def started_ids(world: World) -> list[int | None]:
    return [e.message.id for e in world.events.of_type(PlaybackStarted) if isinstance(e, PlaybackStarted)]


def status(world: World, message: Message) -> MessageStatus:
    return world.queues.get(message.id or 0).status


def test_play_with_toggle_off_plays_one_and_never_two_at_once(world: World) -> None:
    """Toggle off: Play plays the next ready message; a second Play while it plays starts nothing."""
    first, second = ready(world, "@streamer one", "@streamer two")
    player = service(world)
    outcome = player.play()
    assert (outcome.autoplay, outcome.started and outcome.started.id) == (False, first.id)
    again = player.play()
    assert again.started is None
    assert "still playing" in again.detail
    player.played(first.id or 0)
    assert player.play().started is not None
    assert started_ids(world) == [first.id, second.id]
    assert not player.running


def test_play_with_nothing_ready_says_so(world: World) -> None:
    """Nothing ready: Play starts nothing and names the queue."""
    outcome = service(world).play()
    assert outcome.started is None
    assert "mentions" in outcome.detail


def test_toggle_on_does_not_play_and_play_starts_the_loop(world: World) -> None:
    """Turning autoplay on plays nothing; Play then starts the loop with its first message at once."""
    (first,) = ready(world, "@streamer one")
    player = service(world)
    player.set_autoplay(True)
    assert player.step() is None
    assert started_ids(world) == []
    outcome = player.play()
    assert (outcome.autoplay, outcome.started and outcome.started.id) == (True, first.id)
    assert player.running
    assert world.events.of_type(AutoplayLoopChanged) == [AutoplayLoopChanged(running=True)]
    assert player.play().started is None  # Play while the loop runs changes nothing
    assert started_ids(world) == [first.id]


def test_loop_waits_the_cooldown_after_the_reported_end(world: World) -> None:
    """After a message ends, the next one plays only when the cooldown has elapsed on the clock."""
    first, second = ready(world, "@streamer one", "@streamer two")
    player = service(world)
    player.set_autoplay(True)
    player.play()
    world.clock.advance(1)
    ended = player.played(first.id or 0)
    assert player.step() == (ended.played_at or world.clock.now()) + timedelta(seconds=COOLDOWN)
    world.clock.advance(COOLDOWN - 0.5)
    player.step()
    assert status(world, second) is MessageStatus.READY
    world.clock.advance(0.5)
    player.step()
    assert status(world, second) is MessageStatus.PLAYING


def test_dry_queue_waits_for_the_next_ready_message(world: World) -> None:
    """When the queue runs dry the loop keeps running and plays the next message once it is ready."""
    (first,) = ready(world, "@streamer one")
    player = service(world)
    player.set_autoplay(True)
    player.play()
    player.played(first.id or 0)
    world.clock.advance(COOLDOWN + 1)
    assert player.step() is None
    assert player.running
    (late,) = ready(world, "@streamer late")
    player.step()
    assert status(world, late) is MessageStatus.PLAYING


def test_unreported_end_times_out_after_duration_and_grace(world: World) -> None:
    """Nobody reports the end: after duration + grace the message counts as played and the cooldown runs."""
    first, second = ready(world, "@streamer one", "@streamer two")
    player = service(world)
    player.set_autoplay(True)
    player.play()
    playing = world.queues.get(first.id or 0)
    assert playing.audio is not None and playing.playing_at is not None
    deadline = playing.playing_at + timedelta(seconds=playing.audio.duration_seconds + GRACE)
    assert player.step() == deadline
    world.clock.advance((deadline - world.clock.now()).total_seconds() - 0.01)
    player.step()
    assert status(world, first) is MessageStatus.PLAYING
    world.clock.advance(0.01)
    assert player.step() == world.clock.now() + timedelta(seconds=COOLDOWN)
    assert status(world, first) is MessageStatus.PLAYED
    assert f"{first.id}.wav" not in list(world.audio.refs())
    world.clock.advance(COOLDOWN)
    player.step()
    assert status(world, second) is MessageStatus.PLAYING


def test_single_play_times_out_too(world: World) -> None:
    """A message played without the loop is also counted as played when nobody reports its end."""
    (first,) = ready(world, "@streamer one")
    player = service(world)
    player.play()
    world.clock.advance(60)
    assert player.step() is None
    assert status(world, first) is MessageStatus.PLAYED


def test_stop_ends_the_message_and_the_loop_but_keeps_the_toggle(world: World) -> None:
    """Stop: the playing message is played (file gone), the loop stops, the toggle stays on."""
    first, second = ready(world, "@streamer one", "@streamer two")
    player = service(world)
    player.set_autoplay(True)
    player.play()
    stopped = player.stop()
    assert [m.id for m in stopped] == [first.id]
    assert status(world, first) is MessageStatus.PLAYED
    assert f"{first.id}.wav" not in list(world.audio.refs())
    assert not player.running
    assert world.queues.stats().autoplay is True
    assert world.events.of_type(PlaybackStopped) == [PlaybackStopped(message_id=first.id)]
    world.clock.advance(COOLDOWN * 2)
    player.step()
    assert status(world, second) is MessageStatus.READY
    late = player.played(first.id or 0)  # a late report of a stopped message changes nothing
    assert late.status is MessageStatus.PLAYED
    assert status(world, second) is MessageStatus.READY


def test_stop_with_nothing_playing_still_answers(world: World) -> None:
    """Stop when idle ends nothing and publishes a stopped event without a message."""
    assert service(world).stop() == ()
    assert world.events.of_type(PlaybackStopped) == [PlaybackStopped(message_id=None)]


def test_toggle_off_stops_the_loop_after_the_current_message(world: World) -> None:
    """Turning the toggle off stops the loop; the playing message plays on and nothing follows."""
    first, second = ready(world, "@streamer one", "@streamer two")
    player = service(world)
    player.set_autoplay(True)
    player.play()
    player.set_autoplay(False)
    assert not player.running
    assert status(world, first) is MessageStatus.PLAYING
    player.played(first.id or 0)
    world.clock.advance(COOLDOWN)
    player.step()
    assert status(world, second) is MessageStatus.READY


def test_toggle_turned_off_elsewhere_stops_the_loop_at_the_next_step(world: World) -> None:
    """The loop follows the persisted toggle even when it is changed through PlaybackService directly."""
    ready(world, "@streamer one")
    player = service(world)
    player.set_autoplay(True)
    player.play()
    world.playback.set_autoplay(False)
    player.step()
    assert not player.running
    assert world.events.of_type(AutoplayLoopChanged)[-1] == AutoplayLoopChanged(running=False)


def test_an_end_reported_elsewhere_starts_the_cooldown_once_observed(world: World) -> None:
    """mark_played called directly (the HTTP route) starts the cooldown when the event is observed."""
    first, second = ready(world, "@streamer one", "@streamer two")
    player = service(world)
    player.set_autoplay(True)
    player.play()
    world.clock.advance(1)
    world.playback.mark_played(first.id or 0)
    for event in world.events.of_type(PlaybackFinished):
        player.observe(event)
    assert player.step() == world.clock.now() + timedelta(seconds=COOLDOWN)
    assert status(world, second) is MessageStatus.READY


def test_switching_queue_while_playing_lets_the_message_finish_and_continues_in_the_new_queue(world: World) -> None:
    """The playing mention plays on; after its end and the cooldown the loop plays the bits queue."""
    mention, other_mention = ready(world, "@streamer one", "@streamer two")
    (cheer,) = ready(world, "cheer", bits=100)
    player = service(world)
    player.set_autoplay(True)
    player.play()
    world.queues.switch(QueueKind.BITS)
    assert player.step() is not None
    assert status(world, mention) is MessageStatus.PLAYING
    player.played(mention.id or 0)
    world.clock.advance(COOLDOWN)
    player.step()
    assert status(world, cheer) is MessageStatus.PLAYING
    assert status(world, other_mention) is MessageStatus.READY


def test_clearing_while_playing_keeps_the_playing_message_and_the_loop(world: World) -> None:
    """Clear removes the waiting messages; the playing one finishes; the loop waits for new messages."""
    first, second = ready(world, "@streamer one", "@streamer two")
    player = service(world)
    player.set_autoplay(True)
    player.play()
    assert world.queues.clear_active().message_ids == (second.id,)
    assert status(world, first) is MessageStatus.PLAYING
    player.played(first.id or 0)
    world.clock.advance(COOLDOWN)
    assert player.step() is None
    assert player.running


def test_an_end_from_before_the_loop_started_does_not_delay_it(world: World) -> None:
    """A late-observed end of an earlier message does not impose a cooldown on a freshly started loop."""
    (first,) = ready(world, "@streamer one")
    player = service(world)
    player.play()
    player.played(first.id or 0)
    player.set_autoplay(True)
    world.clock.advance(1)
    player.play()  # dry: waits for a message
    for event in world.events.of_type(PlaybackFinished):
        player.observe(event)
    (late,) = ready(world, "@streamer late")
    player.step()
    assert status(world, late) is MessageStatus.PLAYING
