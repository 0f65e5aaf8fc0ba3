"""The server's synthesis worker minus the database, for benchmarks: a SynthesisWorker thread over in-memory storage,
given messages block by block and timed until each block is ready."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from adapters.memory import InMemoryAudioStore, InMemoryStorage
from adapters.system_clock import SystemClock
from entrypoints.worker import SynthesisWorker
from tts_core.events import Event, MessageFailed, MessageReady
from tts_core.model import Message
from tts_core.ports import EventSink, SpeechFinisher, Synthesizer
from tts_core.services import SynthesisService


class ReadyCounter(EventSink):
    """Passes events to the worker (as the server's event hub does) and counts messages that are done."""

    def __init__(self) -> None:
        self.listeners: list[Callable[[Event], None]] = []
        self.ready: list[Message] = []
        self.failed: list[Message] = []
        self._done = threading.Condition()

    def publish(self, event: Event) -> None:
        for listener in self.listeners:
            listener(event)
        if isinstance(event, MessageReady | MessageFailed):
            with self._done:
                (self.failed if isinstance(event, MessageFailed) else self.ready).append(event.message)
                self._done.notify_all()

    def wait_for(self, count: int) -> None:
        """Block until ``count`` messages are ready; a failed one ends the benchmark."""
        with self._done:
            self._done.wait_for(lambda: len(self.ready) >= count or bool(self.failed))
        if self.failed:
            raise SystemExit(f"a benchmark message failed: {self.failed[0].error}")


class RunningWorker:
    """A started SynthesisWorker (woken by the queued events, as in the server) that speaks with ``engine`` (the
    worker's stack, e.g. the reuse cache over Kokoro), loads ``loadable`` and finishes with ``finisher``, into an
    in-memory audio store."""

    def __init__(self, loadable: Synthesizer, engine: Synthesizer, finisher: SpeechFinisher) -> None:
        self.events = ReadyCounter()
        self.storage = InMemoryStorage(events=self.events)
        service = SynthesisService(
            storage=self.storage,
            synthesizer=engine,
            audio_store=InMemoryAudioStore(),
            clock=SystemClock(),
            mentions_budget_bytes=10**12,
            finisher=finisher,
        )
        self.worker = SynthesisWorker(service, loadable, poll_interval=1.0)
        self.events.listeners.append(self.worker.on_event)
        self.worker.start()
        self._queued = 0

    def block(self, add: Callable[[InMemoryStorage], int]) -> tuple[list[Message], float]:
        """``add(storage)`` queues messages and says how many; returns them once ready, and the wall seconds from
        queueing the first to the last one being stored."""
        started = time.perf_counter()
        added = add(self.storage)
        self._queued += added
        self.events.wait_for(self._queued)
        wall = time.perf_counter() - started
        return self.events.ready[len(self.events.ready) - added :], wall

    def stop(self) -> None:
        self.worker.stop()
