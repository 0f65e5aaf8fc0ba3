"""SpeechCache: speech made recently, kept by key in bounded memory, the least recently used dropped first."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable

import attrs

from tts_core.speech import Speech

ENTRY_OVERHEAD_BYTES = 256
"""What an entry costs besides its samples (key, tuple, Speech objects), counted against the capacity."""
SIGHTINGS_KEPT = 8192
"""How many keys :meth:`SpeechCache.seen_before` remembers (the most recent ones), a few hundred kB at most."""


@attrs.frozen(kw_only=True)
class CacheStats:
    """How the cache is doing, for logs and benchmarks."""

    hits: int
    """Lookups that found speech."""
    misses: int
    """Lookups that found nothing (the speech was then made, and kept if it fits)."""
    entries: int
    """Pieces of speech kept now."""
    size_bytes: int
    """Bytes kept now (samples plus :data:`ENTRY_OVERHEAD_BYTES` per entry)."""
    capacity_bytes: int
    """The most bytes ever kept."""


class SpeechCache:
    """Chunks of speech by key, at most ``capacity_bytes`` in all; safe to share between threads.

    A value of more than ``max_entry_bytes`` (default: an eighth of the capacity) is not kept, so one long
    text cannot push out everything that chat repeats. A capacity of 0 keeps nothing.
    """

    def __init__(self, capacity_bytes: int, *, max_entry_bytes: int | None = None) -> None:
        if capacity_bytes < 0:
            raise ValueError(f"capacity_bytes must be at least 0, not {capacity_bytes}")
        self.capacity_bytes = capacity_bytes
        self.max_entry_bytes = capacity_bytes // 8 if max_entry_bytes is None else min(max_entry_bytes, capacity_bytes)
        self._entries: OrderedDict[Hashable, tuple[tuple[Speech, ...], int]] = OrderedDict()
        self._sightings: OrderedDict[Hashable, None] = OrderedDict()
        self._size = 0
        self._hits = 0
        self._misses = 0
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        """Whether anything can be kept at all."""
        return self.max_entry_bytes > ENTRY_OVERHEAD_BYTES

    def get(self, key: Hashable) -> tuple[Speech, ...] | None:
        """The chunks kept for ``key`` (now the most recently used), or ``None``."""
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                self._misses += 1
                return None
            self._entries.move_to_end(key)
            self._hits += 1
            return found[0]

    def seen_before(self, key: Hashable) -> bool:
        """Whether ``key`` was asked about here before (among the last :data:`SIGHTINGS_KEPT` keys); notes it.

        Lets a caller keep only what comes back: speech asked for once is not worth keeping (or making apart).
        """
        with self._lock:
            seen = key in self._sightings
            self._sightings[key] = None
            self._sightings.move_to_end(key)
            if len(self._sightings) > SIGHTINGS_KEPT:
                self._sightings.popitem(last=False)
            return seen

    def put(self, key: Hashable, chunks: tuple[Speech, ...]) -> None:
        """Keep ``chunks`` for ``key``, dropping the least recently used entries until it fits (or not at all)."""
        size = ENTRY_OVERHEAD_BYTES + sum(len(chunk.pcm) for chunk in chunks)
        if size > self.max_entry_bytes:
            return
        with self._lock:
            replaced = self._entries.pop(key, None)
            if replaced is not None:
                self._size -= replaced[1]
            while self._entries and self._size + size > self.capacity_bytes:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._size -= dropped
            self._entries[key] = (chunks, size)
            self._size += size

    def clear(self) -> None:
        """Forget everything kept and seen (the counters stay)."""
        with self._lock:
            self._entries.clear()
            self._sightings.clear()
            self._size = 0

    def stats(self) -> CacheStats:
        """The counters and the size now."""
        with self._lock:
            return CacheStats(
                hits=self._hits,
                misses=self._misses,
                entries=len(self._entries),
                size_bytes=self._size,
                capacity_bytes=self.capacity_bytes,
            )
