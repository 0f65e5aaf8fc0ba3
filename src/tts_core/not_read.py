"""The "not read" log: the latest chat messages that were not queued, with why, for "why wasn't X read?"."""

from __future__ import annotations

import collections
import threading
from datetime import datetime

import attrs

NOT_READ_KEPT = 200
"""How many not-read messages the log keeps; older ones fall off."""


@attrs.frozen(kw_only=True)
class NotRead:
    """A chat message that was understood but not queued."""

    sent_by: str
    text: str
    """The chat text as it arrived (shown only in the panel, never on stream)."""
    reason: str
    """A code: ``no_mention``, ``bot``, ``command``, ``emote_only``, ``muted``, ``spam``, …"""
    detail: str
    """A sentence saying why."""
    at: datetime


@attrs.define
class NotReadLog:
    """The last :data:`NOT_READ_KEPT` not-read messages, in memory (a restart forgets them). Thread-safe."""

    size: int = NOT_READ_KEPT
    _items: collections.deque[NotRead] = attrs.field(init=False)
    _lock: threading.Lock = attrs.field(factory=threading.Lock, init=False)

    def __attrs_post_init__(self) -> None:
        self._items = collections.deque(maxlen=self.size)

    def record(self, item: NotRead) -> None:
        """Keep ``item``, dropping the oldest when full."""
        with self._lock:
            self._items.append(item)

    def recent(self) -> list[NotRead]:
        """The kept messages, newest first."""
        with self._lock:
            return list(reversed(self._items))
