"""Anti-spam under real concurrency on SQLite: messages of one sender arriving at once cannot all slip past a limit."""

from __future__ import annotations

import threading
from pathlib import Path

from adapters.memory import ManualClock
from adapters.sql import SqlModelStorage, create_sql_engine, upgrade_to_head
from tts_core.chat import ChatRules, IncomingChat, MessageType
from tts_core.model import Message
from tts_core.moderation import AntiSpamRules
from tts_core.services import IngestService, NotQueued

THREADS = 8


def test_a_burst_from_one_sender_queues_only_up_to_the_cap(tmp_path: Path) -> None:
    """Eight threads send one sender's mentions at the same moment with a cap of 2: exactly 2 are queued."""
    engine = create_sql_engine(f"sqlite:///{tmp_path / 'burst.db'}")
    upgrade_to_head(engine)
    ingest = IngestService(
        storage=SqlModelStorage(engine),
        clock=ManualClock(),
        rules=ChatRules(username="streamer"),
        antispam=AntiSpamRules(max_pending_per_user=2),
    )
    start = threading.Barrier(THREADS)
    results: list[Message | NotQueued] = []

    def send(n: int) -> None:
        start.wait()
        incoming = IncomingChat(sent_by="spammer", text=f"@streamer number {n}", message_type=MessageType.CHAT)
        results.append(ingest.add_message(incoming))

    threads = [threading.Thread(target=send, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    engine.dispose()
    assert len(results) == THREADS
    assert sum(isinstance(r, Message) for r in results) == 2
    assert {r.reason for r in results if isinstance(r, NotQueued)} == {"user_queue_full"}
