"""Storage-level costs of the SQL adapter on SQLite, each against a bare baseline in the same run, alternating.

Usage: python bench/storage_ingest.py [--messages N] [--rounds R]

- add: one unit of work per message doing what ingest asks of storage (insert, ``message_queued``, the queue's
  counters for ``queue_changed``) vs a bare sqlite3 ``BEGIN IMMEDIATE; INSERT; COMMIT`` loop.
- clear: soft-deleting N waiting messages set-based (``soft_delete_many``) vs a save per message (what the clear did
  before), same adapter, same rows.
- stats: the counters read in a read-only unit (``reading``) vs in a unit of work that takes the write lock, alone
  and while another thread keeps adding messages (p50/p99 per read: a read-only unit does not queue for the lock).
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from adapters.sql import SqlModelStorage, create_sql_engine, upgrade_to_head
from tts_core import DeletionReason, Message, QueueKind
from tts_core.events import MessageQueued, QueueChanged
from tts_core.model import CLEARABLE_STATUSES


def _message(i: int) -> Message:
    text = f"@streamer message {i}"
    now = datetime.now(UTC)
    return Message(queue=QueueKind.MENTIONS, sent_by="viewer", text=text, spoken_text=text, created_at=now)


def bare_add(path: Path, count: int) -> float:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute("CREATE TABLE m (id INTEGER PRIMARY KEY, queue TEXT, sent_by TEXT, text TEXT, created TEXT)")
    start = time.perf_counter()
    for i in range(count):
        connection.execute("BEGIN IMMEDIATE")
        connection.execute(
            "INSERT INTO m (queue, sent_by, text, created) VALUES (?, ?, ?, ?)",
            ("mentions", "viewer", f"@streamer message {i}", datetime.now(UTC).isoformat()),
        )
        connection.execute("COMMIT")
    elapsed = time.perf_counter() - start
    connection.close()
    return count / elapsed


def _storage(path: Path) -> SqlModelStorage:
    engine = create_sql_engine(f"sqlite:///{path}")
    upgrade_to_head(engine)
    return SqlModelStorage(engine)


def storage_add(path: Path, count: int) -> float:
    storage = _storage(path)
    start = time.perf_counter()
    for i in range(count):
        with storage.unit_of_work() as uow:
            message = uow.add(_message(i))
            uow.emit(MessageQueued(message=message))
            uow.emit(QueueChanged(counts=uow.counts(QueueKind.MENTIONS), active_queue=uow.state().active_queue))
    elapsed = time.perf_counter() - start
    storage.engine.dispose()
    return count / elapsed


def _filled(path: Path, count: int) -> SqlModelStorage:
    storage = _storage(path)
    with storage.unit_of_work() as uow:
        for i in range(count):
            uow.add(_message(i))
    return storage


def clear_set_based(path: Path, count: int) -> float:
    storage = _filled(path, count)
    start = time.perf_counter()
    now = datetime.now(UTC)
    with storage.unit_of_work() as uow:
        uow.soft_delete_many(QueueKind.MENTIONS, CLEARABLE_STATUSES, reason=DeletionReason.CLEARED, now=now)
    elapsed = time.perf_counter() - start
    storage.engine.dispose()
    return elapsed * 1000


def clear_per_row(path: Path, count: int) -> float:
    storage = _filled(path, count)
    start = time.perf_counter()
    now = datetime.now(UTC)
    with storage.unit_of_work() as uow:
        for message in list(uow.oldest_first(QueueKind.MENTIONS, CLEARABLE_STATUSES)):
            message.soft_delete(DeletionReason.CLEARED, now)
            uow.save(message)
    elapsed = time.perf_counter() - start
    storage.engine.dispose()
    return elapsed * 1000


def stats_reads(path: Path, count: int, *, read_only: bool) -> float:
    storage = _filled(path, count)
    unit = storage.reading if read_only else storage.unit_of_work
    start = time.perf_counter()
    for _ in range(500):
        with unit() as uow:
            uow.state()
            uow.counts(QueueKind.MENTIONS)
            uow.counts(QueueKind.BITS)
    elapsed = time.perf_counter() - start
    storage.engine.dispose()
    return elapsed / 500 * 1000


Run = Callable[[Path], float]


def stats_beside_a_writer(path: Path, count: int, *, read_only: bool) -> tuple[float, float]:
    storage = _filled(path, count)
    unit = storage.reading if read_only else storage.unit_of_work
    stop = threading.Event()

    def writer() -> None:
        i = 0
        while not stop.is_set():
            with storage.unit_of_work() as uow:
                uow.add(_message(i))
                time.sleep(0.002)  # a unit that holds the lock a little, like ingest's chat screening does
            i += 1

    thread = threading.Thread(target=writer)
    thread.start()
    took = []
    try:
        for _ in range(200):
            start = time.perf_counter()
            with unit() as uow:
                uow.counts(QueueKind.MENTIONS)
            took.append((time.perf_counter() - start) * 1000)
    finally:
        stop.set()
        thread.join()
        storage.engine.dispose()
    took.sort()
    return took[len(took) // 2], took[int(len(took) * 0.99)]


def _alternate(rounds: int, first: Run, second: Run) -> tuple[list[float], list[float]]:
    a: list[float] = []
    b: list[float] = []
    with tempfile.TemporaryDirectory() as directory:
        for r in range(rounds):
            order = [(first, a), (second, b)] if r % 2 == 0 else [(second, b), (first, a)]
            for i, (run, results) in enumerate(order):
                results.append(run(Path(directory) / f"r{r}-{i}.db"))
    return a, b


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    n, rounds = args.messages, args.rounds
    med = statistics.median

    bare, ours = _alternate(rounds, lambda p: bare_add(p, n), lambda p: storage_add(p, n))
    print(f"add, {n} messages x {rounds} rounds (msg/s, median)")
    print(f"  bare sqlite3 insert+commit  : {med(bare):8.0f}   rounds {[round(x) for x in bare]}")
    print(f"  SqlModelStorage unit of work: {med(ours):8.0f}   rounds {[round(x) for x in ours]}")
    print(f"  ratio storage/bare          : {med(o / b for o, b in zip(ours, bare, strict=True)):.2f}")

    per_row, set_based = _alternate(rounds, lambda p: clear_per_row(p, n), lambda p: clear_set_based(p, n))
    print(f"clear {n} waiting messages (ms, median)")
    print(f"  a save per message          : {med(per_row):8.1f}")
    print(f"  soft_delete_many            : {med(set_based):8.1f}   ({med(per_row) / med(set_based):.1f}x faster)")

    writing, reading = _alternate(
        rounds, lambda p: stats_reads(p, n, read_only=False), lambda p: stats_reads(p, n, read_only=True)
    )
    print("stats read: state + both counters (ms per unit, median)")
    print(f"  unit_of_work (write lock)   : {med(writing):8.3f}")
    print(f"  reading (no write lock)     : {med(reading):8.3f}")

    with tempfile.TemporaryDirectory() as directory:
        print("stats read while another thread adds messages (ms per read, p50 / p99)")
        for r in range(2):
            for read_only in (False, True) if r == 0 else (True, False):
                p50, p99 = stats_beside_a_writer(Path(directory) / f"w{r}{read_only}.db", n, read_only=read_only)
                name = "reading (no write lock)" if read_only else "unit_of_work (write lock)"
                print(f"  {name:28}: {p50:8.3f} / {p99:8.3f}")


if __name__ == "__main__":
    main()
