"""The not-read log: messages not queued are kept with their reason, newest first, at most a fixed number."""

from __future__ import annotations

from datetime import UTC, datetime

import attrs

from tests.world import USERNAME, World
from tts_core.chat import ChatRules, IncomingChat, MessageType
from tts_core.events import MessageRejected
from tts_core.not_read import NotRead, NotReadLog
from tts_core.services import IngestService, NotQueued


def ingest(world: World, log: NotReadLog) -> IngestService:
    return IngestService(storage=world.storage, clock=world.clock, rules=ChatRules(username=USERNAME), not_read=log)


def chat(text: str, sent_by: str = "viewer") -> IncomingChat:
    return IncomingChat(sent_by=sent_by, text=text, message_type=MessageType.CHAT)


def test_a_message_not_queued_is_kept_with_its_reason_and_announced(world: World) -> None:
    """No mention: not queued, kept in the log with reason and detail, and a message_rejected event goes out."""
    log = NotReadLog()
    result = ingest(world, log).add_message(chat("just chatting"))
    assert isinstance(result, NotQueued)
    (kept,) = log.recent()
    assert (kept.sent_by, kept.text, kept.reason, kept.detail) == (
        "viewer",
        "just chatting",
        result.reason,
        result.detail,
    )
    (event,) = world.events.of_type(MessageRejected)
    assert isinstance(event, MessageRejected)
    assert event.not_read == kept


def test_a_queued_message_is_not_kept(world: World) -> None:
    """A message that is queued never shows in the log."""
    log = NotReadLog()
    ingest(world, log).add_message(chat("@streamer hello"))
    assert log.recent() == []
    assert not world.events.of_type(MessageRejected)


def test_the_log_keeps_the_newest_up_to_its_size() -> None:
    """Past its size the oldest fall off; recent() lists newest first."""
    log = NotReadLog(size=3)
    base = NotRead(sent_by="v", text="t0", reason="no_mention", detail="d", at=datetime.now(UTC))
    for number in range(5):
        log.record(attrs.evolve(base, text=f"t{number}"))
    assert [item.text for item in log.recent()] == ["t4", "t3", "t2"]
