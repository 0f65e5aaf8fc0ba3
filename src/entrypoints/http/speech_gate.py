"""SpeechGate: how many OpenAI speech requests run at once, how long each waits for the engine, and their threads."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import anyio
import anyio.to_thread

T = TypeVar("T")


class SpeechGate:
    """Admission and threads for ``/v1/audio/speech``, one per app; used from the app's event loop only.

    The requests' synthesis runs on a capacity limiter of their own (``concurrency`` threads), never on the
    default one that every sync handler and WebSocket command shares: a long speech request cannot starve
    ``/api/tts``. Beyond ``concurrency`` running requests, :meth:`try_enter` says no (the handler answers 429).
    """

    def __init__(self, *, concurrency: int, wait_seconds: float) -> None:
        self.concurrency = concurrency
        self.wait_seconds = wait_seconds
        """How long one chunk may wait for the engine (the worker's chunk, another request's) before giving up."""
        self._limiter = anyio.CapacityLimiter(concurrency)
        self._active = 0

    @property
    def active(self) -> int:
        """Speech requests running now."""
        return self._active

    def try_enter(self) -> bool:
        """Take a place if one is free; whoever got one calls :meth:`leave` exactly once."""
        if self._active >= self.concurrency:
            return False
        self._active += 1
        return True

    def leave(self) -> None:
        """Give back a place taken by :meth:`try_enter`."""
        self._active -= 1

    async def run(self, function: Callable[..., T], *args: object) -> T:
        """``function(*args)`` in one of the gate's own threads. When the caller is cancelled (the client went
        away) the call still runs to its end, so an engine lock is never abandoned, then the cancellation lands."""
        return await anyio.to_thread.run_sync(function, *args, limiter=self._limiter)
