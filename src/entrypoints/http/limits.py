"""The limits on what a client may send, each answered with its own clear error (see docs/api.md)."""

from __future__ import annotations

from typing import Annotated, TypeAlias

import msgspec
from litestar.params import PathParameter

MAX_INT = 2**63 - 1
"""The largest integer a client may send: SQLite's INTEGER is a signed 64-bit number, and so is every id."""

MAX_BODY_BYTES = 64 * 1024
"""A request body larger than this is refused with 413 (a chat message is at most 2,000 characters)."""

MAX_FRAME_BYTES = 64 * 1024
"""A WebSocket frame larger than this is answered with an error frame (code ``too_large``)."""

MessageId: TypeAlias = Annotated[int, PathParameter(ge=1, le=MAX_INT, description="A message id.")]
"""A message id in a path: beyond 64 bits it is a 400 naming the parameter, never a storage overflow."""

BitsAmount: TypeAlias = Annotated[int, msgspec.Meta(le=MAX_INT)]
"""``bits_amount`` in a request body or a command (the core refuses negative amounts, naming the field)."""

WireId: TypeAlias = Annotated[int, msgspec.Meta(ge=1, le=MAX_INT)]
"""A message id in a WebSocket command."""

TwitchMessageId: TypeAlias = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
"""Twitch's id of a chat message (a UUID on Twitch; at most 64 characters here)."""

UserName: TypeAlias = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
"""A sender's Twitch login (the core checks it is one, naming the field)."""

MuteSeconds: TypeAlias = Annotated[int, msgspec.Meta(ge=1, le=14 * 24 * 3600)]
"""A timeout's length: 1 s to two weeks (as on Twitch); ``null`` for a ban."""

FailureReason: TypeAlias = Annotated[str, msgspec.Meta(max_length=500)]
"""Why a client could not play a message (the browser's error, e.g. ``NotAllowedError: …``)."""

Volume: TypeAlias = Annotated[float, msgspec.Meta(ge=0.0, le=1.0)]
"""A volume, 0.0 (silent) to 1.0 (full)."""
