"""Conversion between the domain Message and its table row."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tts_core.model import DeletionReason, Message, MessageStatus, QueueKind, StoredAudio
from tts_core.moderation import sender_key


def utc(value: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes; everything stored is UTC
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def message_from_row(row: Any) -> Message:
    """The domain message a row of the ``message`` table holds (a Core ``Row`` or anything with its columns)."""
    audio = None
    if row.audio_ref is not None:
        audio = StoredAudio(
            ref=row.audio_ref,
            size_bytes=row.audio_size_bytes or 0,
            duration_seconds=row.audio_duration_seconds or 0.0,
        )
    created = utc(row.created_at)
    assert created is not None
    return Message(
        id=row.id,
        queue=QueueKind(row.queue),
        sent_by=row.sent_by,
        text=row.text,
        spoken_text=row.spoken_text,
        voice=row.voice,
        engine_text=row.engine_text,
        bits_amount=row.bits_amount,
        status=MessageStatus(row.status),
        audio=audio,
        created_at=created,
        ready_at=utc(row.ready_at),
        playing_at=utc(row.playing_at),
        played_at=utc(row.played_at),
        deleted_at=utc(row.deleted_at),
        deletion_reason=DeletionReason(row.deletion_reason) if row.deletion_reason else None,
        error=row.error,
        attempts=row.attempts,
        failures=row.failures,
        lease_until=utc(row.lease_until),
        retry_at=utc(row.retry_at),
        twitch_message_id=row.twitch_message_id,
        is_moderator=row.is_moderator,
        skipped=row.skipped,
    )


def message_values(message: Message) -> dict[str, Any]:
    """The column values of ``message`` (every column but ``id``), for an INSERT or an UPDATE."""
    audio = message.audio
    return {
        "queue": message.queue.value,
        "sent_by": message.sent_by,
        "text": message.text,
        "spoken_text": message.spoken_text,
        "voice": message.voice,
        "engine_text": message.engine_text,
        "bits_amount": message.bits_amount,
        "status": message.status.value,
        "audio_ref": audio.ref if audio else None,
        "audio_size_bytes": audio.size_bytes if audio else None,
        "audio_duration_seconds": audio.duration_seconds if audio else None,
        "created_at": message.created_at,
        "ready_at": message.ready_at,
        "playing_at": message.playing_at,
        "played_at": message.played_at,
        "deleted_at": message.deleted_at,
        "deletion_reason": message.deletion_reason.value if message.deletion_reason else None,
        "error": message.error,
        "attempts": message.attempts,
        "failures": message.failures,
        "lease_until": message.lease_until,
        "retry_at": message.retry_at,
        "sender": sender_key(message.sent_by),
        "twitch_message_id": message.twitch_message_id,
        "is_moderator": message.is_moderator,
        "skipped": message.skipped,
    }


def soft_deleted_values(reason: DeletionReason, now: datetime) -> dict[str, Any]:
    """The columns ``Message.soft_delete`` changes, as a set-based UPDATE writes them."""
    return {
        "status": MessageStatus.DELETED.value,
        "deletion_reason": reason.value,
        "deleted_at": now,
        "lease_until": None,
    }
