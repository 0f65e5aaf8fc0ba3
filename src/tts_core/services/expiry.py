"""Expiry (``TTS_MAX_AGE``): mentions that waited too long are removed instead of being played late."""

from __future__ import annotations

from datetime import datetime

from tts_core.events import MessagesRemoved
from tts_core.model import WAITING_STATUSES, DeletionReason, Message, QueueKind
from tts_core.moderation import is_expired
from tts_core.ports import UnitOfWork
from tts_core.services.announce import announce_counts


def expire_waiting(uow: UnitOfWork, *, now: datetime, max_age_seconds: float) -> list[Message]:
    """In ``uow``: soft-delete the waiting mentions older than ``max_age_seconds`` and announce it; the caller
    deletes their files after the commit."""
    expired = []
    for message in uow.oldest_first(QueueKind.MENTIONS, WAITING_STATUSES):
        if not is_expired(message, now=now, max_age_seconds=max_age_seconds):
            break  # oldest first: the rest are younger
        message.soft_delete(DeletionReason.EXPIRED, now)
        uow.save(message)
        expired.append(message)
    ids = _ids(expired)
    if ids:
        uow.emit(MessagesRemoved(queue=QueueKind.MENTIONS, message_ids=ids, reason=DeletionReason.EXPIRED))
        announce_counts(uow, QueueKind.MENTIONS)
    return expired


def _ids(messages: list[Message]) -> tuple[int, ...]:
    return tuple(m.id for m in messages if m.id is not None)
