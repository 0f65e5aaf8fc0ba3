"""The server's memory tuning: glibc's malloc settings and trimming (harmless elsewhere) and oneDNN's cache bound."""

from __future__ import annotations

import os
import subprocess
import sys

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


@needs_glibc
def test_the_server_settings_are_taken() -> None:
    """glibc accepts every setting the server applies at start-up."""
    assert glibc_malloc.configure(arena_max=ARENA_MAX, mmap_threshold=MMAP_THRESHOLD, trim_threshold=TRIM_THRESHOLD)
    tune_process_memory()


_LARGE_BLOCK_PROBE = """
import ctypes

from entrypoints.memory_tuning import tune_process_memory


class Mallinfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]


libc = ctypes.CDLL("libc.so.6")
libc.mallinfo2.restype = Mallinfo2
libc.malloc.restype = ctypes.c_void_p
libc.malloc.argtypes = [ctypes.c_size_t]
libc.free.argtypes = [ctypes.c_void_p]
tune_process_memory()
libc.free(libc.malloc(30 * 2**20))  # the case that raises the dynamic threshold when it is on
before = libc.mallinfo2().hblks
block = libc.malloc(24 * 2**20)
during = libc.mallinfo2().hblks
libc.free(block)
print(during - before, libc.mallinfo2().hblks - before)
"""


@needs_glibc
def test_large_blocks_get_their_own_mapping_after_tuning() -> None:
    """After tuning, a large block is mapped on its own (so freeing it returns it to the system), even after a
    larger block was freed, which would have raised glibc's dynamic threshold above it and put the block in a heap.
    Measured in a fresh interpreter: in the test process other threads (servers of other tests) malloc and free
    large blocks at the same time and move glibc's counters."""
    probe = subprocess.run(
        [sys.executable, "-c", _LARGE_BLOCK_PROBE], capture_output=True, text=True, check=True, timeout=60
    )
    assert probe.stdout.split() == ["1", "0"]


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
