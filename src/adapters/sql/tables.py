"""SQLModel table classes. They never leave the ``adapters.sql`` package."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, DateTime, Index, Text
from sqlmodel import Field, SQLModel


def _when() -> Column[datetime]:
    return Column(DateTime(timezone=True), nullable=True)


class MessageRow(SQLModel, table=True):
    """One chat message and its life, soft-deleted rows included."""

    __tablename__ = "message"
    __table_args__ = (
        Index("ix_message_queue_status_id", "queue", "status", "id"),
        Index("ix_message_sender_created_at", "sender", "created_at"),
        Index("ix_message_twitch_message_id", "twitch_message_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    queue: str = Field(max_length=16)
    sent_by: str = Field(max_length=100)
    text: str = Field(sa_type=Text)
    spoken_text: str = Field(sa_type=Text)
    voice: str | None = Field(default=None, max_length=200)
    engine_text: str | None = Field(default=None, sa_type=Text)
    bits_amount: int | None = None
    status: str = Field(max_length=16)
    audio_ref: str | None = Field(default=None, max_length=200)
    audio_size_bytes: int | None = Field(default=None, sa_type=BigInteger)
    audio_duration_seconds: float | None = None
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    ready_at: datetime | None = Field(default=None, sa_column=_when())
    playing_at: datetime | None = Field(default=None, sa_column=_when())
    played_at: datetime | None = Field(default=None, sa_column=_when())
    deleted_at: datetime | None = Field(default=None, sa_column=_when())
    deletion_reason: str | None = Field(default=None, max_length=16)
    error: str | None = Field(default=None, sa_type=Text)
    attempts: int = 0
    failures: int = 0
    lease_until: datetime | None = Field(default=None, sa_column=_when())
    retry_at: datetime | None = Field(default=None, sa_column=_when())
    sender: str = Field(default="", max_length=100)
    """``sent_by`` as moderation compares it (``tts_core.moderation.sender_key``), for indexed per-sender lookups."""
    twitch_message_id: str | None = Field(default=None, max_length=64)
    is_moderator: bool = False
    skipped: bool = False


class MuteRow(SQLModel, table=True):
    """A timed-out (``until`` set) or banned (``until`` null) sender."""

    __tablename__ = "mute"

    user: str = Field(primary_key=True, max_length=100)
    since: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    until: datetime | None = Field(default=None, sa_column=_when())


class RememberedDeletionRow(SQLModel, table=True):
    """A moderator's deletion of a Twitch message, kept a few minutes in case the message arrives after it."""

    __tablename__ = "remembered_deletion"

    twitch_message_id: str = Field(primary_key=True, max_length=64)
    until: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False, index=True))


class QueueCounterRow(SQLModel, table=True):
    """Running counts per queue, updated in the same transaction as every message write."""

    __tablename__ = "queue_counter"

    queue: str = Field(primary_key=True, max_length=16)
    pending: int = 0
    synthesizing: int = 0
    ready: int = 0
    playing: int = 0
    played: int = 0
    error: int = 0
    deleted: int = 0
    audio_bytes: int = Field(default=0, sa_type=BigInteger)


class ServerStateRow(SQLModel, table=True):
    """The single row of server state (id = 1)."""

    __tablename__ = "server_state"

    id: int = Field(default=1, primary_key=True)
    active_queue: str = Field(max_length=16)
    autoplay: bool = False
    seq: int = Field(default=0, sa_type=BigInteger)
    """The ``seq`` of the newest committed event."""
