"""The message entity, its queues and statuses, and the transitions between them."""

from __future__ import annotations

import enum
from datetime import datetime

import attrs

from tts_core.errors import InvalidTransition


class QueueKind(enum.StrEnum):
    """The two queues a message can live in."""

    MENTIONS = "mentions"
    BITS = "bits"

    @property
    def other(self) -> QueueKind:
        """The queue that is not this one."""
        return QueueKind.BITS if self is QueueKind.MENTIONS else QueueKind.MENTIONS


class MessageStatus(enum.StrEnum):
    """Where a message is in its life: pending → synthesizing → ready → playing → played."""

    PENDING = "pending"
    SYNTHESIZING = "synthesizing"
    READY = "ready"
    PLAYING = "playing"
    PLAYED = "played"
    ERROR = "error"
    DELETED = "deleted"


class DeletionReason(enum.StrEnum):
    """Why a message was soft-deleted."""

    CLEARED = "cleared"
    EVICTED = "evicted"


#: Statuses of a message still waiting to be played: they make up the queue size.
WAITING_STATUSES = frozenset({MessageStatus.PENDING, MessageStatus.SYNTHESIZING, MessageStatus.READY})
#: Statuses of a message whose audio file is on disk.
AUDIO_STATUSES = frozenset({MessageStatus.READY, MessageStatus.PLAYING})
#: Statuses a clear removes.
CLEARABLE_STATUSES = WAITING_STATUSES


@attrs.frozen(kw_only=True)
class StoredAudio:
    """Where a message's audio lives and how big it is."""

    ref: str
    """Opaque reference in the audio store (for files: the file name)."""
    size_bytes: int
    """Size of the stored file, header included: what it costs on disk."""
    duration_seconds: float
    """Length of the speech."""


@attrs.define(kw_only=True)
class Message:
    """A chat message on its way to being spoken.

    Every change of status goes through a method that checks the current status
    and raises :class:`InvalidTransition` when the move is not allowed.
    """

    id: int | None = None
    """Assigned by storage when the message is added."""
    queue: QueueKind
    sent_by: str
    text: str
    """The text as it arrived from chat."""
    spoken_text: str
    """The text the engine reads (after the chat pipeline cleaned it)."""
    voice: str | None = None
    """A voice-mix string for this message; ``None`` means the configured default."""
    bits_amount: int | None = None
    status: MessageStatus = MessageStatus.PENDING
    audio: StoredAudio | None = None
    created_at: datetime
    ready_at: datetime | None = None
    playing_at: datetime | None = None
    played_at: datetime | None = None
    deleted_at: datetime | None = None
    deletion_reason: DeletionReason | None = None
    error: str | None = None

    @property
    def audio_bytes(self) -> int:
        """Bytes of audio this message keeps on disk (0 without a file)."""
        return self.audio.size_bytes if self.audio is not None and self.status in AUDIO_STATUSES else 0

    def _require(self, action: str, *allowed: MessageStatus) -> None:
        if self.status not in allowed:
            raise InvalidTransition(self.id, self.status.value, action)

    def start_synthesis(self) -> None:
        """pending → synthesizing."""
        self._require("start synthesis", MessageStatus.PENDING)
        self.status = MessageStatus.SYNTHESIZING

    def mark_ready(self, audio: StoredAudio, now: datetime) -> None:
        """synthesizing → ready, with the stored audio."""
        self._require("mark ready", MessageStatus.SYNTHESIZING)
        self.status = MessageStatus.READY
        self.audio = audio
        self.ready_at = now
        self.error = None

    def fail(self, reason: str) -> None:
        """synthesizing → error, keeping the reason."""
        self._require("fail", MessageStatus.SYNTHESIZING)
        self.status = MessageStatus.ERROR
        self.error = reason

    def start_playing(self, now: datetime) -> None:
        """ready → playing."""
        self._require("play", MessageStatus.READY)
        self.status = MessageStatus.PLAYING
        self.playing_at = now

    def finish_playing(self, now: datetime) -> None:
        """playing → played; the audio reference stays for the record, the file goes."""
        self._require("mark played", MessageStatus.PLAYING)
        self.status = MessageStatus.PLAYED
        self.played_at = now

    def soft_delete(self, reason: DeletionReason, now: datetime) -> None:
        """pending/synthesizing/ready → deleted, with a reason and a timestamp."""
        self._require(f"delete ({reason.value})", *CLEARABLE_STATUSES)
        self.status = MessageStatus.DELETED
        self.deletion_reason = reason
        self.deleted_at = now

    def recover_after_crash(self) -> bool:
        """Undo a step a crash interrupted: synthesizing → pending, playing → ready.

        Returns whether anything changed.
        """
        if self.status is MessageStatus.SYNTHESIZING:
            self.status = MessageStatus.PENDING
            return True
        if self.status is MessageStatus.PLAYING:
            self.status = MessageStatus.READY
            self.playing_at = None
            return True
        return False
