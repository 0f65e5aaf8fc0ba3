"""The pure eviction policy: oldest ready go first, only as many as needed, budget holds."""

from __future__ import annotations

from collections.abc import Iterator

from hypothesis import given
from hypothesis import strategies as st

from tts_core import EvictionCandidate, plan_eviction


def candidates(*sizes: int) -> list[EvictionCandidate]:
    return [EvictionCandidate(message_id=i + 1, size_bytes=s) for i, s in enumerate(sizes)]


def test_nothing_evicted_within_budget() -> None:
    """At or under the budget nothing goes."""
    assert plan_eviction(candidates_oldest_first=candidates(50, 50), total_bytes=100, budget_bytes=100) == []


def test_oldest_go_first_and_no_more_than_needed() -> None:
    """Over the budget, the oldest are evicted until the total fits."""
    result = plan_eviction(candidates_oldest_first=candidates(30, 30, 30, 30), total_bytes=120, budget_bytes=70)
    assert result == [1, 2]


def test_playing_bytes_count_but_are_not_candidates() -> None:
    """A playing file (in the total, not a candidate) pushes more ready files out."""
    result = plan_eviction(candidates_oldest_first=candidates(10, 10, 10), total_bytes=30 + 50, budget_bytes=60)
    assert result == [1, 2]


def test_everything_goes_when_budget_cannot_be_met() -> None:
    """When even all candidates are not enough, all are evicted (and no error)."""
    result = plan_eviction(candidates_oldest_first=candidates(10, 10), total_bytes=500, budget_bytes=100)
    assert result == [1, 2]


def test_reads_candidates_lazily() -> None:
    """The policy stops reading as soon as the budget holds (storage can stream candidates)."""
    read: list[int] = []

    def stream() -> Iterator[EvictionCandidate]:
        for candidate in candidates(*([10] * 1000)):
            read.append(candidate.message_id)
            yield candidate

    assert plan_eviction(candidates_oldest_first=stream(), total_bytes=10_000, budget_bytes=9_975) == [1, 2, 3]
    assert len(read) == 3


@given(st.lists(st.integers(1, 1000), max_size=40), st.integers(0, 500), st.integers(0, 20_000))
def test_budget_holds_and_minimal(sizes: list[int], playing: int, budget: int) -> None:
    """After eviction the total fits whenever it can, and keeping the last evicted one would not fit."""
    pool = candidates(*sizes)
    total = sum(sizes) + playing
    evicted = plan_eviction(candidates_oldest_first=pool, total_bytes=total, budget_bytes=budget)
    assert evicted == [c.message_id for c in pool[: len(evicted)]]
    remaining = total - sum(sizes[: len(evicted)])
    if len(evicted) < len(pool):
        assert remaining <= budget
    if evicted:
        assert remaining + sizes[len(evicted) - 1] > budget
