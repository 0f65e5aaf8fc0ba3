"""Ingest throughput: IngestService on real SQLite vs a bare sqlite3 INSERT loop on the same disk.

Usage: python bench/ingest_vs_bare.py [--messages N]. Prints messages per second for both and their ratio,
plus the cost of a stats read (counter rows, no scan) with many rows in the table.
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from adapters.memory import RecordingEventSink
from adapters.sql import SqlModelStorage, create_sql_engine, upgrade_to_head
from adapters.system_clock import SystemClock
from tts_core import ChatRules, IncomingChat, IngestService, MessageType, QueueKind


def bare(path: Path, count: int) -> float:
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
    return count / (time.perf_counter() - start)


def service(path: Path, count: int) -> tuple[float, float]:
    engine = create_sql_engine(f"sqlite:///{path}")
    upgrade_to_head(engine)
    storage = SqlModelStorage(engine, events=RecordingEventSink())
    ingest = IngestService(storage=storage, clock=SystemClock(), rules=ChatRules(username="streamer"))
    start = time.perf_counter()
    for i in range(count):
        ingest.add_message(IncomingChat(sent_by="viewer", text=f"@streamer message {i}", message_type=MessageType.CHAT))
    rate = count / (time.perf_counter() - start)
    start = time.perf_counter()
    for _ in range(200):
        with storage.unit_of_work() as uow:
            uow.counts(QueueKind.MENTIONS)
    stats_ms = (time.perf_counter() - start) / 200 * 1000
    return rate, stats_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        bare_rate = bare(Path(directory) / "bare.db", args.messages)
        service_rate, stats_ms = service(Path(directory) / "service.db", args.messages)
    print(f"bare sqlite3 insert+commit : {bare_rate:8.0f} msg/s")
    print(f"IngestService on SQLite    : {service_rate:8.0f} msg/s  ({service_rate / bare_rate:.2f}x bare)")
    print(f"stats read with {args.messages} rows : {stats_ms:.3f} ms")


if __name__ == "__main__":
    main()
