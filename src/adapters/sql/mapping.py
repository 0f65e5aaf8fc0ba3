"""Conversion between the domain Message and its table row."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.sql.tables import MessageRow
from tts_core.model import DeletionReason, Message, MessageStatus, QueueKind, StoredAudio
from tts_core.moderation import sender_key


def utc(value: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes; everything stored is UTC
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def message_from_row(row: MessageRow) -> Message:
    """The domain message a row holds."""
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


def message_to_row(message: Message, row: MessageRow) -> MessageRow:
    """Copy ``message`` onto ``row`` (a new or loaded row) and return the row."""
    row.queue = message.queue.value
    row.sent_by = message.sent_by
    row.text = message.text
    row.spoken_text = message.spoken_text
    row.voice = message.voice
    row.engine_text = message.engine_text
    row.bits_amount = message.bits_amount
    row.status = message.status.value
    row.audio_ref = message.audio.ref if message.audio else None
    row.audio_size_bytes = message.audio.size_bytes if message.audio else None
    row.audio_duration_seconds = message.audio.duration_seconds if message.audio else None
    row.created_at = message.created_at
    row.ready_at = message.ready_at
    row.playing_at = message.playing_at
    row.played_at = message.played_at
    row.deleted_at = message.deleted_at
    row.deletion_reason = message.deletion_reason.value if message.deletion_reason else None
    row.error = message.error
    row.attempts = message.attempts
    row.failures = message.failures
    row.lease_until = message.lease_until
    row.retry_at = message.retry_at
    row.sender = sender_key(message.sent_by)
    row.twitch_message_id = message.twitch_message_id
    row.is_moderator = message.is_moderator
    row.skipped = message.skipped
    return row


def new_row(message: Message) -> MessageRow:
    """A new row holding ``message``."""
    return message_to_row(
        message,
        MessageRow(
            queue=message.queue.value,
            sent_by=message.sent_by,
            text=message.text,
            spoken_text=message.spoken_text,
            status=message.status.value,
            created_at=message.created_at,
        ),
    )
