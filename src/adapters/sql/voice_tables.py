"""SQLModel tables of the live voice settings. They never leave the ``adapters.sql`` package."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class UserVoiceRow(SQLModel, table=True):
    """A chatter's own voice mix."""

    __tablename__ = "user_voice"

    user: str = Field(primary_key=True, max_length=25)
    """The Twitch login, in lower case."""
    voice: str = Field(max_length=200)


class PronunciationRow(SQLModel, table=True):
    """One entry of the pronunciation dictionary: ``say`` or ``phonemes`` is set."""

    __tablename__ = "pronunciation"

    word: str = Field(primary_key=True, max_length=50)
    say: str | None = Field(default=None, max_length=200)
    phonemes: str | None = Field(default=None, max_length=200)


class QueueVolumeRow(SQLModel, table=True):
    """The OBS player's volume for one queue (a missing row means 1.0)."""

    __tablename__ = "queue_volume"

    queue: str = Field(primary_key=True, max_length=16)
    volume: float
