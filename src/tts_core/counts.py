"""Per-queue counters kept beside the messages, so stats never scan the table."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

import attrs

from tts_core.model import Message, MessageStatus, QueueKind


@attrs.frozen(kw_only=True)
class QueueCounts:
    """How many messages of one queue are in each status, and the audio bytes its files hold."""

    queue: QueueKind
    by_status: dict[MessageStatus, int] = attrs.field(factory=dict)
    audio_bytes: int = 0
    """Bytes of this queue's audio files on disk (ready and playing messages)."""

    def __getitem__(self, status: MessageStatus) -> int:
        return self.by_status.get(status, 0)

    def agrees_with(self, other: QueueCounts) -> bool:
        """Whether both say the same (a status missing from one counts as zero)."""
        return (
            self.queue is other.queue
            and self.audio_bytes == other.audio_bytes
            and all(self[status] == other[status] for status in MessageStatus)
        )

    @property
    def queue_size(self) -> int:
        """Messages waiting to be played: pending + synthesizing + ready."""
        return self[MessageStatus.PENDING] + self[MessageStatus.SYNTHESIZING] + self[MessageStatus.READY]


@attrs.frozen(kw_only=True)
class CountDelta:
    """The change one saved message makes to its queue's counters."""

    queue: QueueKind
    statuses: dict[MessageStatus, int]
    audio_bytes: int

    @property
    def is_empty(self) -> bool:
        """Whether applying this delta changes nothing."""
        return self.audio_bytes == 0 and not any(self.statuses.values())

    def plus(self, other: CountDelta) -> CountDelta:
        """This change and then ``other`` (of the same queue) as one change."""
        statuses = _summed(self.statuses, other.statuses)
        return CountDelta(queue=self.queue, statuses=statuses, audio_bytes=self.audio_bytes + other.audio_bytes)


class Counted(Protocol):
    """What the counters see of a message: its status and the audio bytes it keeps on disk."""

    @property
    def status(self) -> MessageStatus:
        """The message's status."""
        ...

    @property
    def audio_bytes(self) -> int:
        """Bytes of audio the message keeps on disk."""
        ...


def count_delta(before: Counted | None, after: Message) -> CountDelta:
    """What saving ``after`` over ``before`` (``None`` for a new message) changes in the counters.

    Storage adapters call this in the same transaction as the row write, so the counters always
    agree with the rows.
    """
    statuses: dict[MessageStatus, int] = {}
    audio = after.audio_bytes
    if before is not None:
        audio -= before.audio_bytes
        if before.status is not after.status:
            statuses[before.status] = -1
            statuses[after.status] = 1
    else:
        statuses[after.status] = 1
    return CountDelta(queue=after.queue, statuses=statuses, audio_bytes=audio)


def apply_delta(counts: QueueCounts, delta: CountDelta) -> QueueCounts:
    """``counts`` with ``delta`` added."""
    by_status = _summed(counts.by_status, delta.statuses)
    return QueueCounts(queue=counts.queue, by_status=by_status, audio_bytes=counts.audio_bytes + delta.audio_bytes)


def _summed(counts: dict[MessageStatus, int], changes: dict[MessageStatus, int]) -> dict[MessageStatus, int]:
    summed = dict(counts)
    for status, change in changes.items():
        summed[status] = summed.get(status, 0) + change
    return summed


def counts_of(queue: QueueKind, messages: Iterable[Message]) -> QueueCounts:
    """The counters of ``queue`` computed from its messages (what the kept counters must equal)."""
    by_status = dict.fromkeys(MessageStatus, 0)
    audio = 0
    for message in messages:
        by_status[message.status] += 1
        audio += message.audio_bytes
    return QueueCounts(queue=queue, by_status=by_status, audio_bytes=audio)
