"""The autoplay driver: a thread that steps the AutoplayService when something happens or a deadline falls due."""

from __future__ import annotations

import collections
import logging
import threading
from datetime import datetime

from tts_core.events import EngineStatusChanged, Event, MessageFailed, MessageQueued, QueueChanged
from tts_core.ports import Clock
from tts_core.services import AutoplayService

log = logging.getLogger(__name__)

IDLE_POLL_SECONDS = 5.0
"""Longest real sleep between steps: picks up changes no event announced (another process, a clock jump)."""
RETRY_SECONDS = 1.0
_IRRELEVANT = (MessageQueued, QueueChanged, MessageFailed, EngineStatusChanged)
"""Events that cannot change what autoplay should do (a ready count change always comes with another event)."""


class AutoplayDriver:
    """Runs :meth:`AutoplayService.step` in its own thread.

    It sleeps until the deadline the step returned (measured on the injected clock) or until an event
    wakes it, whichever comes first, and at most :data:`IDLE_POLL_SECONDS`. With a manual clock,
    advance the clock and call :meth:`wake` (or :meth:`wake_and_wait`): nothing waits for real time.
    """

    def __init__(self, service: AutoplayService, clock: Clock, idle_poll_seconds: float = IDLE_POLL_SECONDS) -> None:
        self.service = service
        self.clock = clock
        self.idle_poll_seconds = idle_poll_seconds
        self._inbox: collections.deque[Event] = collections.deque()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._steps = threading.Condition()
        self._requested = 0
        self._completed = 0
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        """Whether the driver thread is alive."""
        return self._thread is not None and self._thread.is_alive()

    def on_event(self, event: Event) -> None:
        """EventHub listener: never blocks; the event is looked at in the driver's thread."""
        if not isinstance(event, _IRRELEVANT):
            self._inbox.append(event)
            self.wake()

    def wake(self) -> int:
        """Step soon; returns a ticket that :meth:`wait_for` accepts."""
        with self._steps:
            self._requested += 1
            ticket = self._requested
        self._wake.set()
        return ticket

    def wait_for(self, ticket: int, timeout: float) -> bool:
        """Wait until a step that began after :meth:`wake` returned ``ticket`` has finished."""
        with self._steps:
            return self._steps.wait_for(lambda: self._completed >= ticket or self._stop.is_set(), timeout)

    def wake_and_wait(self, timeout: float = 5.0) -> bool:
        """Step now and wait for it (tests advance a manual clock, then call this)."""
        return self.wait_for(self.wake(), timeout)

    def start(self) -> None:
        """Start the thread."""
        if self.running:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="tts-autoplay-driver", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the thread and wait for it."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        with self._steps:
            self._steps.notify_all()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()  # before reading the ticket: a wake() after this line is never lost
            with self._steps:
                serving = self._requested
            sleep = self._step()
            with self._steps:
                self._completed = max(self._completed, serving)
                self._steps.notify_all()
            self._wake.wait(sleep)

    def _step(self) -> float:
        """One step; returns how long to sleep (real seconds)."""
        try:
            while self._inbox:
                self.service.observe(self._inbox.popleft())
            return self._seconds_until(self.service.step())
        except Exception:
            log.exception("autoplay step failed; retrying")
            return RETRY_SECONDS

    def _seconds_until(self, deadline: datetime | None) -> float:
        if deadline is None:
            return self.idle_poll_seconds
        remaining = (deadline - self.clock.now()).total_seconds()
        return min(max(remaining, 0.0), self.idle_poll_seconds)
