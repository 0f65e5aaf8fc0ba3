"""The server's memory settings, applied by ``serve`` before the engine loads: resident memory stays flat."""

from __future__ import annotations

import logging
import os

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
ONEDNN_CACHE = "ONEDNN_PRIMITIVE_CACHE_CAPACITY"
ONEDNN_CACHE_CAPACITY = 256
"""oneDNN (torch's CPU kernels) keeps a compiled primitive per layer and input shape, 1,024 by default; every chat
line has a new length, so about 20 new ones (LSTM, convolutions) each time, and the cache only stops growing when
full. A quarter of that still keeps recent lengths. oneDNN reads the variable once, at its first primitive, so it is
set before the model runs; a value in the environment wins."""


def tune_process_memory() -> None:
    """Apply the settings above (malloc on glibc only). Call once, early in ``serve``, before the engine loads."""
    os.environ.setdefault(ONEDNN_CACHE, str(ONEDNN_CACHE_CAPACITY))
    if glibc_malloc.configure(arena_max=ARENA_MAX, mmap_threshold=MMAP_THRESHOLD, trim_threshold=TRIM_THRESHOLD):
        log.debug(
            "malloc: %d arenas, mmap from %d KiB, trim above %d MiB",
            ARENA_MAX,
            MMAP_THRESHOLD // 1024,
            TRIM_THRESHOLD // 2**20,
        )
