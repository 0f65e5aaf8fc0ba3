"""glibc's malloc set up for a long-lived process that makes tensors of ever-changing sizes, and told to give back
what it no longer uses. Elsewhere (Windows, macOS, musl) every call here does nothing."""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import logging
import platform
import sys

log = logging.getLogger(__name__)

# mallopt parameters, from glibc's malloc.h
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
M_ARENA_MAX = -8


@functools.cache
def _libc() -> ctypes.CDLL | None:
    """glibc, or ``None`` when this process does not run on it."""
    if not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc":
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None
    if not hasattr(libc, "mallopt") or not hasattr(libc, "malloc_trim"):
        return None
    libc.mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    libc.mallopt.restype = ctypes.c_int
    libc.malloc_trim.argtypes = [ctypes.c_size_t]
    libc.malloc_trim.restype = ctypes.c_int
    return libc


def available() -> bool:
    """Whether this process runs on glibc, so the calls below take effect."""
    return _libc() is not None


def configure(*, arena_max: int, mmap_threshold: int, trim_threshold: int) -> bool:
    """Limit malloc to ``arena_max`` arenas, serve every block of ``mmap_threshold`` bytes or more with its own
    mapping (given back to the system when freed), and give back a heap's free top beyond ``trim_threshold``.

    Setting the mmap threshold also turns off glibc's "dynamic" threshold, which otherwise rises to the size of the
    largest block freed so far (up to 32 MiB on 64-bit): after one long text, every activation tensor of a later one
    would be carved out of the heaps, whose free holes glibc keeps. Returns whether glibc took all three.
    """
    libc = _libc()
    if libc is None:
        return False
    taken = [
        libc.mallopt(M_ARENA_MAX, arena_max),
        libc.mallopt(M_MMAP_THRESHOLD, mmap_threshold),
        libc.mallopt(M_TRIM_THRESHOLD, trim_threshold),
    ]
    if not all(taken):
        log.warning("glibc refused a malloc setting (arena_max, mmap_threshold, trim_threshold: %s)", taken)
    return all(taken)


def release_free_memory() -> bool:
    """Give the free pages of every malloc arena back to the system (``malloc_trim(0)``); whether any was."""
    libc = _libc()
    return bool(libc.malloc_trim(0)) if libc is not None else False
