"""Freed memory goes back to the system after the engine's texts: soon after a burst, not after every text."""

from __future__ import annotations

import threading
import time

from adapters.release_pacer import ReleasePacer

INTERVAL = 0.2
WAIT = 5.0


class Releases:
    def __init__(self) -> None:
        self.count = 0
        self.changed = threading.Condition()

    def __call__(self) -> None:
        with self.changed:
            self.count += 1
            self.changed.notify_all()

    def wait_for(self, count: int) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: self.count >= count, WAIT)


def text(pacer: ReleasePacer) -> None:
    pacer.started()
    pacer.finished()


def test_a_burst_releases_once_at_once_and_once_when_idle() -> None:
    """Ten texts in a row cost one release, not ten; what they freed goes back shortly after the last one."""
    releases = Releases()
    pacer = ReleasePacer(releases, interval=INTERVAL)
    for _ in range(10):
        text(pacer)
    assert releases.count == 1
    assert releases.wait_for(2), "the burst's memory was never released"
    time.sleep(2 * INTERVAL)
    assert releases.count == 2  # idle: nothing more to give back


def test_texts_that_keep_coming_release_at_most_once_per_interval() -> None:
    """A long stretch of work releases now and then, never more often than the interval allows."""
    releases = Releases()
    pacer = ReleasePacer(releases, interval=INTERVAL)
    started = time.monotonic()
    while time.monotonic() - started < 5 * INTERVAL:
        text(pacer)
        time.sleep(INTERVAL / 20)
    assert 2 <= releases.count <= 6


def test_no_release_while_a_text_is_running() -> None:
    """The deferred release waits for the running text (it would give back pages the model is using) and comes
    when that text ends."""
    releases = Releases()
    pacer = ReleasePacer(releases, interval=INTERVAL)
    text(pacer)  # releases at once
    text(pacer)  # arms the deferred release
    pacer.started()
    time.sleep(3 * INTERVAL)
    assert releases.count == 1
    pacer.finished()
    assert releases.count == 2
