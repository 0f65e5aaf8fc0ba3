"""The playback owner: of several API processes, the one holding the ``playback`` lease runs the autoplay driver."""

from __future__ import annotations

import logging
import threading
from datetime import datetime
from typing import Protocol

from tts_core.errors import StorageError
from tts_core.ports import Clock

log = logging.getLogger(__name__)


class RoleLease(Protocol):
    """A lease on a role, as :class:`adapters.sql.leases.SqlRoleLease` keeps it."""

    seconds: float

    def hold(self, now: datetime) -> bool:
        """Take or renew the role from ``now``; ``False`` while another process holds it."""
        ...

    def give_up(self) -> bool:
        """Free the role at once."""
        ...


class Driver(Protocol):
    """What is started while the role is held (the autoplay driver)."""

    @property
    def running(self) -> bool: ...

    def start(self) -> None: ...

    def stop(self, timeout: float = 5.0) -> None: ...


class PlaybackOwner:
    """Renews the lease every ``seconds / 3`` and runs ``driver`` exactly while it holds it.

    A process that dies stops renewing; once its lease has expired, another API process takes the role at its
    next renewal and starts its own driver (autoplay timeouts, the loop). A clean stop gives the role up at once.
    """

    def __init__(self, lease: RoleLease, driver: Driver, clock: Clock) -> None:
        self.lease = lease
        self.driver = driver
        self.clock = clock
        self.holding = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def renew_seconds(self) -> float:
        """How often the lease is renewed (a third of its length: two renewals may fail before it expires)."""
        return self.lease.seconds / 3

    def step(self) -> bool:
        """Take or renew the lease once and start or stop the driver to match; returns whether this process owns
        playback now."""
        try:
            held = self.lease.hold(self.clock.now())
        except StorageError as error:
            log.warning("cannot renew the playback lease (%s); autoplay pauses here", error)
            held = False
        if held and not self.driver.running:
            log.info("this process now owns playback (autoplay and playback timeouts run here)")
            self.driver.start()
        elif not held and self.driver.running:
            log.warning("another process owns playback now; autoplay stops here")
            self.driver.stop()
        self.holding = held
        return held

    def start(self) -> None:
        """Try at once, then keep renewing in a thread."""
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self.step()
        self._thread = threading.Thread(target=self._run, name="tts-playback-owner", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop renewing, stop the driver and give the role up."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(10)
            self._thread = None
        self.driver.stop()
        if self.holding:
            try:
                self.lease.give_up()
            except StorageError as error:
                log.warning("could not give up the playback lease (%s); it expires by itself", error)
            self.holding = False

    def _run(self) -> None:
        while not self._stop.wait(self.renew_seconds):
            self.step()
