"""The pure autoplay decision: (view, now) -> wait, finish an overdue message, or play the next."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tts_core.autoplay import Action, FinishOverdue, LoopView, Playing, PlayNext, Wait, decide

NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return NOW + timedelta(seconds=seconds)


def view(
    *, running: bool = True, ready: int = 1, playing: tuple[Playing, ...] = (), resume_at: datetime | None = None
) -> LoopView:
    return LoopView(running=running, ready=ready, playing=playing, resume_at=resume_at)


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        (view(), PlayNext()),
        (view(running=False), Wait(until=None)),
        (view(ready=0), Wait(until=None)),
        (view(resume_at=at(5)), Wait(until=at(5))),
        (view(resume_at=at(0)), PlayNext()),
        (view(resume_at=at(-1)), PlayNext()),
        (view(playing=(Playing(message_id=1, ends_by=at(4)),)), Wait(until=at(4))),
        (view(running=False, playing=(Playing(message_id=1, ends_by=at(4)),)), Wait(until=at(4))),
        (view(running=False, playing=(Playing(message_id=1, ends_by=at(0)),)), FinishOverdue(message_id=1)),
        (
            view(playing=(Playing(message_id=1, ends_by=at(9)), Playing(message_id=2, ends_by=at(-1)))),
            FinishOverdue(message_id=2),
        ),
        (
            view(playing=(Playing(message_id=1, ends_by=at(9)), Playing(message_id=2, ends_by=at(3)))),
            Wait(until=at(3)),
        ),
    ],
    ids=[
        "running-ready-no-cooldown-plays",
        "loop-off-waits-for-events",
        "dry-queue-waits-for-a-ready-message",
        "cooldown-pending-waits-until-its-end",
        "cooldown-ending-now-plays",
        "cooldown-over-plays",
        "playing-waits-for-its-deadline",
        "playing-without-loop-still-times-out",
        "overdue-without-loop-finishes",
        "overdue-among-several-finishes-it",
        "several-playing-wait-for-earliest",
    ],
)
def test_decide_table(case: LoopView, expected: Action) -> None:
    """Each situation gets the documented action."""
    assert decide(case, NOW) == expected


offsets = st.floats(min_value=-100, max_value=100, allow_nan=False)
playing_strategy = st.lists(st.builds(Playing, message_id=st.integers(1, 50), ends_by=offsets.map(at)), max_size=3).map(
    tuple
)


@given(
    running=st.booleans(),
    ready=st.integers(0, 3),
    playing=playing_strategy,
    resume=st.none() | offsets.map(at),
)
def test_decide_invariants(running: bool, ready: int, playing: tuple[Playing, ...], resume: datetime | None) -> None:
    """Never plays over a message, without the loop, with nothing ready or in the cooldown; never waits for the past."""
    case = view(running=running, ready=ready, playing=playing, resume_at=resume)
    action = decide(case, NOW)
    if isinstance(action, PlayNext):
        assert running
        assert ready > 0
        assert not playing
        assert resume is None or resume <= NOW
    elif isinstance(action, FinishOverdue):
        assert any(p.message_id == action.message_id and p.ends_by <= NOW for p in playing)
    else:
        assert action.until is None or action.until > NOW
