"""The server's memory tuning: glibc's malloc settings and trimming (harmless elsewhere) and oneDNN's cache bound."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from adapters import glibc_malloc
from entrypoints.memory_tuning import ARENA_MAX, ONEDNN_CACHE, ONEDNN_CACHE_CAPACITY, tune_process_memory

needs_glibc = pytest.mark.skipif(not glibc_malloc.available(), reason="this process does not run on glibc")

_MALLINFO = """
import ctypes

from adapters import glibc_malloc
from entrypoints.memory_tuning import tune_process_memory


class Mallinfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]


libc = ctypes.CDLL("libc.so.6")
libc.mallinfo2.restype = Mallinfo2
libc.malloc.restype = ctypes.c_void_p
libc.malloc.argtypes = [ctypes.c_size_t]
libc.free.argtypes = [ctypes.c_void_p]
libc.memset.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_size_t]


def resident():
    return int(open("/proc/self/status").read().split("VmRSS:")[1].split()[0]) * 1024


tune_process_memory()
"""

_LARGE_BLOCKS_REUSED = (
    _MALLINFO
    + """
libc.free(libc.malloc(8 * 2**20))  # a freed large block raises glibc's dynamic mmap threshold above 8 MiB
before = libc.mallinfo2().hblks
blocks = [libc.malloc(2 * 2**20) for _ in range(20)]  # what activation tensors look like
print(libc.mallinfo2().hblks - before)
"""
)

_TRIM_GIVES_BACK = (
    _MALLINFO
    + """
libc.free(libc.malloc(8 * 2**20))
blocks = [libc.malloc(2 * 2**20) for _ in range(100)]
for block in blocks:
    libc.memset(block, 1, 2 * 2**20)
keep = libc.malloc(2 * 2**20)  # above them in the heap: freeing the blocks below cannot shrink it from the top
for block in blocks:
    libc.free(block)
before = resident()
glibc_malloc.release_free_memory()
print(before - resident())
"""
)


def _probe(code: str) -> str:
    """Run ``code`` in a fresh interpreter (in the test process other threads move glibc's counters)."""
    probe = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    return probe.stdout.strip()


@needs_glibc
def test_the_server_settings_are_taken() -> None:
    """glibc accepts every setting the server applies at start-up."""
    assert glibc_malloc.configure(arena_max=ARENA_MAX)
    tune_process_memory()


@needs_glibc
def test_large_tensors_come_from_the_heap_after_tuning() -> None:
    """After tuning, glibc's dynamic mmap threshold still works: 2 MiB blocks (activation-sized) are carved from
    the heap and reused, not mapped on their own and zeroed by the kernel on every use (which made Kokoro 2.4× slower
    when a threshold was set)."""
    assert _probe(_LARGE_BLOCKS_REUSED) == "0"


@needs_glibc
def test_trimming_gives_freed_heap_memory_back() -> None:
    """What keeps memory flat: after 200 MiB of heap blocks are freed below a live one, a trim returns their pages."""
    assert int(_probe(_TRIM_GIVES_BACK)) > 150 * 2**20


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
