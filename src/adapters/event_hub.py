"""EventHub: an in-process EventSink that fans events out to subscribers (WebSockets, the worker)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from tts_core.events import Event
from tts_core.ports import EventSink

log = logging.getLogger(__name__)

Listener = Callable[[Event], None]


class EventHub(EventSink):
    """Calls every subscribed listener with each published event, in the publisher's thread.

    Listeners must be quick and must not block (hand the event to a queue); one that raises is
    logged and the others still get the event.
    """

    def __init__(self) -> None:
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Add ``listener``; returns a function that removes it."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def publish(self, event: Event) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(event)
            except Exception:
                log.exception("event listener failed on %s", event.type)
