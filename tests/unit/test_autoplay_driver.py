"""The autoplay driver thread on in-memory adapters: events wake it, deadlines come from the injected clock."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import datetime

import attrs
import pytest

from adapters.memory import FakeSynthesizer, InMemoryAudioStore, InMemoryStorage, ManualClock, RecordingEventSink
from entrypoints.autoplay_driver import AutoplayDriver
from tests.world import World
from tts_core import IncomingChat, Message, MessageStatus, MessageType
from tts_core.events import Event
from tts_core.services import AutoplayService

COOLDOWN = 10.0


@attrs.define
class ForwardingSink(RecordingEventSink):
    """Records events and hands each to the listeners, in the publisher's thread (as the EventHub does)."""

    listeners: list[Callable[[Event], None]] = attrs.Factory(list)

    def publish(self, event: Event) -> None:
        super().publish(event)
        for listener in self.listeners:
            listener(event)


@pytest.fixture
def hub_world() -> World:
    """A world whose events also reach the driver."""
    events = ForwardingSink()
    return World(
        storage=InMemoryStorage(events=events),
        audio=InMemoryAudioStore(),
        clock=ManualClock(),
        events=events,
        engine=FakeSynthesizer(),
        budget_bytes=1 << 30,
    )


@pytest.fixture
def running(hub_world: World) -> Iterator[tuple[AutoplayService, AutoplayDriver]]:
    service = AutoplayService(
        playback=hub_world.playback,
        clock=hub_world.clock,
        cooldown_seconds=COOLDOWN,
        grace_seconds=3.0,
    )
    driver = AutoplayDriver(service, hub_world.clock)
    assert isinstance(hub_world.events, ForwardingSink)
    hub_world.events.listeners.append(driver.on_event)
    driver.start()
    yield service, driver
    driver.stop()
    assert not driver.running


def ready(world: World, text: str) -> Message:
    added = world.ingest.add_message(IncomingChat(sent_by="v", text=text, message_type=MessageType.CHAT))
    assert isinstance(added, Message)
    world.drain()
    return added


def test_a_reported_end_then_the_cooldown_on_the_clock_plays_the_next(
    hub_world: World, running: tuple[AutoplayService, AutoplayDriver]
) -> None:
    """The driver plays the next message once the manual clock has passed the cooldown, not before."""
    service, driver = running
    first, second = ready(hub_world, "@streamer one"), ready(hub_world, "@streamer two")
    service.set_autoplay(True)
    service.play()
    service.played(first.id or 0)
    hub_world.clock.advance(COOLDOWN - 1)
    assert driver.wake_and_wait()
    assert hub_world.queues.get(second.id or 0).status is MessageStatus.READY
    hub_world.clock.advance(1)
    assert driver.wake_and_wait()
    assert hub_world.queues.get(second.id or 0).status is MessageStatus.PLAYING


def test_a_new_ready_message_wakes_the_driver_without_a_nudge(
    hub_world: World, running: tuple[AutoplayService, AutoplayDriver]
) -> None:
    """With the loop running on a dry queue, the message_ready event alone gets the message played."""
    service, _ = running
    service.set_autoplay(True)
    service.play()
    late = ready(hub_world, "@streamer late")
    deadline = time.monotonic() + 5  # a bounded wait, not a timing assertion
    while hub_world.queues.get(late.id or 0).status is not MessageStatus.PLAYING and time.monotonic() < deadline:
        time.sleep(0.01)
    assert hub_world.queues.get(late.id or 0).status is MessageStatus.PLAYING


class _Broken(AutoplayService):
    calls = 0

    def step(self) -> datetime | None:
        type(self).calls += 1
        raise RuntimeError("storage on fire")


def test_a_failing_step_does_not_kill_the_thread(hub_world: World) -> None:
    """A step that raises is logged and retried; the thread stays alive and stops on request."""
    service = _Broken(playback=hub_world.playback, clock=hub_world.clock, cooldown_seconds=1, grace_seconds=1)
    driver = AutoplayDriver(service, hub_world.clock)
    driver.start()
    try:
        assert driver.wake_and_wait()
        assert driver.running
        assert _Broken.calls >= 1
    finally:
        driver.stop()
