"""Domain events: what happened, published through the EventSink port as it happens."""

from __future__ import annotations

from typing import ClassVar

import attrs

from tts_core.counts import QueueCounts
from tts_core.model import DeletionReason, Message, QueueKind
from tts_core.moderation import Mute
from tts_core.not_read import NotRead
from tts_core.players import ConnectedPlayer


@attrs.frozen(kw_only=True)
class Event:
    """Base of every event; ``type`` is the name clients see.

    ``seq`` is given by storage when the change that caused the event commits: it increases with each
    committed change, in commit order, so a client can tell an old frame from a new one.
    """

    type: ClassVar[str] = "event"
    seq: int = attrs.field(default=0, eq=False)
    """0 until storage numbers the event; not part of what the event says (equality ignores it)."""


@attrs.frozen(kw_only=True)
class MessageQueued(Event):
    """A message was accepted into a queue (status pending)."""

    type: ClassVar[str] = "message_queued"
    message: Message


@attrs.frozen(kw_only=True)
class MessageRejected(Event):
    """A chat message was not queued (no mention, a bot, a command, muted, …); ``not_read`` says why."""

    type: ClassVar[str] = "message_rejected"
    not_read: NotRead


@attrs.frozen(kw_only=True)
class MessageReady(Event):
    """A message's audio is stored and it can be played."""

    type: ClassVar[str] = "message_ready"
    message: Message


@attrs.frozen(kw_only=True)
class MessageFailed(Event):
    """The engine could not speak a message; ``message.error`` says why."""

    type: ClassVar[str] = "message_failed"
    message: Message


@attrs.frozen(kw_only=True)
class MessagesRemoved(Event):
    """Messages were soft-deleted (cleared, evicted, moderated or expired) and their files removed."""

    type: ClassVar[str] = "messages_removed"
    queue: QueueKind
    message_ids: tuple[int, ...]
    reason: DeletionReason
    playing_ids: tuple[int, ...] = ()
    """Those of ``message_ids`` that were playing: they stop now (a moderator removed them)."""


@attrs.frozen(kw_only=True)
class MessageRequeued(Event):
    """A ready message's file went missing (found by the reconcile pass): it waits to be spoken again."""

    type: ClassVar[str] = "message_requeued"
    message: Message


@attrs.frozen(kw_only=True)
class QueueChanged(Event):
    """The counts of a queue changed (size, statuses or audio bytes)."""

    type: ClassVar[str] = "queue_changed"
    counts: QueueCounts
    active_queue: QueueKind


@attrs.frozen(kw_only=True)
class QueueSwitched(Event):
    """The active queue changed."""

    type: ClassVar[str] = "queue_switched"
    active_queue: QueueKind


@attrs.frozen(kw_only=True)
class PlaybackStarted(Event):
    """A message started playing; clients play its audio."""

    type: ClassVar[str] = "play"
    message: Message


@attrs.frozen(kw_only=True)
class PlaybackFinished(Event):
    """A message finished playing (reported, timed out, or stopped)."""

    type: ClassVar[str] = "played"
    message: Message


@attrs.frozen(kw_only=True)
class PlaybackFailed(Event):
    """A client could not play a message: it is ready again, first in its queue; clients stop it."""

    type: ClassVar[str] = "playback_failed"
    message: Message
    reason: str


@attrs.frozen(kw_only=True)
class PlaybackStopped(Event):
    """Stop was pressed: the current message (if any) ended and autoplay's loop stopped."""

    type: ClassVar[str] = "stopped"
    message_id: int | None


@attrs.frozen(kw_only=True)
class AutoplayChanged(Event):
    """The autoplay toggle changed."""

    type: ClassVar[str] = "autoplay_changed"
    autoplay: bool


@attrs.frozen(kw_only=True)
class EngineStatusChanged(Event):
    """The speech engine became ready, or failed to load."""

    type: ClassVar[str] = "engine_status"
    ready: bool
    detail: str


@attrs.frozen(kw_only=True)
class AutoplayLoopChanged(Event):
    """The autoplay loop started (Play with the toggle on) or stopped (Stop, or the toggle turned off).

    Runtime state, not persisted: after a restart the loop is not running, whatever the toggle says.
    """

    type: ClassVar[str] = "autoplay_loop"
    running: bool
    reason: str | None = None
    """Why the loop stopped when it was not asked to (a client could not play a message); ``None`` otherwise."""


@attrs.frozen(kw_only=True)
class UserMuted(Event):
    """A sender was timed out or banned: their messages are not queued while the mute holds."""

    type: ClassVar[str] = "user_muted"
    mute: Mute


@attrs.frozen(kw_only=True)
class UserUnmuted(Event):
    """A sender's mute was lifted by a moderator."""

    type: ClassVar[str] = "user_unmuted"
    user: str


@attrs.frozen(kw_only=True)
class UserVoiceChanged(Event):
    """A chatter's voice was set (``voice``) or removed (``voice`` is ``None``): by the streamer or by ``!voice``."""

    type: ClassVar[str] = "user_voice_changed"
    user: str
    """The Twitch login, in lower case."""
    voice: str | None


@attrs.frozen(kw_only=True)
class PronunciationChanged(Event):
    """A dictionary entry was set (``say`` or ``phonemes``) or removed (both ``None``)."""

    type: ClassVar[str] = "pronunciation_changed"
    word: str
    say: str | None
    phonemes: str | None


@attrs.frozen(kw_only=True)
class QueueVolumeChanged(Event):
    """The OBS player's volume for a queue changed (0.0–1.0)."""

    type: ClassVar[str] = "queue_volume_changed"
    queue: QueueKind
    volume: float


@attrs.frozen(kw_only=True)
class ChatConnectionChanged(Event):
    """The built-in Twitch chat reader connected, lost its connection, or was turned on or off.

    Runtime state, not persisted, like the autoplay loop.
    """

    type: ClassVar[str] = "chat_connection"
    state: str
    """``connected``, ``connecting`` (``last_error`` says why, after a failure) or ``off``."""
    channel: str | None
    """The channel login read (``None`` when none is set)."""
    last_error: str | None = None
    """Why the last connection attempt failed or ended; ``None`` while connected or off."""
    revision: int = 0
    """Rises with every change of the reader's state since start-up (as in ``GET /api/tts/twitch``)."""


@attrs.frozen(kw_only=True)
class PlayersChanged(Event):
    """A player page connected, reported a new status (volume, blocked) or disconnected.

    Runtime state, not persisted: ``players`` lists every player connected now, in the order they connected.
    """

    type: ClassVar[str] = "players_changed"
    players: tuple[ConnectedPlayer, ...]
