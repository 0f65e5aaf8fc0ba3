"""FairLock hands the lock over in arrival order, lets no releaser barge, and lets waiters give up cleanly."""

from __future__ import annotations

import threading

import pytest

from adapters.fair_lock import FairLock

WAIT = 5.0
"""Deadline for waits that should end at once; never a timing assertion."""


def _queue_up(lock: FairLock, name: object, order: list[object]) -> threading.Thread:
    def take_turn() -> None:
        with lock:
            order.append(name)

    thread = threading.Thread(target=take_turn, daemon=True)
    thread.start()
    return thread


def test_waiters_get_the_lock_in_arrival_order() -> None:
    """Eight threads that queued one after another acquire in exactly that order."""
    lock, order = FairLock(), list[object]()
    lock.acquire()
    threads = []
    for index in range(8):
        threads.append(_queue_up(lock, index, order))
        assert lock.wait_for_queued(index + 1, WAIT), f"thread {index} did not queue"
    lock.release()
    for thread in threads:
        thread.join(WAIT)
    assert order == list(range(8))
    assert lock.queued == 0


def test_a_releaser_cannot_barge_ahead_of_a_waiter() -> None:
    """Releasing and acquiring again at once puts the releaser behind the thread already waiting."""
    lock, order = FairLock(), list[object]()
    lock.acquire()
    waiter = _queue_up(lock, "waiter", order)
    assert lock.wait_for_queued(1, WAIT)
    lock.release()
    with lock:
        order.append("releaser")
    waiter.join(WAIT)
    assert order == ["waiter", "releaser"]


def test_no_immediate_take_while_someone_waits() -> None:
    """Right after a release, a zero-timeout acquire fails: the lock belongs to the waiter."""
    lock, order = FairLock(), list[object]()
    lock.acquire()
    waiter = _queue_up(lock, "waiter", order)
    assert lock.wait_for_queued(1, WAIT)
    lock.release()
    assert not lock.acquire(timeout=0)
    waiter.join(WAIT)
    assert order == ["waiter"]
    assert lock.acquire(timeout=0)


def test_a_waiter_that_gives_up_leaves_the_queue() -> None:
    """A timed-out acquire returns False and does not hold up the waiter behind it."""
    lock, order = FairLock(), list[object]()
    lock.acquire()
    gave_up = threading.Event()
    results: list[bool] = []

    def impatient() -> None:
        results.append(lock.acquire(timeout=0.01))
        gave_up.set()

    threading.Thread(target=impatient, daemon=True).start()
    assert gave_up.wait(WAIT)  # it cannot succeed: this thread holds the lock until after it gave up
    patient = _queue_up(lock, "patient", order)
    assert lock.wait_for_queued(1, WAIT)
    lock.release()
    patient.join(WAIT)
    assert results == [False]
    assert order == ["patient"]
    assert lock.queued == 0


def test_mutual_exclusion_under_contention() -> None:
    """Four threads incrementing a shared counter under the lock lose no update."""
    lock, counter = FairLock(), [0]

    def work() -> None:
        for _ in range(2000):
            with lock:
                value = counter[0]
                counter[0] = value + 1

    threads = [threading.Thread(target=work, daemon=True) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert counter[0] == 8000


def test_releasing_an_unheld_lock_is_an_error() -> None:
    """release() without acquire() raises, as threading.Lock does."""
    with pytest.raises(RuntimeError):
        FairLock().release()
