"""The mentions audio budget: a pure decision of which ready messages to evict."""

from __future__ import annotations

from collections.abc import Iterable

import attrs


@attrs.frozen(kw_only=True)
class EvictionCandidate:
    """A ready message that could be evicted: its id and the bytes its file takes."""

    message_id: int
    size_bytes: int


def plan_eviction(
    *, candidates_oldest_first: Iterable[EvictionCandidate], total_bytes: int, budget_bytes: int
) -> list[int]:
    """Ids to evict so that ``total_bytes`` falls to ``budget_bytes`` or below.

    ``total_bytes`` is all the queue's audio on disk (playing included); ``candidates_oldest_first``
    are only the messages that may go (ready ones, oldest first). The oldest go first, and no more
    are taken than needed: the iterable is read lazily, so a caller may stream it from storage.
    When even evicting every candidate cannot reach the budget (a playing file alone is larger),
    every candidate is evicted.
    """
    evicted: list[int] = []
    remaining = total_bytes
    if remaining <= budget_bytes:
        return evicted
    for candidate in candidates_oldest_first:
        evicted.append(candidate.message_id)
        remaining -= candidate.size_bytes
        if remaining <= budget_bytes:
            break
    return evicted
