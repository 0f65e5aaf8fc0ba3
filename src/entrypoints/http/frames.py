"""WebSocket frames: each domain event, the snapshot and the answers to commands as JSON objects with a ``type``."""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any

import attrs

from entrypoints.http.schemas import (
    audio_url,
    counts_json,
    engine_json,
    message_json,
    mute_body,
    not_read_body,
    plain,
    stats_json,
)
from tts_core.events import (
    Event,
    MessageFailed,
    MessageQueued,
    MessageReady,
    MessageRejected,
    MessageRequeued,
    MessagesRemoved,
    PlaybackFinished,
    PlaybackStarted,
    PlayersChanged,
    QueueChanged,
    UserMuted,
)
from tts_core.model import Message
from tts_core.players import ConnectedPlayer
from tts_core.services import LiveSnapshot
from tts_core.speech import EngineStatus

Frame = dict[str, Any]


def _message_event(event: Event) -> Frame:
    assert isinstance(event, MessageQueued | MessageReady | MessageFailed | MessageRequeued | PlaybackFinished)
    return {"message": message_json(event.message)}


def _play(event: Event) -> Frame:
    assert isinstance(event, PlaybackStarted)
    return {"message": message_json(event.message), "audio_url": audio_url(event.message)}


def _removed(event: Event) -> Frame:
    assert isinstance(event, MessagesRemoved)
    return {
        "queue": event.queue.value,
        "message_ids": list(event.message_ids),
        "reason": event.reason.value,
        "playing_ids": list(event.playing_ids),
    }


def _muted(event: Event) -> Frame:
    assert isinstance(event, UserMuted)
    return {"mute": plain(mute_body(event.mute))}


def _rejected(event: Event) -> Frame:
    assert isinstance(event, MessageRejected)
    return {"not_read": plain(not_read_body(event.not_read))}


def player_json(player: ConnectedPlayer) -> Frame:
    """One connected player page as clients see it; ``state`` is ``ok``, ``muted`` or ``blocked``."""
    status = player.status
    return {
        "id": player.id,
        "page": status.page,
        "volume": status.volume,
        "effective_volume": status.effective_volume,
        "blocked": status.blocked,
        "state": status.state.value,
    }


def _players(event: Event) -> Frame:
    assert isinstance(event, PlayersChanged)
    return {"players": [player_json(p) for p in event.players]}


def _queue_changed(event: Event) -> Frame:
    assert isinstance(event, QueueChanged)
    return {"active_queue": event.active_queue.value, **counts_json(event.counts)}


_BODIES: dict[type[Event], Callable[[Event], Frame]] = {
    MessageQueued: _message_event,
    MessageReady: _message_event,
    MessageFailed: _message_event,
    MessageRequeued: _message_event,
    PlaybackFinished: _message_event,
    PlaybackStarted: _play,
    MessagesRemoved: _removed,
    QueueChanged: _queue_changed,
    UserMuted: _muted,
    MessageRejected: _rejected,
    PlayersChanged: _players,
}


def _plain(value: Any) -> Any:
    if isinstance(value, Message):
        return message_json(value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def event_frame(event: Event) -> Frame:
    """The frame every client receives for ``event``.

    Events with only plain fields (``queue_switched``, ``stopped``, ``autoplay_changed``, ``autoplay_loop``,
    ``engine_status``, ``user_unmuted`` and any event added later) become their fields, enums as their values.
    """
    body = _BODIES.get(type(event))
    if body is not None:
        return {"type": event.type, "seq": event.seq, **body(event)}
    fields = attrs.fields(type(event))
    return {"type": event.type, **{f.name: _plain(getattr(event, f.name)) for f in fields}}


def snapshot_frame(
    *,
    snapshot: LiveSnapshot,
    running: bool,
    engine: EngineStatus,
    cooldown_seconds: float,
    players: tuple[ConnectedPlayer, ...] = (),
) -> Frame:
    """The first frame of a connection: the ``seq`` it reflects, the active queue's stats (the keys of
    ``active_queue_stats``, where ``playing`` is a count), the loop, the message playing now, the active
    queue's messages in play order, each queue's (``lineups``, to look at the other queue without switching), the
    engine, the cooldown and the player pages connected now (``players``)."""
    playing = snapshot.playing[-1] if snapshot.playing else None
    lineup = snapshot.lineup
    lineups = {queue.value: [message_json(m) for m in messages] for queue, messages in snapshot.lineups.items()}
    return {
        "type": "snapshot",
        "seq": snapshot.seq,
        **stats_json(snapshot.stats),
        "autoplay_running": running,
        "autoplay_cooldown": cooldown_seconds,
        "now_playing": message_json(playing) if playing is not None else None,
        "messages": [message_json(m) for m in lineup],
        "lineups": lineups,
        "engine": engine_json(engine),
        "players": [player_json(p) for p in players],
    }


def ok_frame(command: str, request_id: str | int | None, result: Frame) -> Frame:
    """The answer to a command that was carried out."""
    return {"type": "ok", "command": command, "request_id": request_id, "result": result}


def error_frame(command: str | None, request_id: str | int | None, code: str, detail: str, **extra: Any) -> Frame:
    """The answer to a command that was refused or could not be read; the socket stays open."""
    return {"type": "error", "command": command, "request_id": request_id, "code": code, "detail": detail, **extra}
