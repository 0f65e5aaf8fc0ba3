"""IngestBatcher: one writer thread takes chat messages from every HTTP and WebSocket caller, many per transaction."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import threading
from collections.abc import Callable

import attrs

from tts_core.chat import IncomingChat
from tts_core.errors import InvalidInput
from tts_core.model import Message
from tts_core.services import IngestService
from tts_core.services.ingest import NotQueued

log = logging.getLogger(__name__)

MAX_BATCH = 64
"""Messages one transaction takes at most: enough to soak up a raid, small enough to answer the first quickly."""

Outcome = Message | NotQueued


@attrs.frozen
class _Job:
    incoming: IncomingChat
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[Outcome]


class IngestBatcher:
    """Carries out ``add_message`` in one thread, taking everything that waits into one unit of work.

    Why: with SQLite one writer at a time is all there is. Handlers in a thread pool each waiting for the write
    lock spend their time in SQLite's busy back-off (sleeps of up to 100 ms), while one thread that takes the
    waiting messages together pays one commit, one ``seq`` update and one ``queue_changed`` for the lot
    (:meth:`IngestService.add_messages`). Callers see exactly what :meth:`IngestService.add_message` would do,
    in the order they called: the result, :class:`InvalidInput` or :class:`StorageError`.
    """

    def __init__(self, ingest: Callable[[], IngestService], max_batch: int = MAX_BATCH) -> None:
        self._ingest = ingest
        self._max_batch = max_batch
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._waiting = 0
        """Messages handed in and not yet answered."""
        self._quiet = threading.Condition()

    async def add(self, incoming: IncomingChat) -> Outcome:
        """Queue ``incoming`` (or say why not) once its batch has committed; the events it caused are published
        before this returns."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Outcome] = loop.create_future()
        self._start()
        with self._quiet:
            self._waiting += 1
        self._jobs.put(_Job(incoming, loop, future))
        return await future

    def wait_quiet(self, timeout: float) -> bool:
        """Wait until no message waits to be taken in, at most ``timeout`` seconds; returns whether it is quiet.

        The synthesis worker calls this before each message, so a burst of chat is taken in (and answered) first
        and synthesis goes on in the gaps: on a busy chat that is nearly always at once, in a flood at least once
        per ``timeout``.
        """
        with self._quiet:
            return self._quiet.wait_for(lambda: self._waiting == 0, timeout)

    def stop(self) -> None:
        """Finish the messages already handed in, then end the thread."""
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._jobs.put(None)
            thread.join(10)

    def _start(self) -> None:
        if self._thread is not None:
            return
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="tts-ingest", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            first = self._jobs.get()
            if first is None:
                return
            batch = [first]
            stop = False
            with contextlib.suppress(queue.Empty):
                while len(batch) < self._max_batch:
                    job = self._jobs.get_nowait()
                    if job is None:
                        stop = True
                        break
                    batch.append(job)
            self._carry_out(batch)
            if stop:
                return

    def _carry_out(self, batch: list[_Job]) -> None:
        try:
            self._take_in(batch)
        finally:
            with self._quiet:
                self._waiting -= len(batch)
                if self._waiting <= 0:
                    self._quiet.notify_all()

    def _take_in(self, batch: list[_Job]) -> None:
        try:
            results = self._ingest().add_messages([job.incoming for job in batch])
        except Exception as error:  # StorageError above all: every caller of the batch hears it
            if not isinstance(error, InvalidInput):
                log.debug("ingest batch of %d failed", len(batch), exc_info=True)
            for job in batch:
                _settle(job, error)
            return
        for job, result in zip(batch, results, strict=True):
            _settle(job, result)


def _settle(job: _Job, result: Outcome | BaseException) -> None:
    def settle() -> None:
        if job.future.done():  # the caller went away (a closed connection cancelled it)
            return
        if isinstance(result, BaseException):
            job.future.set_exception(result)
        else:
            job.future.set_result(result)

    with contextlib.suppress(RuntimeError):  # the loop is closed: nobody waits any more
        job.loop.call_soon_threadsafe(settle)
