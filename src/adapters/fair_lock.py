"""FairLock: a mutual-exclusion lock handed over first come, first served (``threading.Lock`` lets a releaser barge)."""

from __future__ import annotations

import threading
import time
from collections import deque
from types import TracebackType


class FairLock:
    """A lock whose waiters get it in the order they asked for it.

    ``threading.Lock`` lets the thread that just released it take it again before a thread that has been
    waiting; a speech request that loops chunk after chunk could then keep the worker out for a whole text.
    Here a release hands the lock to the oldest waiter, and a newcomer queues behind every waiter.
    Not reentrant.
    """

    def __init__(self) -> None:
        self._condition = threading.Condition(threading.Lock())
        self._waiters: deque[object] = deque()
        self._held = False

    @property
    def queued(self) -> int:
        """How many threads are waiting for the lock now."""
        with self._condition:
            return len(self._waiters)

    def acquire(self, timeout: float | None = None) -> bool:
        """Take the lock after every earlier waiter; ``timeout`` seconds at most (``None``: no limit).

        Returns whether it was taken; a waiter that gives up leaves the queue without taking a turn.
        """
        with self._condition:
            if not self._held and not self._waiters:
                self._held = True
                return True
            ticket = object()
            self._waiters.append(ticket)
            self._condition.notify_all()  # for wait_for_queued
            deadline = None if timeout is None else time.monotonic() + timeout
            try:
                while self._held or self._waiters[0] is not ticket:
                    remaining = None if deadline is None else deadline - time.monotonic()
                    if remaining is not None and remaining <= 0:
                        return False
                    self._condition.wait(remaining)
                self._held = True
                return True
            finally:
                self._waiters.remove(ticket)
                self._condition.notify_all()  # the next in line may be free to go, if this one gave up

    def release(self) -> None:
        """Let the oldest waiter have the lock. Raises ``RuntimeError`` when the lock is not held."""
        with self._condition:
            if not self._held:
                raise RuntimeError("release of an unheld FairLock")
            self._held = False
            self._condition.notify_all()

    def wait_for_queued(self, count: int, timeout: float) -> bool:
        """Block until at least ``count`` threads wait for the lock, ``timeout`` seconds at most; whether they do."""
        with self._condition:
            return self._condition.wait_for(lambda: len(self._waiters) >= count, timeout)

    def __enter__(self) -> FairLock:
        self.acquire()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.release()
