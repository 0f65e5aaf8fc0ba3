"""Request bodies, and the response bodies (and WebSocket frame shapes) built from domain values."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal

import msgspec

from entrypoints.http.limits import BitsAmount, FailureReason, MuteSeconds, TwitchMessageId, UserName, WireId
from entrypoints.http.responses import (
    ClearBody,
    EngineBody,
    MessageBody,
    MuteBody,
    MutedBody,
    NotQueuedBody,
    NotReadBody,
    PlayBody,
    PurgeBody,
    QueueCountsBody,
    QueuedMessage,
    QueuesCountsBody,
    SkipBody,
    StatsBody,
    StopBody,
)
from tts_core.chat import IncomingChat, MessageType
from tts_core.counts import QueueCounts
from tts_core.model import AUDIO_STATUSES, Message, MessageStatus
from tts_core.moderation import Mute
from tts_core.not_read import NotRead
from tts_core.services import ClearResult, NotQueued, PlayOutcome, PurgeResult, QueueStats
from tts_core.speech import EngineStatus

AUDIO_PREFIX = "/audio"


class AddMessageBody(msgspec.Struct, forbid_unknown_fields=False):
    """``POST /api/tts/add_message``: a chat message from the App."""

    sent_by: str
    text: str
    message_type: Literal["chat", "mention", "bits"] = "chat"
    bits_amount: BitsAmount | None = None
    twitch_message_id: TwitchMessageId | None = None
    """Twitch's id of the message, so a moderator's deletion can find it."""
    is_moderator: bool = False
    """The sender is a moderator or the broadcaster: their ``!tts`` commands are carried out."""

    def incoming(self) -> IncomingChat:
        """The chat message the core takes."""
        return IncomingChat(
            sent_by=self.sent_by,
            text=self.text,
            message_type=MessageType(self.message_type),
            bits_amount=self.bits_amount,
            twitch_message_id=self.twitch_message_id,
            is_moderator=self.is_moderator,
        )


class DeleteMessageBody(msgspec.Struct):
    """``POST /api/tts/moderation/delete_message``: a moderator deleted this message; exactly one of the two."""

    twitch_message_id: TwitchMessageId | None = None
    """Twitch's id of the message (what the App gets from ``CLEARMSG`` or ``message_delete``)."""
    id: WireId | None = None
    """Our id of the message (what the panel's delete button sends)."""


class PurgeUserBody(msgspec.Struct):
    """``POST /api/tts/moderation/purge_user``: a timeout of ``duration_seconds``, or a ban (``null`` or absent)."""

    user: UserName
    duration_seconds: MuteSeconds | None = None


class UnmuteUserBody(msgspec.Struct):
    """``POST /api/tts/moderation/unmute_user``."""

    user: UserName


class SwitchQueueBody(msgspec.Struct):
    """``POST /api/tts/switch_active_queue``."""

    queue_type: Literal["mentions", "bits"]


class PlaybackFailedBody(msgspec.Struct):
    """``POST /api/tts/playback_failed/{id}``: why the client could not play the message."""

    reason: FailureReason = "the client could not play it"


def not_read_body(item: NotRead) -> NotReadBody:
    """A not-read message as ``GET /api/tts/rejected`` and the ``message_rejected`` frame carry it."""
    return NotReadBody(
        sent_by=item.sent_by, text=item.text, reason=item.reason, detail=item.detail, at=item.at.isoformat()
    )


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def audio_url(message: Message) -> str | None:
    """Where the message's audio is served, while it has a file."""
    if message.audio is None or message.status not in AUDIO_STATUSES:
        return None
    return f"{AUDIO_PREFIX}/{message.audio.ref}"


def message_body(message: Message) -> MessageBody:
    """A message as the API returns it (only stored messages, which have an id, are answered)."""
    assert message.id is not None, "only stored messages are answered"
    return MessageBody(
        id=message.id,
        queue=message.queue,
        status=message.status,
        sent_by=message.sent_by,
        text=message.text,
        spoken_text=message.spoken_text,
        voice=message.voice,
        bits_amount=message.bits_amount,
        audio_url=audio_url(message),
        audio_size_bytes=message.audio.size_bytes if message.audio else None,
        duration_seconds=round(message.audio.duration_seconds, 3) if message.audio else None,
        created_at=_when(message.created_at),
        ready_at=_when(message.ready_at),
        playing_at=_when(message.playing_at),
        played_at=_when(message.played_at),
        deleted_at=_when(message.deleted_at),
        deletion_reason=message.deletion_reason,
        error=message.error,
        twitch_message_id=message.twitch_message_id,
        skipped=message.skipped,
    )


def stats_body(stats: QueueStats) -> StatsBody:
    """``GET /api/tts/active_queue_stats``: the active queue's counters, mentions audio use and autoplay."""
    active = stats.active
    return StatsBody(
        active_queue=stats.active_queue,
        queue_size=active.queue_size,
        pending=active[MessageStatus.PENDING],
        synthesizing=active[MessageStatus.SYNTHESIZING],
        ready=active[MessageStatus.READY],
        playing=active[MessageStatus.PLAYING],
        audio_bytes=active.audio_bytes,
        mentions_audio_bytes=stats.mentions.audio_bytes,
        mentions_audio_budget_bytes=stats.mentions_budget_bytes,
        autoplay=stats.autoplay,
        queues=QueuesCountsBody(mentions=queue_counts_body(stats.mentions), bits=queue_counts_body(stats.bits)),
    )


def queue_counts_body(counts: QueueCounts) -> QueueCountsBody:
    """One queue's counters as ``stats.queues`` carries them."""
    return QueueCountsBody(
        queue_size=counts.queue_size,
        pending=counts[MessageStatus.PENDING],
        synthesizing=counts[MessageStatus.SYNTHESIZING],
        ready=counts[MessageStatus.READY],
        playing=counts[MessageStatus.PLAYING],
        audio_bytes=counts.audio_bytes,
    )


def engine_body(status: EngineStatus) -> EngineBody:
    """The engine as ``/health``, ``/config`` and the WebSocket snapshot show it."""
    return EngineBody(name=status.name, ready=status.ready, detail=status.detail, device=status.device, g2p=status.g2p)


def add_result_body(result: Message | NotQueued) -> QueuedMessage | NotQueuedBody:
    """The answer to ``add_message``: the queued message, or why it is not queued."""
    if isinstance(result, NotQueued):
        return NotQueuedBody(queued=False, reason=result.reason, detail=result.detail)
    return QueuedMessage(True, **msgspec.structs.asdict(message_body(result)))


def play_body(outcome: PlayOutcome, *, running: bool) -> PlayBody:
    """The answer to the Play button."""
    started = message_body(outcome.started) if outcome.started is not None else None
    return PlayBody(autoplay=outcome.autoplay, running=running, message=started, detail=outcome.detail)


def stop_body(stopped: Sequence[Message], *, running: bool) -> StopBody:
    """The answer to the Stop button."""
    return StopBody(message_ids=[m.id for m in stopped if m.id is not None], running=running)


def clear_body(result: ClearResult) -> ClearBody:
    """The answer to Clear."""
    return ClearBody(queue=result.queue, cleared=len(result.message_ids), message_ids=list(result.message_ids))


def mute_body(mute: Mute) -> MuteBody:
    """A mute as the API and the frames show it."""
    return MuteBody(user=mute.user, since=mute.since.isoformat(), until=_when(mute.until))


def purge_body(result: PurgeResult) -> PurgeBody:
    """The answer to a timeout or ban."""
    return PurgeBody(user=result.user, removed=list(result.removed), mute=mute_body(result.mute))


def muted_body(mutes: Sequence[Mute]) -> MutedBody:
    """The mutes in force."""
    return MutedBody(mutes=[mute_body(m) for m in mutes], count=len(mutes))


def skip_body(skipped: Sequence[Message], *, running: bool) -> SkipBody:
    """The answer to Skip."""
    return SkipBody(message_ids=[m.id for m in skipped if m.id is not None], running=running)


def plain(body: msgspec.Struct) -> dict[str, Any]:
    """A response body as the plain dict a WebSocket frame carries (same keys, order and values)."""
    built: dict[str, Any] = msgspec.to_builtins(body)
    return built


# The WebSocket frames and command answers carry the same shapes as plain dicts.
def message_json(message: Message) -> dict[str, Any]:
    """A message as a frame carries it."""
    return plain(message_body(message))


def counts_json(counts: QueueCounts) -> dict[str, Any]:
    """One queue's counters, with the same keys as ``GET /api/tts/active_queue_stats``."""
    return {
        "queue": counts.queue.value,
        "queue_size": counts.queue_size,
        "pending": counts[MessageStatus.PENDING],
        "synthesizing": counts[MessageStatus.SYNTHESIZING],
        "ready": counts[MessageStatus.READY],
        "playing": counts[MessageStatus.PLAYING],
        "audio_bytes": counts.audio_bytes,
    }


def stats_json(stats: QueueStats) -> dict[str, Any]:
    return plain(stats_body(stats))


def engine_json(status: EngineStatus) -> dict[str, Any]:
    return plain(engine_body(status))


def add_result_json(result: Message | NotQueued) -> dict[str, Any]:
    return plain(add_result_body(result))


def play_json(outcome: PlayOutcome, *, running: bool) -> dict[str, Any]:
    return plain(play_body(outcome, running=running))


def stop_json(stopped: Sequence[Message], *, running: bool) -> dict[str, Any]:
    return plain(stop_body(stopped, running=running))


def clear_json(result: ClearResult) -> dict[str, Any]:
    return plain(clear_body(result))


def field_of(problem: str) -> str | None:
    """The field a msgspec validation message names (``field `text``` or ``at `$.text```), if any."""
    named = re.search(r"field `([^`]+)`|`\$\.([A-Za-z_]\w*)", problem)
    return (named.group(1) or named.group(2)) if named else None
