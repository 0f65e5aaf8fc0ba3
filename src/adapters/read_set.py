"""What a unit of work read of each message: the expected row of ``save``'s compare-and-set."""

from __future__ import annotations

from typing import NamedTuple

from tts_core.model import Message, MessageStatus


class AsRead(NamedTuple):
    """A message's row as a unit of work last read (or wrote) it."""

    status: MessageStatus
    attempts: int
    audio_bytes: int
    """For the counters: what the row kept on disk before the save."""


def as_read(message: Message) -> AsRead:
    """What ``message`` says of its row."""
    return AsRead(message.status, message.attempts, message.audio_bytes)


class ReadSet:
    """Per unit of work: each message id handed out → its row as read, so a save knows what to compare with."""

    __slots__ = ("_seen",)

    def __init__(self) -> None:
        self._seen: dict[int, AsRead] = {}

    def remember(self, message: Message) -> Message:
        """Note ``message`` as read (or just written) by this unit and return it."""
        if message.id is not None:
            self._seen[message.id] = AsRead(message.status, message.attempts, message.audio_bytes)
        return message

    def expected(self, message_id: int) -> AsRead | None:
        """The row as this unit last saw it, or ``None`` when it never did."""
        return self._seen.get(message_id)
