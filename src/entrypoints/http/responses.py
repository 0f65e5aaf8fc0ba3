"""Response bodies as msgspec Structs: what the OpenAPI schema documents and what goes on the wire.

WebSocket frames reuse the same shapes as plain dicts (``msgspec.to_builtins``), so both stay in step.
"""

from __future__ import annotations

from typing import Any, Literal

import msgspec
from msgspec import UNSET, UnsetType

from tts_core.model import DeletionReason, MessageStatus, QueueKind


class MessageBody(msgspec.Struct, kw_only=True):
    """A message as every call that returns one answers it."""

    id: int
    queue: QueueKind
    status: MessageStatus
    sent_by: str
    text: str
    """The text as it arrived from chat."""
    spoken_text: str
    """The text the engine reads."""
    voice: str | None
    bits_amount: int | None
    audio_url: str | None
    """Set only while the WAV exists (ready or playing)."""
    audio_size_bytes: int | None
    duration_seconds: float | None
    created_at: str | None
    ready_at: str | None
    playing_at: str | None
    played_at: str | None
    deleted_at: str | None
    deletion_reason: DeletionReason | None
    error: str | None
    twitch_message_id: str | None
    """Twitch's id of the chat message, when the App sent it."""
    skipped: bool
    """Played, but cut short by Skip."""


class QueuedMessage(MessageBody):
    """``add_message`` 201: the queued message (``queued`` comes first: it is the only positional field)."""

    queued: Literal[True]


class NotQueuedBody(msgspec.Struct):
    """``add_message`` 200: the message was understood but is not read; ``reason`` is a code."""

    queued: Literal[False]
    reason: str
    detail: str


class QueueCountsBody(msgspec.Struct, kw_only=True):
    """One queue's counters."""

    queue_size: int
    """pending + synthesizing + ready."""
    pending: int
    synthesizing: int
    ready: int
    playing: int
    audio_bytes: int


class QueuesCountsBody(msgspec.Struct, kw_only=True):
    """Both queues' counters, whichever is active."""

    mentions: QueueCountsBody
    bits: QueueCountsBody


class StatsBody(msgspec.Struct, kw_only=True):
    """The active queue's counters, both queues' counters (``queues``), the mentions audio use and the toggle."""

    active_queue: QueueKind
    queue_size: int
    """pending + synthesizing + ready."""
    pending: int
    synthesizing: int
    ready: int
    playing: int
    audio_bytes: int
    mentions_audio_bytes: int
    mentions_audio_budget_bytes: int
    autoplay: bool
    queues: QueuesCountsBody


class EngineBody(msgspec.Struct, kw_only=True):
    """The speech engine's state."""

    name: str
    ready: bool
    detail: str
    device: str | None
    g2p: str | None


class PlayBody(msgspec.Struct, kw_only=True):
    """The answer to the Play button: the message that started (or ``null``, with ``detail`` saying why)."""

    autoplay: bool
    running: bool
    message: MessageBody | None
    detail: str


class StopBody(msgspec.Struct, kw_only=True):
    """The answer to the Stop button: the messages that stopped playing."""

    message_ids: list[int]
    running: bool


class ClearBody(msgspec.Struct, kw_only=True):
    """The answer to Clear: the soft-deleted messages of the active queue."""

    queue: QueueKind
    cleared: int
    message_ids: list[int]


class ActiveQueueBody(msgspec.Struct):
    """The active queue after a switch."""

    active_queue: QueueKind


class AutoplayBody(msgspec.Struct):
    """The autoplay toggle."""

    autoplay: bool


class ConfigBody(msgspec.Struct, kw_only=True):
    """The settings that shape behaviour (no secrets)."""

    username: str | None
    autoplay_cooldown: float
    voice: str
    voice_map: dict[str, str]
    engine: str
    engine_ready: bool
    device: str | None
    g2p: str | None
    lang_code: str
    speed: float
    mentions_audio_budget_mb: float
    mentions_audio_budget_bytes: int
    twitch_channel: str | None
    """The channel the built-in chat reader reads (``TTS_TWITCH_CHANNEL``); ``null`` when none is set."""


class MessageListBody(msgspec.Struct):
    """A page of messages, newest first."""

    messages: list[MessageBody]
    count: int


class DatabaseHealth(msgspec.Struct):
    """Whether the database answers."""

    ok: bool


class AudioStoreHealth(msgspec.Struct):
    """Whether the audio store can be written now; ``detail`` says why not."""

    ok: bool
    detail: str | None


class WorkerHealth(msgspec.Struct):
    """The synthesis worker: alive, messages made, and why it is paused (``null`` when it is not)."""

    running: bool
    processed: int
    problem: str | None


class MemoryHealth(msgspec.Struct):
    """The server process's memory: resident set size, and on CUDA torch's allocated and reserved GPU memory."""

    resident_bytes: int
    """RAM the process holds now (resident set size), model included."""
    cuda_allocated_bytes: int | None
    """GPU memory in live tensors; ``null`` when the engine does not run on CUDA."""
    cuda_reserved_bytes: int | None
    """GPU memory torch's caching allocator holds (allocated plus its cache); ``null`` when not on CUDA."""


class ChatConnectionBody(msgspec.Struct):
    """The built-in Twitch chat reader: ``off``, ``connecting`` (``last_error`` says why after a failure) or
    ``connected``, and the channel it reads."""

    state: Literal["off", "connecting", "connected"]
    channel: str | None
    last_error: str | None
    revision: int
    """Rises with every change since the server started: of an answer and a ``chat_connection`` frame, the
    higher ``revision`` is the newer state."""


class HealthBody(msgspec.Struct):
    """``ok``; ``degraded`` (200, ``reasons`` say why) while the engine is not ready, the audio store cannot be
    written, the worker is paused or the Twitch chat reader is on but not connected; ``down`` (503) without a
    database."""

    status: Literal["ok", "degraded", "down"]
    reasons: list[str]
    database: DatabaseHealth
    audio_store: AudioStoreHealth
    engine: EngineBody
    worker: WorkerHealth
    chat: ChatConnectionBody
    memory: MemoryHealth


class ErrorBody(msgspec.Struct, kw_only=True):
    """Every error answer: the status, a sentence, and the offending field or state when there is one."""

    status_code: int
    detail: str
    field: str | UnsetType | None = UNSET
    """The request field at fault (400)."""
    errors: list[dict[str, Any]] | UnsetType = UNSET
    """Each validation problem (400 from request validation)."""
    current_status: str | UnsetType = UNSET
    """The message's status that refused the change (409)."""
    limit_bytes: int | UnsetType = UNSET
    """The limit that was exceeded (413)."""


class RemovedBody(msgspec.Struct):
    """``delete_message``: the ids of the messages removed (empty when none was waiting or playing)."""

    removed: list[int]


class MuteBody(msgspec.Struct, kw_only=True):
    """A muted sender: timed out until ``until``, or banned (``until`` is ``null``)."""

    user: str
    """The sender's login in lower case."""
    since: str
    until: str | None


class PurgeBody(msgspec.Struct, kw_only=True):
    """``purge_user``: the sender's messages removed and the mute now in force."""

    user: str
    removed: list[int]
    mute: MuteBody


class UnmuteBody(msgspec.Struct, kw_only=True):
    """``unmute_user``: whether a mute was in force (false: the call changed nothing)."""

    user: str
    unmuted: bool


class MutedBody(msgspec.Struct, kw_only=True):
    """The mutes in force, by user."""

    mutes: list[MuteBody]
    count: int


class SkipBody(msgspec.Struct, kw_only=True):
    """The answer to Skip: the messages that ended (played, ``skipped``) and whether the loop runs on."""

    message_ids: list[int]
    running: bool


class NotReadBody(msgspec.Struct, kw_only=True):
    """A chat message that was not queued, and why."""

    sent_by: str
    text: str
    """The chat text as it arrived."""
    reason: str
    """A code, as ``add_message``'s ``reason``: ``no_mention``, ``bot``, ``command``, ``muted``, …"""
    detail: str
    at: str
    """When it arrived (ISO 8601)."""


class NotReadListBody(msgspec.Struct, kw_only=True):
    """``GET /api/tts/rejected``: the latest messages not queued, newest first (at most 200; kept in memory)."""

    messages: list[NotReadBody]
    count: int
