"""The message entity, its queues and statuses, and the transitions between them."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

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
    MODERATED = "moderated"
    """A moderator removed it (its Twitch message deleted, or its sender timed out or banned)."""
    EXPIRED = "expired"
    """It waited longer than ``TTS_MAX_AGE`` without being played."""


def audio_ref_for(message_id: int, attempt: int) -> str:
    """The audio reference of a message's file as made by its ``attempt``-th claim.

    The first attempt's file is ``<id>.wav``; a retry writes ``<id>-<attempt>.wav``, so a worker whose
    lease was taken back can never overwrite (or delete) the file of the worker that took it over.
    """
    return f"{message_id}.wav" if attempt <= 1 else f"{message_id}-{attempt}.wav"


#: Statuses of a message still waiting to be played: they make up the queue size.
WAITING_STATUSES = frozenset({MessageStatus.PENDING, MessageStatus.SYNTHESIZING, MessageStatus.READY})
#: Statuses of a message whose audio file is on disk.
AUDIO_STATUSES = frozenset({MessageStatus.READY, MessageStatus.PLAYING})
#: Statuses a clear removes.
CLEARABLE_STATUSES = WAITING_STATUSES
#: Statuses of a message not played yet, the one playing included: what a moderator's removal takes.
UNPLAYED_STATUSES = WAITING_STATUSES | {MessageStatus.PLAYING}


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
    engine_text: str | None = None
    """What the engine reads when it differs from :attr:`spoken_text` (phoneme markup from the pronunciation
    dictionary as it stood when the message was queued); ``None``: the engine reads ``spoken_text``."""
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
    attempts: int = 0
    """How many times a worker claimed this message; the current claim's number (a fencing token)."""
    failures: int = 0
    """Claims that ended in a failure counted against the message (engine errors, lost leases)."""
    lease_until: datetime | None = None
    """While synthesizing: until when the claim holds. An expired lease is taken back."""
    retry_at: datetime | None = None
    """While pending after a failure: not claimed before this time (back-off)."""
    twitch_message_id: str | None = None
    """Twitch's id of the chat message, so a moderator's deletion on Twitch can find it."""
    is_moderator: bool = False
    """The sender was a moderator (or the broadcaster) when they wrote it."""
    skipped: bool = False
    """Played, but cut short by Skip."""

    @property
    def audio_bytes(self) -> int:
        """Bytes of audio this message keeps on disk (0 without a file)."""
        return self.audio.size_bytes if self.audio is not None and self.status in AUDIO_STATUSES else 0

    def _require(self, action: str, *allowed: MessageStatus) -> None:
        if self.status not in allowed:
            raise InvalidTransition(self.id, self.status.value, action)

    def lease_expired(self, now: datetime) -> bool:
        """Whether this message is claimed by a worker whose lease ran out (it died or hung)."""
        return self.status is MessageStatus.SYNTHESIZING and (self.lease_until is None or self.lease_until <= now)

    def claimable(self, now: datetime) -> bool:
        """Whether a worker may claim this message now: pending and out of back-off, or its lease expired."""
        if self.status is MessageStatus.PENDING:
            return self.retry_at is None or self.retry_at <= now
        return self.lease_expired(now)

    def start_synthesis(self, now: datetime, lease: timedelta) -> None:
        """pending (or synthesizing with an expired lease) → synthesizing, under a new lease.

        Each claim counts in :attr:`attempts`, which also names the claim's audio file.
        """
        if not self.claimable(now):
            raise InvalidTransition(self.id, self.status.value, "start synthesis")
        self.status = MessageStatus.SYNTHESIZING
        self.attempts += 1
        self.lease_until = now + lease
        self.retry_at = None

    def take_back(self, *, max_failures: int) -> bool:
        """A synthesizing message whose lease expired (its worker died or hung): the lost claim counts as a
        failure; at ``max_failures`` the message is given up (``error``, returns ``True``). Otherwise it stays
        synthesizing for the caller to claim again or release."""
        self._require("take back", MessageStatus.SYNTHESIZING)
        self.failures += 1
        if self.failures < max_failures:
            return False
        self.fail(f"gave up after {self.failures} failed attempts (the last one's lease expired)")
        return True

    def release(self, *, retry_at: datetime | None, counted: bool) -> None:
        """synthesizing → pending: the claim ended without audio and the message waits (until ``retry_at``).

        ``counted`` failures (this message's own, not the engine or disk being unavailable) add to
        :attr:`failures`.
        """
        self._require("release", MessageStatus.SYNTHESIZING)
        self.status = MessageStatus.PENDING
        self.lease_until = None
        self.retry_at = retry_at
        if counted:
            self.failures += 1

    def mark_ready(self, audio: StoredAudio, now: datetime) -> None:
        """synthesizing → ready, with the stored audio."""
        self._require("mark ready", MessageStatus.SYNTHESIZING)
        self.status = MessageStatus.READY
        self.audio = audio
        self.ready_at = now
        self.lease_until = None
        self.error = None

    def fail(self, reason: str) -> None:
        """synthesizing → error, keeping the reason."""
        self._require("fail", MessageStatus.SYNTHESIZING)
        self.status = MessageStatus.ERROR
        self.lease_until = None
        self.retry_at = None
        self.error = reason

    def audio_lost(self) -> None:
        """ready → pending: the file went missing, so the message is spoken again."""
        self._require("re-synthesize", MessageStatus.READY)
        self.status = MessageStatus.PENDING
        self.audio = None
        self.ready_at = None

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

    def playback_failed(self) -> None:
        """playing → ready: no client could play it (e.g. the browser blocked sound); it keeps its audio and its
        place, so as the oldest ready message of its queue it plays next."""
        self._require("report a failed playback", MessageStatus.PLAYING)
        self.status = MessageStatus.READY
        self.playing_at = None

    def soft_delete(self, reason: DeletionReason, now: datetime) -> None:
        """pending/synthesizing/ready → deleted, with a reason and a timestamp."""
        self._require(f"delete ({reason.value})", *CLEARABLE_STATUSES)
        self.status = MessageStatus.DELETED
        self.deletion_reason = reason
        self.deleted_at = now
        self.lease_until = None

    def skip(self, now: datetime) -> None:
        """playing → played, cut short: marked as :attr:`skipped`."""
        self.finish_playing(now)
        self.skipped = True

    def remove_by_moderator(self, now: datetime) -> None:
        """pending/synthesizing/ready/playing → deleted (``moderated``): a playing message ends at once."""
        self._require("delete (moderated)", *UNPLAYED_STATUSES)
        self.status = MessageStatus.DELETED
        self.deletion_reason = DeletionReason.MODERATED
        self.deleted_at = now
        self.lease_until = None

    def recover_after_crash(self) -> bool:
        """Undo a step a crash interrupted: synthesizing → pending, playing → ready.

        Returns whether anything changed.
        """
        if self.status is MessageStatus.SYNTHESIZING:
            self.status = MessageStatus.PENDING
            self.lease_until = None
            return True
        if self.status is MessageStatus.PLAYING:
            self.status = MessageStatus.READY
            self.playing_at = None
            return True
        return False
