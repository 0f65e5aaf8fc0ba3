"""The maintenance thread: the reconcile pass, every few seconds, beside the worker and the API."""

from __future__ import annotations

import logging
import threading

from tts_core.errors import StorageError
from tts_core.services import RecoveryReport, RecoveryService

log = logging.getLogger(__name__)


class Maintenance:
    """Runs :meth:`RecoveryService.reconcile` every ``interval_seconds`` until stopped.

    It takes back lost leases, re-synthesizes ready messages whose file is gone, deletes files nothing
    refers to and repairs drifted counters, so a fault that a request or the worker could not repair
    at once is repaired within one interval, without a restart.
    """

    def __init__(self, recovery: RecoveryService, interval_seconds: float) -> None:
        self.recovery = recovery
        self.interval_seconds = interval_seconds
        self.passes = 0
        self.last_report: RecoveryReport | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        """Whether the thread is alive."""
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Start the thread; the first pass runs after one interval (start-up already recovered)."""
        if self.running:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="tts-maintenance", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the thread after its current pass."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def run_once(self) -> RecoveryReport | None:
        """One reconcile pass now; ``None`` when the database failed (tried again next interval)."""
        try:
            report = self.recovery.reconcile()
        except StorageError as error:
            log.warning("reconcile pass skipped: %s", error)
            return None
        except Exception:
            log.exception("reconcile pass failed")
            return None
        self.passes += 1
        self.last_report = report
        return report

    def _run(self) -> None:
        while not self._stop.wait(self.interval_seconds):
            self.run_once()
