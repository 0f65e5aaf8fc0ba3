"""The synthesis worker: a thread in the server process that drains the queues into audio files."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Protocol, runtime_checkable

from tts_core.errors import AudioStoreError, EngineUnavailable, StorageError
from tts_core.events import Event, MessageQueued, MessageRequeued, QueueSwitched
from tts_core.ports import AudioStore, Synthesizer
from tts_core.services import SynthesisService

log = logging.getLogger(__name__)

ENGINE_RETRY_SECONDS = 2.0
ENGINE_RELOAD_SECONDS = 30.0
"""How often a failed engine load is tried again (e.g. the network came back for a hub download)."""
STORAGE_RETRY_SECONDS = 1.0
AUDIO_STORE_PROBE_SECONDS = 2.0
"""How often an unwritable audio store is tried again while messages wait."""
INGEST_FIRST_SECONDS = 0.25
"""Longest a message waits for incoming chat to be taken in first (see :attr:`SynthesisWorker.ingest_first`)."""


@runtime_checkable
class Loadable(Protocol):
    """An engine that loads (and warms up) before it can speak."""

    def load(self) -> None:
        """Load the engine; must not raise: failures show in ``status()``."""
        ...


class SynthesisWorker:
    """Runs :meth:`SynthesisService.synthesize_next` until stopped.

    It sleeps while there is nothing to do and wakes on :meth:`wake` (called for queued and
    switched events) or after ``poll_interval`` seconds, so rows added by another process are
    picked up too. While the engine is unavailable, messages stay pending. While the audio store
    cannot be written, :attr:`problem` says why, messages wait, and the store is probed every
    :data:`AUDIO_STORE_PROBE_SECONDS` until it works again.
    """

    def __init__(
        self,
        service: SynthesisService,
        synthesizer: Synthesizer,
        *,
        audio_store: AudioStore | None = None,
        poll_interval: float = 1.0,
        reload_interval: float = ENGINE_RELOAD_SECONDS,
        probe_interval: float = AUDIO_STORE_PROBE_SECONDS,
    ) -> None:
        self.service = service
        self.synthesizer = synthesizer
        self.audio_store = audio_store
        self.poll_interval = poll_interval
        self.reload_interval = reload_interval
        self.probe_interval = probe_interval
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.processed = 0
        self.problem: str | None = None
        """Why the worker cannot make audio now (the audio store or the database failing), or ``None``."""
        self.ingest_first: Callable[[float], bool] | None = None
        """Waits (up to the seconds given) while chat waits to be taken in; called before each message, so in a
        burst the App's ``add_message`` calls are answered first (the server sets the ingest batcher's here)."""

    @property
    def running(self) -> bool:
        """Whether the worker thread is alive."""
        return self._thread is not None and self._thread.is_alive()

    def on_event(self, event: Event) -> None:
        """Event listener: new work may be there."""
        if isinstance(event, MessageQueued | QueueSwitched | MessageRequeued):
            self.wake()

    def wake(self) -> None:
        """Look for work now instead of at the next poll."""
        self._wake.set()

    def start(self) -> None:
        """Start the thread (loading the engine first, inside it)."""
        if self.running:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="tts-synthesis-worker", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Ask the thread to finish its current message and wait for it (a message it cannot finish in time
        keeps its claim; start-up recovery or its lease gives it back)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.warning("the worker did not finish its message within %.0f s; it will be spoken again", timeout)
            self._thread = None

    def _load(self) -> float:
        """Load the engine if it loads at all (again, after a failure); returns when this was tried."""
        if isinstance(self.synthesizer, Loadable):
            self.synthesizer.load()
        return time.monotonic()

    def _run(self) -> None:
        loaded_at = self._load()
        while not self._stop.is_set():
            self._wake.clear()
            if not self.synthesizer.status().ready:
                if time.monotonic() - loaded_at >= self.reload_interval:
                    loaded_at = self._load()
                self._stop.wait(ENGINE_RETRY_SECONDS)
                continue
            if self.problem is not None and not self._store_usable():
                self._stop.wait(self.probe_interval)
                continue
            if self.ingest_first is not None:
                self.ingest_first(INGEST_FIRST_SECONDS)
            try:
                if self.service.synthesize_next():
                    self.processed += 1
                    self._clear_problem()
                    continue
                self._clear_problem()
                self._wake.wait(self.poll_interval)
            except EngineUnavailable as error:
                log.debug("engine unavailable, messages wait: %s", error)
                self._wake.wait(max(ENGINE_RETRY_SECONDS, self.poll_interval))
            except AudioStoreError as error:
                self._set_problem(str(error))
                self._stop.wait(self.probe_interval)
            except StorageError as error:
                self._set_problem(f"the database failed: {error}")
                self._stop.wait(STORAGE_RETRY_SECONDS)
            except Exception:
                log.exception("worker step failed; continuing")
                self._stop.wait(STORAGE_RETRY_SECONDS)

    def _store_usable(self) -> bool:
        if self.audio_store is None:
            return True
        try:
            self.audio_store.check()
        except AudioStoreError as error:
            self.problem = str(error)
            return False
        self._clear_problem()
        return True

    def _set_problem(self, problem: str) -> None:
        if problem != self.problem:
            log.error("synthesis paused, messages wait: %s", problem)
        self.problem = problem

    def _clear_problem(self) -> None:
        if self.problem is not None:
            log.info("synthesis resumed: %s is fixed", self.problem)
            self.problem = None
