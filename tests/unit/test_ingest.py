"""Ingest: mentions and bits are queued, everything else is refused with a reason, bad input with a field."""

from __future__ import annotations

import pytest

from tests.world import World
from tts_core import IncomingChat, InvalidInput, Message, MessageStatus, MessageType, NotQueued, QueueKind
from tts_core.events import MessageQueued, QueueChanged


def chat(text: str, kind: MessageType = MessageType.CHAT, bits: int | None = None, by: str = "viewer") -> IncomingChat:
    return IncomingChat(sent_by=by, text=text, message_type=kind, bits_amount=bits)


@pytest.mark.parametrize(
    ("text", "queued"),
    [
        ("hey @streamer nice play", True),
        ("@STREAMER hi", True),
        ("hi @Streamer!", True),
        ("(@streamer) hi", True),
        ("hello @streamer_fan", False),
        ("hello streamer", False),
        ("mail me at bob@streamer", False),
        ("@streamers hi", False),
    ],
)
def test_mentions_are_found_as_whole_names(world: World, text: str, queued: bool) -> None:
    """Only a whole, case-insensitive @username queues a chat message."""
    result = world.ingest.add_message(chat(text))
    assert isinstance(result, Message) is queued
    if not queued:
        assert isinstance(result, NotQueued)
        assert result.reason == "no_mention"


def test_mention_goes_to_mentions_queue_whatever_queue_is_active(world: World) -> None:
    """With bits active, a mention still lands in mentions, pending, and is announced."""
    world.queues.switch(QueueKind.BITS)
    result = world.ingest.add_message(chat("@streamer hi"))
    assert isinstance(result, Message)
    assert (result.queue, result.status) == (QueueKind.MENTIONS, MessageStatus.PENDING)
    assert [type(e) for e in world.events.events[-2:]] == [MessageQueued, QueueChanged]


def test_bits_go_to_bits_queue(world: World) -> None:
    """A bits message with an amount lands in bits, even without a mention."""
    result = world.ingest.add_message(chat("take my bits", MessageType.BITS, bits=100))
    assert isinstance(result, Message)
    assert (result.queue, result.bits_amount) == (QueueKind.BITS, 100)


@pytest.mark.parametrize(
    ("incoming", "field"),
    [
        (chat("no amount", MessageType.BITS, bits=None), "bits_amount"),
        (chat("zero", MessageType.BITS, bits=0), "bits_amount"),
        (chat("   "), "text"),
        (chat("x" * 2001), "text"),
        (chat("@streamer hi", by=" "), "sent_by"),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(world: World, incoming: IncomingChat, field: str) -> None:
    """Unusable input raises InvalidInput for the field; the queue is unchanged."""
    with pytest.raises(InvalidInput) as raised:
        world.ingest.add_message(incoming)
    assert raised.value.field == field
    assert world.queues.stats().active.queue_size == 0
