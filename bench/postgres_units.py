"""Units of work per second on PostgreSQL (the test server of tests/support/pg_server.py): claim + mark ready,
from 1 and from 4 threads with their own engines, alternated to share the machine's noise. Prints ratios."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

from adapters.sql import SqlModelStorage, create_sql_engine, upgrade_to_head
from tests.support.pg_server import PostgresServer
from tts_core.model import Message, QueueKind, StoredAudio

MESSAGES = 600
ROUNDS = 3
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _seed(url: str) -> None:
    storage = SqlModelStorage(create_sql_engine(url))
    with storage.unit_of_work() as uow:
        for i in range(MESSAGES):
            uow.add(Message(queue=QueueKind.MENTIONS, sent_by="v", text=f"m{i}", spoken_text=f"m{i}", created_at=NOW))
    storage.engine.dispose()


def _drain(url: str, threads: int) -> float:
    """Seconds for ``threads`` workers to claim and finish every message (two units of work each)."""

    def work() -> None:
        storage = SqlModelStorage(create_sql_engine(url))
        while True:
            with storage.unit_of_work() as uow:
                message = uow.next_pending([QueueKind.MENTIONS, QueueKind.BITS], NOW)
                if message is None:
                    break
                message.start_synthesis(NOW, timedelta(minutes=2))
                uow.save(message)
            with storage.unit_of_work() as uow:
                current = uow.get(message.id or 0)
                assert current is not None
                current.mark_ready(StoredAudio(ref=f"{current.id}.wav", size_bytes=10, duration_seconds=0.1), NOW)
                uow.save(current)
                uow.counts(QueueKind.MENTIONS)
        storage.engine.dispose()

    workers = [threading.Thread(target=work) for _ in range(threads)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return time.perf_counter() - started


def main() -> None:
    server = PostgresServer.start()
    try:
        server.create_database("template_bench")
        engine = create_sql_engine(server.url("template_bench"))
        upgrade_to_head(engine)
        engine.dispose()
        for round_number in range(ROUNDS):
            rates = {}
            for threads in (1, 4):
                name = f"bench_{round_number}_{threads}"
                url = server.create_database(name, template="template_bench")
                _seed(url)
                rates[threads] = 2 * MESSAGES / _drain(url, threads)
            print(
                f"round {round_number + 1}: 1 thread {rates[1]:.0f} units/s, 4 threads {rates[4]:.0f} units/s, "
                f"ratio {rates[4] / rates[1]:.2f}"
            )
    finally:
        server.stop()


if __name__ == "__main__":
    main()
