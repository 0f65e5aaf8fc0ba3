"""The server's memory settings, applied by ``serve`` before torch is imported: resident memory stays flat."""

from __future__ import annotations

import logging

from adapters import glibc_malloc

log = logging.getLogger(__name__)

ARENA_MAX = 2
"""malloc arenas: one model call runs at a time, so more arenas only spread free holes over more heaps (glibc's
default is 8 per core; the speech endpoint's threads come and go and each one could pick another)."""
MMAP_THRESHOLD = 256 * 1024
"""Blocks from this size up get their own mapping, returned when freed: Kokoro's activations (megabytes, a new
size for every text) never settle in a heap."""
TRIM_THRESHOLD = 8 * 1024 * 1024
"""Free memory at a heap's top beyond this is returned at once."""


def tune_process_memory() -> None:
    """Apply the settings above (glibc only; elsewhere nothing changes). Call once, early in ``serve``."""
    if glibc_malloc.configure(arena_max=ARENA_MAX, mmap_threshold=MMAP_THRESHOLD, trim_threshold=TRIM_THRESHOLD):
        log.debug(
            "malloc: %d arenas, mmap from %d KiB, trim above %d MiB",
            ARENA_MAX,
            MMAP_THRESHOLD // 1024,
            TRIM_THRESHOLD // 2**20,
        )
