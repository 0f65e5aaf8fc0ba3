"""Clock and EventSink contracts, over the real adapters and their in-memory fakes."""

from __future__ import annotations

from datetime import UTC

import pytest

from adapters.event_hub import EventHub
from adapters.memory import ManualClock, RecordingEventSink
from adapters.system_clock import SystemClock
from tts_core import Clock, EventSink, QueueKind
from tts_core.events import AutoplayChanged, Event, QueueSwitched


@pytest.mark.parametrize("clock", [SystemClock(), ManualClock()], ids=["system", "manual"])
def test_clock_tells_aware_utc_time_that_never_goes_back(clock: Clock) -> None:
    """now() is timezone-aware UTC and non-decreasing."""
    first, second = clock.now(), clock.now()
    assert first.tzinfo is not None
    assert first.utcoffset() == UTC.utcoffset(None)
    assert second >= first


def test_manual_clock_moves_only_when_advanced() -> None:
    """The manual clock stands still until advanced, then moves by exactly that much."""
    clock = ManualClock()
    start = clock.now()
    assert clock.now() == start
    assert (clock.advance(2.5) - start).total_seconds() == 2.5


def _sink_and_received(kind: str) -> tuple[EventSink, list[Event]]:
    if kind == "recording":
        sink = RecordingEventSink()
        return sink, sink.events
    hub = EventHub()
    received: list[Event] = []
    hub.subscribe(received.append)
    return hub, received


@pytest.mark.parametrize("kind", ["recording", "hub"])
def test_events_arrive_in_order(kind: str) -> None:
    """Published events reach the listener in publication order."""
    sink, received = _sink_and_received(kind)
    events = [AutoplayChanged(autoplay=True), QueueSwitched(active_queue=QueueKind.BITS)]
    for event in events:
        sink.publish(event)
    assert received == events


def test_hub_isolates_failing_listeners_and_unsubscribes() -> None:
    """A listener that raises does not stop the others or the publisher; unsubscribed listeners get nothing."""
    hub = EventHub()
    received: list[Event] = []

    def broken(_: Event) -> None:
        raise RuntimeError("listener bug")

    hub.subscribe(broken)
    unsubscribe = hub.subscribe(received.append)
    hub.publish(AutoplayChanged(autoplay=True))
    unsubscribe()
    hub.publish(AutoplayChanged(autoplay=False))
    assert received == [AutoplayChanged(autoplay=True)]
