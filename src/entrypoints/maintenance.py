"""The maintenance thread: the reconcile pass and the moderation sweep, beside the worker and the API."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from tts_core.errors import StorageError
from tts_core.services import ModerationService, RecoveryReport, RecoveryService

log = logging.getLogger(__name__)

SWEEP_SECONDS = 5.0
"""How often expired mentions (``TTS_MAX_AGE``), ended timeouts and old remembered deletions are swept away.

Playing never waits for the sweep: ``play_next`` expires what is overdue itself, so this only keeps the queue
(and the panel) free of messages that will never play.
"""


class Maintenance:
    """Runs :meth:`RecoveryService.reconcile` every ``interval_seconds`` and the moderation sweep every
    ``sweep_seconds`` (at most ``interval_seconds``) until stopped.

    The reconcile pass takes back lost leases, re-synthesizes ready messages whose file is gone, deletes files
    nothing refers to and repairs drifted counters, so a fault that a request or the worker could not repair
    at once is repaired within one interval, without a restart.
    """

    def __init__(
        self,
        recovery: RecoveryService,
        interval_seconds: float,
        moderation: ModerationService | None = None,
        sweep_seconds: float = SWEEP_SECONDS,
        prune_events: Callable[[], int] | None = None,
    ) -> None:
        self.recovery = recovery
        self.prune_events = prune_events
        """Deletes old rows of the event outbox (several processes); run after each reconcile pass."""
        self.interval_seconds = interval_seconds
        self.moderation = moderation
        self.sweep_seconds = min(sweep_seconds, interval_seconds)
        self.passes = 0
        self.sweeps = 0
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
        self._prune()
        return report

    def _prune(self) -> None:
        if self.prune_events is None:
            return
        try:
            self.prune_events()
        except StorageError as error:
            log.warning("old events not pruned: %s", error)

    def sweep(self) -> tuple[int, ...] | None:
        """Expire overdue mentions and forget ended mutes and deletions now; returns the expired ids (``None``:
        the database failed, tried again next time)."""
        if self.moderation is None:
            return ()
        try:
            expired = self.moderation.expire_overdue()
            self.moderation.forget_ended()
        except StorageError as error:
            log.warning("moderation sweep skipped: %s", error)
            return None
        except Exception:
            log.exception("moderation sweep failed")
            return None
        self.sweeps += 1
        if expired:
            log.info("expired %s mentions that waited longer than TTS_MAX_AGE", len(expired))
        return expired

    def _run(self) -> None:
        next_reconcile = time.monotonic() + self.interval_seconds
        while not self._stop.wait(self.sweep_seconds):
            self.sweep()
            if time.monotonic() >= next_reconcile:
                self.run_once()
                next_reconcile = time.monotonic() + self.interval_seconds
