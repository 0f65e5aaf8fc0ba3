"""The server's memory settings, applied by ``serve`` before the engine loads: resident memory stays flat."""

from __future__ import annotations

import logging
import os

from adapters import glibc_malloc

log = logging.getLogger(__name__)

ARENA_MAX = 2
"""malloc arenas: one model call runs at a time, so more arenas only spread free holes over more heaps (glibc's
default is 8 per core; the speech endpoint's threads come and go and each one could pick another).

Nothing else of malloc is set, on purpose: setting the mmap or the trim threshold turns off glibc's dynamic mmap
threshold, and then every activation tensor of 128 KiB or more gets a mapping of its own, whose pages the kernel
zeroes again on every use. Measured on a 2-core CPU (bench/README.md, "Memory"): Kokoro made 1.27 s of audio per
second that way against 3.1 s without. What keeps memory flat instead is the trim after synthesis
(``glibc_malloc.release_free_memory``, paced by the Kokoro synthesizer): 1.28 GB after 62 texts against 3.67 GB without
it, for 3.5 % of the speed."""
ONEDNN_CACHE = "ONEDNN_PRIMITIVE_CACHE_CAPACITY"
ONEDNN_CACHE_CAPACITY = 256
"""oneDNN (torch's CPU kernels) keeps a compiled primitive per layer and input shape, 1,024 by default; every chat
line has a new length, so about 20 new ones (LSTM, convolutions) each time, and the cache only stops growing when
full. A quarter of that still keeps recent lengths. oneDNN reads the variable once, at its first primitive, so it is
set before the model runs; a value in the environment wins."""


def tune_process_memory() -> None:
    """Apply the settings above (malloc on glibc only). Call once, early in ``serve``, before the engine loads."""
    os.environ.setdefault(ONEDNN_CACHE, str(ONEDNN_CACHE_CAPACITY))
    if glibc_malloc.configure(arena_max=ARENA_MAX):
        log.debug("malloc: %d arenas", ARENA_MAX)
