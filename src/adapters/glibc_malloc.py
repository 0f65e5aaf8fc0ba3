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


def configure(*, arena_max: int) -> bool:
    """Limit malloc to ``arena_max`` arenas; returns whether glibc took it.

    The mmap and trim thresholds are left alone: setting either turns off glibc's dynamic mmap threshold, which
    rises to the largest block freed so far, so large tensors are carved from the heaps and reused. Without it,
    every tensor of 128 KiB or more is mapped and unmapped on its own, and its pages are faulted in and zeroed
    each time: Kokoro ran 2.4 times slower that way (see ``entrypoints.memory_tuning``). The heaps' free pages go
    back to the system through :func:`release_free_memory` instead.
    """
    libc = _libc()
    if libc is None:
        return False
    if not libc.mallopt(M_ARENA_MAX, arena_max):
        log.warning("glibc refused the malloc setting arena_max=%d", arena_max)
        return False
    return True


def release_free_memory() -> bool:
    """Give the free pages of every malloc arena back to the system (``malloc_trim(0)``); whether any was."""
    libc = _libc()
    return bool(libc.malloc_trim(0)) if libc is not None else False
