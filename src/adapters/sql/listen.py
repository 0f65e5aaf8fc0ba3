"""PostgreSQL ``LISTEN`` on the events channel: a wake-up whenever events commit in any process."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine

from adapters.sql.outbox import CHANNEL

log = logging.getLogger(__name__)


def listen(engine: Engine) -> Any:
    """A psycopg connection that LISTENs on :data:`CHANNEL`; ``None`` on other databases or when it fails."""
    if engine.dialect.name != "postgresql":
        return None
    try:
        import psycopg  # noqa: PLC0415 - only PostgreSQL deployments need the driver

        url = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        connection = psycopg.connect(url, autocommit=True)
        connection.execute(f"LISTEN {CHANNEL}")
    except Exception as error:
        log.warning("cannot LISTEN for events (%s); polling instead", error)
        return None
    return connection


def wait_for_notify(connection: Any, timeout: float) -> Any:
    """Wait up to ``timeout`` seconds for a notification; returns the connection, or ``None`` when it broke."""
    try:
        for _ in connection.notifies(timeout=timeout, stop_after=1):
            pass
        return connection
    except Exception as error:
        log.warning("lost the LISTEN connection (%s); polling until it is back", error)
        close(connection)
        return None


def close(connection: Any) -> None:
    """Close a LISTEN connection, whatever its state."""
    if connection is not None:
        with contextlib.suppress(Exception):
            connection.close()


class NotifyWakeUp:
    """Calls ``wake`` whenever events commit in any process (PostgreSQL ``NOTIFY``); does nothing on SQLite.

    For a process that only needs to know that something changed, not what (a worker: new messages to claim).
    """

    def __init__(self, engine: Engine, wake: Callable[[], None], *, retry_seconds: float = 2.0) -> None:
        self.engine = engine
        self.wake = wake
        self.retry_seconds = retry_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Listen in a thread (PostgreSQL only)."""
        if self.engine.dialect.name != "postgresql" or self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="tts-notify-wake-up", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop listening."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None

    def _run(self) -> None:
        connection = None
        try:
            while not self._stop.is_set():
                if connection is None:
                    connection = listen(self.engine)
                    if connection is None:
                        self._stop.wait(self.retry_seconds)
                        continue
                connection = wait_for_notify(connection, timeout=1.0)
                self.wake()
        finally:
            close(connection)
