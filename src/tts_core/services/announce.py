"""Announcing events that no other change carries (runtime state such as the autoplay loop or the engine)."""

from __future__ import annotations

from tts_core.events import Event
from tts_core.ports import Storage


def announce(storage: Storage, *events: Event) -> None:
    """Publish ``events`` through a unit of work of their own, so they get a ``seq`` in commit order too."""
    with storage.unit_of_work() as uow:
        for event in events:
            uow.emit(event)
