"""What a unit of work read of each message copy it handed out: the expected row of ``save``'s compare-and-set."""

from __future__ import annotations

from typing import NamedTuple

from tts_core.model import Message, MessageStatus


class AsRead(NamedTuple):
    """A message's row as a unit of work read (or last wrote) it."""

    status: MessageStatus
    attempts: int
    audio_bytes: int
    """For the counters: what the row kept on disk before the save."""


def as_read(message: Message) -> AsRead:
    """What ``message`` says of its row."""
    return AsRead(message.status, message.attempts, message.audio_bytes)


class ReadSet:
    """Per unit of work: each message copy handed out (by object, so a stale second copy of the same row is told
    apart from a fresh one) → its row as read. The copies are kept alive for the unit's life, so an object's
    ``id()`` is not reused meanwhile."""

    __slots__ = ("_seen",)

    def __init__(self) -> None:
        self._seen: dict[int, tuple[Message, AsRead]] = {}

    def remember(self, message: Message) -> Message:
        """Note ``message`` as read (or just written) by this unit and return it."""
        self._seen[id(message)] = (message, AsRead(message.status, message.attempts, message.audio_bytes))
        return message

    def expected(self, message: Message) -> AsRead | None:
        """The row as this unit handed out (or last saved) this very copy, or ``None`` when it did not."""
        seen = self._seen.get(id(message))
        return seen[1] if seen is not None and seen[0] is message else None
