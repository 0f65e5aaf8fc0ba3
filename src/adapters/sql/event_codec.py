"""Domain events to JSON and back, so one process can hand its events to another through the outbox.

Only the value classes of ``tts_core`` listed here are rebuilt: a row never names an arbitrary class to create.
"""

from __future__ import annotations

import enum
import json
from datetime import datetime
from typing import Any

import attrs

from tts_core import events as _events
from tts_core.counts import QueueCounts
from tts_core.model import DeletionReason, Message, MessageStatus, QueueKind, StoredAudio
from tts_core.moderation import Mute
from tts_core.not_read import NotRead
from tts_core.players import ConnectedPlayer, PlayerStatus

_EVENTS: dict[str, type[_events.Event]] = {
    cls.__name__: cls
    for cls in vars(_events).values()
    if isinstance(cls, type) and issubclass(cls, _events.Event) and cls is not _events.Event
}
_VALUES: dict[str, type[Any]] = {
    cls.__name__: cls
    for cls in (Message, StoredAudio, QueueCounts, Mute, NotRead, ConnectedPlayer, PlayerStatus)
    if attrs.has(cls)
}
_CLASSES: dict[str, type[Any]] = {**_EVENTS, **_VALUES}
_ENUMS: dict[str, type[enum.Enum]] = {cls.__name__: cls for cls in (QueueKind, MessageStatus, DeletionReason)}


class EventCodecError(ValueError):
    """An event holds a value the codec does not know, or a payload is not one it wrote."""


def encode_event(event: _events.Event) -> str:
    """``event`` (with its ``seq``) as a JSON text."""
    return json.dumps(_encode(event), separators=(",", ":"))


def decode_event(payload: str) -> _events.Event:
    """The event :func:`encode_event` wrote."""
    decoded = _decode(json.loads(payload))
    if not isinstance(decoded, _events.Event):
        raise EventCodecError("the payload is not an event")
    return decoded


def _encode(value: Any) -> Any:
    if isinstance(value, enum.Enum):  # before str: the domain's enums are StrEnums
        if _ENUMS.get(type(value).__name__) is not type(value):
            raise EventCodecError(f"unknown enum {type(value).__name__}")
        return {"$enum": type(value).__name__, "v": value.value}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, tuple):
        return {"$tuple": [_encode(v) for v in value]}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {"$dict": [[_encode(k), _encode(v)] for k, v in value.items()]}
    name = type(value).__name__
    if attrs.has(type(value)) and _CLASSES.get(name) is type(value):
        fields = {f.alias: _encode(getattr(value, f.name)) for f in attrs.fields(type(value)) if f.init}
        return {"$": name, **fields}
    raise EventCodecError(f"cannot encode a {name} in an event")


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "$enum" in value:
        return _ENUMS[value["$enum"]](value["v"])
    if "$dt" in value:
        return datetime.fromisoformat(value["$dt"])
    if "$tuple" in value:
        return tuple(_decode(v) for v in value["$tuple"])
    if "$dict" in value:
        return {_decode(k): _decode(v) for k, v in value["$dict"]}
    cls = _CLASSES.get(value.get("$", ""))
    if cls is None:
        raise EventCodecError(f"unknown class {value.get('$')!r} in an event payload")
    return cls(**{k: _decode(v) for k, v in value.items() if k != "$"})
