"""A burst of chat is taken in before synthesis goes on: the worker waits while add_message calls wait to be
answered, at most a quarter of a second per message, so a flood never stops synthesis."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence

from entrypoints.ingest_batcher import IngestBatcher
from entrypoints.worker import INGEST_FIRST_SECONDS, SynthesisWorker
from tests.world import World
from tts_core import IncomingChat, MessageStatus, MessageType
from tts_core.services.ingest import NotQueued


class HeldIngest:
    """An ingest service that takes messages in only once ``release`` is set."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.taking_in = threading.Event()

    def add_messages(self, batch: Sequence[IncomingChat]) -> list[NotQueued]:
        self.taking_in.set()
        assert self.release.wait(10)
        return [NotQueued(reason="not_mentioned", detail="") for _ in batch]


def chat(text: str) -> IncomingChat:
    return IncomingChat(sent_by="viewer", text=text, message_type=MessageType.CHAT)


def test_it_is_quiet_at_once_when_no_chat_waits() -> None:
    batcher = IngestBatcher(HeldIngest)  # type: ignore[arg-type]
    assert batcher.wait_quiet(0.0)


def test_quiet_comes_when_the_waiting_chat_has_been_answered() -> None:
    """While a message is being taken in it is not quiet; once it is answered it is."""
    ingest = HeldIngest()
    batcher = IngestBatcher(lambda: ingest)  # type: ignore[arg-type,return-value]
    answers: list[object] = []
    caller = threading.Thread(target=lambda: answers.append(asyncio.run(batcher.add(chat("hello")))))
    caller.start()
    try:
        assert ingest.taking_in.wait(5)
        assert not batcher.wait_quiet(0.05)
        ingest.release.set()
        assert batcher.wait_quiet(5)
    finally:
        ingest.release.set()
        caller.join(5)
        batcher.stop()
    assert [type(a) for a in answers] == [NotQueued]


def test_the_worker_asks_before_each_message_and_a_flood_does_not_stop_it(world: World) -> None:
    """The worker waits for the chat before it claims a message, and goes on when it is never quiet."""
    first = world.add("@streamer one", sent_by="viewer")
    second = world.add("@streamer two", sent_by="viewer")
    asked: list[tuple[float, list[MessageStatus]]] = []

    def never_quiet(timeout: float) -> bool:
        statuses = [world.queues.get(m.id or 0).status for m in (first, second)]
        asked.append((timeout, statuses))
        return False

    worker = SynthesisWorker(world.synthesis, world.engine, poll_interval=0.01)
    worker.ingest_first = never_quiet
    world.run_until_ready(worker, second, "a flood of chat stopped synthesis")
    assert asked[0] == (INGEST_FIRST_SECONDS, [MessageStatus.PENDING, MessageStatus.PENDING])
    assert asked[1] == (INGEST_FIRST_SECONDS, [MessageStatus.READY, MessageStatus.PENDING])
