"""SqlEventRelay: publishes every process's committed events to this process's hub, in ``seq`` order, once each."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, create_engine
from sqlalchemy.exc import SQLAlchemyError

from adapters.sql.listen import close, listen, wait_for_notify
from adapters.sql.outbox import newest_seq, prune_before, read_after
from tts_core.errors import StorageError
from tts_core.events import Event
from tts_core.ports import EventSink

log = logging.getLogger(__name__)

LISTEN_FALLBACK_SECONDS = 2.0
"""On PostgreSQL a NOTIFY wakes the relay; it still reads the outbox this often in case one was missed."""
OUTBOX_KEEP_SECONDS = 600.0
"""How long outbox rows are kept: relays read them within a poll interval; a process stalled for longer than
this misses the events in between (its WebSocket clients see the next snapshot when they reconnect)."""


class SqlEventRelay(EventSink):
    """Tails the event outbox and hands each event to ``hub``, in ``seq`` order, never twice.

    It is also the storage's event sink in this process: an event this process just committed is handed on at
    once (after any older event of another process that the relay has not read yet), so a command's events still
    reach its WebSocket before the command's answer. A thread reads what the other processes committed: woken by
    PostgreSQL's ``NOTIFY``, or every ``poll_interval`` seconds (SQLite, or a missed notification).
    """

    def __init__(self, engine: Engine, hub: EventSink, *, poll_interval: float = 0.25) -> None:
        self.engine = engine
        self.hub = hub
        self.poll_interval = poll_interval
        self._reader = reader_engine(engine)
        self._last: int | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def last_seq(self) -> int | None:
        """The ``seq`` of the newest event handed on (``None`` before the relay knows where it starts)."""
        return self._last

    def publish(self, event: Event) -> None:
        """An event this process committed (numbered): hand on what came before it, then it."""
        with self._lock:
            if self._last is None:
                self._last = event.seq - 1
            if event.seq == 0 or event.seq <= self._last:
                return
            while self._last < event.seq - 1:  # older events of other processes, committed before this one
                batch = self._read(self._last, through=event.seq - 1)
                if not batch:
                    break
                self._hand_on(batch)
            self._hand_on([(event.seq, event)])

    def catch_up(self) -> int:
        """Hand on every committed event not handed on yet; returns how many."""
        with self._lock:
            if self._last is None:
                self._last = self._newest()
                return 0
            handed = 0
            while True:
                batch = self._read(self._last)
                self._hand_on(batch)
                handed += len(batch)
                if not batch:
                    return handed

    def prune(self, keep_seconds: float = OUTBOX_KEEP_SECONDS) -> int:
        """Delete outbox rows older than ``keep_seconds``; returns how many (the maintenance pass calls it)."""
        before = datetime.now(UTC) - timedelta(seconds=keep_seconds)
        try:
            with self.engine.begin() as connection:
                return prune_before(connection, before)
        except SQLAlchemyError as error:
            raise StorageError(f"database error: {error.__class__.__name__}: {error}") from error

    def start(self) -> None:
        """Start at the newest committed event (nothing older is replayed) and tail the outbox in a thread."""
        if self._thread is not None and self._thread.is_alive():
            return
        with self._lock:
            if self._last is None:
                self._last = self._newest()
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="tts-event-relay", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the thread."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        listener = listen(self.engine)
        try:
            while not self._stop.is_set():
                try:
                    self.catch_up()
                except Exception:
                    log.exception("the event relay could not read the outbox; trying again")
                listener = self._wait(listener)
        finally:
            close(listener)

    def _wait(self, listener: Any) -> Any:
        if listener is None:
            self._stop.wait(self.poll_interval)
            return listen(self.engine)
        return wait_for_notify(listener, LISTEN_FALLBACK_SECONDS)

    def _hand_on(self, entries: list[tuple[int, Event | None]]) -> None:
        for seq, event in entries:
            if event is not None:
                try:
                    self.hub.publish(event)
                except Exception:
                    log.exception("handing on %s failed", event.type)
            self._last = seq

    def _read(self, after: int, *, through: int | None = None) -> list[tuple[int, Event | None]]:
        with self._reader.connect() as connection:
            return read_after(connection, after, through=through)

    def _newest(self) -> int:
        with self._reader.connect() as connection:
            return newest_seq(connection)


def reader_engine(engine: Engine) -> Engine:
    """An engine for reads that never take SQLite's write lock (the storage's engine begins every transaction
    with ``BEGIN IMMEDIATE``); on other databases ``engine`` itself."""
    if engine.dialect.name != "sqlite":
        return engine
    return create_engine(engine.url, connect_args={"check_same_thread": False, "timeout": 10.0})
