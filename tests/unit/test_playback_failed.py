"""A client that cannot play a message reports a failure: the message is ready again, first, and the loop pauses."""

from __future__ import annotations

import pytest

from tests.unit.test_autoplay_service import ready, service, status
from tests.world import World
from tts_core import MessageStatus
from tts_core.errors import InvalidTransition
from tts_core.events import AutoplayLoopChanged, PlaybackFailed, PlaybackStarted


def test_failed_playback_makes_the_message_ready_again_and_first(world: World) -> None:
    """playing → ready keeps the audio; the same message is the next one Play starts."""
    first, _second = ready(world, "@streamer one", "@streamer two")
    player = service(world)
    assert player.play().started is not None
    message = player.playback_failed(first.id or 0, "NotAllowedError")
    assert message.status is MessageStatus.READY
    assert message.audio is not None
    assert world.events.of_type(PlaybackFailed)
    again = player.play().started
    assert again is not None
    assert again.id == first.id


def test_failed_playback_pauses_the_loop_with_the_reason(world: World) -> None:
    """A running loop stops, and its event says why; nothing else starts playing."""
    first, _second = ready(world, "@streamer one", "@streamer two")
    player = service(world)
    player.set_autoplay(True)
    player.play()
    assert player.running
    player.playback_failed(first.id or 0, "NotAllowedError: play() failed")
    assert not player.running
    stopped = [e for e in world.events.of_type(AutoplayLoopChanged) if isinstance(e, AutoplayLoopChanged)][-1]
    assert not stopped.running
    assert stopped.reason is not None
    assert "NotAllowedError" in stopped.reason
    player.step()
    assert len(world.events.of_type(PlaybackStarted)) == 1


def test_a_second_report_of_the_same_failure_changes_nothing(world: World) -> None:
    """Two pages reporting the same failure: the second one is harmless; a played message stays played."""
    (first,) = ready(world, "@streamer one")
    player = service(world)
    player.play()
    player.playback_failed(first.id or 0, "blocked")
    player.playback_failed(first.id or 0, "blocked")
    assert len(world.events.of_type(PlaybackFailed)) == 1
    player.play()
    player.played(first.id or 0)
    assert player.playback_failed(first.id or 0, "late").status is MessageStatus.PLAYED
    assert status(world, first) is MessageStatus.PLAYED


def test_a_message_that_never_played_cannot_fail_to_play(world: World) -> None:
    """A pending message reported as failed is an invalid transition."""
    message = world.add("@streamer not yet")
    with pytest.raises(InvalidTransition):
        service(world).playback_failed(message.id or 0, "blocked")
