"""This process's memory as ``/health`` reports it: resident set size, and torch's CUDA allocator when in use."""

from __future__ import annotations

import sys

import attrs
import psutil


@attrs.frozen(kw_only=True)
class MemoryUsage:
    """A reading of the server process's memory."""

    resident_bytes: int
    """Resident set size: the RAM the process holds now (what a task manager shows)."""
    cuda_allocated_bytes: int | None
    """Bytes in live CUDA tensors (``torch.cuda.memory_allocated``); ``None`` when CUDA is not in use."""
    cuda_reserved_bytes: int | None
    """Bytes torch's CUDA caching allocator holds from the driver (``torch.cuda.memory_reserved``); ``None`` when
    CUDA is not in use."""


def memory_usage() -> MemoryUsage:
    """The current reading. Never imports torch: CUDA figures come only once an engine has put something on the GPU."""
    resident = int(psutil.Process().memory_info().rss)
    torch = sys.modules.get("torch")
    if torch is None or not torch.cuda.is_initialized():
        return MemoryUsage(resident_bytes=resident, cuda_allocated_bytes=None, cuda_reserved_bytes=None)
    return MemoryUsage(
        resident_bytes=resident,
        cuda_allocated_bytes=int(torch.cuda.memory_allocated()),
        cuda_reserved_bytes=int(torch.cuda.memory_reserved()),
    )
