"""Event sink port: where services announce what happened."""

from __future__ import annotations

from typing import Protocol

from tts_core.events import Event


class EventSink(Protocol):
    """Receives domain events as they happen.

    ``publish`` must not block on slow consumers and must not raise: a failing listener never
    undoes the change that produced the event. Services publish after the change is committed.
    """

    def publish(self, event: Event) -> None:
        """Deliver ``event`` to every listener."""
        ...
