"""The server's memory tuning: glibc's malloc settings and trimming (harmless elsewhere) and oneDNN's cache bound."""

from __future__ import annotations

import ctypes
import os

import pytest

from adapters import glibc_malloc
from entrypoints.memory_tuning import (
    ARENA_MAX,
    MMAP_THRESHOLD,
    ONEDNN_CACHE,
    ONEDNN_CACHE_CAPACITY,
    TRIM_THRESHOLD,
    tune_process_memory,
)

needs_glibc = pytest.mark.skipif(not glibc_malloc.available(), reason="this process does not run on glibc")


class _Mallinfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks")
    ] + [("keepcost", ctypes.c_size_t)]


def _mapped_blocks() -> int:
    libc = ctypes.CDLL("libc.so.6")
    libc.mallinfo2.restype = _Mallinfo2
    return int(libc.mallinfo2().hblks)


@needs_glibc
def test_the_server_settings_are_taken() -> None:
    """glibc accepts every setting the server applies at start-up."""
    assert glibc_malloc.configure(arena_max=ARENA_MAX, mmap_threshold=MMAP_THRESHOLD, trim_threshold=TRIM_THRESHOLD)
    tune_process_memory()


@needs_glibc
def test_large_blocks_get_their_own_mapping_after_tuning() -> None:
    """After tuning, a large block is mapped on its own (so freeing it returns it to the system), even after a
    larger block was freed, which would have raised glibc's dynamic threshold above it and put the block in a heap.
    (Blocks well above the threshold are used, as a heap rarely has a free hole that size in a test process.)"""
    libc = ctypes.CDLL("libc.so.6")
    libc.malloc.restype = ctypes.c_void_p
    libc.malloc.argtypes = [ctypes.c_size_t]
    libc.free.argtypes = [ctypes.c_void_p]
    tune_process_memory()
    libc.free(libc.malloc(30 * 2**20))  # the case that raises the dynamic threshold when it is on
    before = _mapped_blocks()
    block = libc.malloc(24 * 2**20)
    try:
        assert _mapped_blocks() == before + 1
    finally:
        libc.free(block)
    assert _mapped_blocks() == before


def test_tuning_bounds_onednn_cache_unless_set(monkeypatch: pytest.MonkeyPatch) -> None:
    """The server bounds oneDNN's primitive cache, but a capacity given in the environment is kept."""
    monkeypatch.delenv(ONEDNN_CACHE, raising=False)
    tune_process_memory()
    assert os.environ[ONEDNN_CACHE] == str(ONEDNN_CACHE_CAPACITY)
    monkeypatch.setenv(ONEDNN_CACHE, "2048")
    tune_process_memory()
    assert os.environ[ONEDNN_CACHE] == "2048"


def test_release_free_memory_never_raises() -> None:
    """Trimming works on glibc and is a no-op elsewhere."""
    assert glibc_malloc.release_free_memory() in (True, False)
