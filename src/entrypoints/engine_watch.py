"""Announces changes of the engine's status (loaded, failed) as events, for live clients."""

from __future__ import annotations

import anyio

from tts_core.errors import StorageError
from tts_core.events import EngineStatusChanged
from tts_core.ports import Storage, Synthesizer
from tts_core.services.announce import announce

POLL_SECONDS = 1.0


async def watch_engine(synthesizer: Synthesizer, storage: Storage, poll_seconds: float = POLL_SECONDS) -> None:
    """Publish :class:`EngineStatusChanged` whenever ``synthesizer.status()`` changes; runs until cancelled.

    Polling is enough: ``status()`` is cheap and the engine changes state a handful of times per run
    (the worker loads it in its own thread, which knows nothing of events).
    """
    last: tuple[bool, str] | None = None
    while True:
        status = synthesizer.status()
        current = (status.ready, status.detail)
        if last is not None and current != last:
            try:
                await anyio.to_thread.run_sync(
                    announce, storage, EngineStatusChanged(ready=status.ready, detail=status.detail)
                )
            except StorageError:
                await anyio.sleep(poll_seconds)
                continue  # announced on the next poll
        last = current
        await anyio.sleep(poll_seconds)
