"""The autoplay policy: a pure decision of what is due now, given what is playing, ready and cooling down."""

from __future__ import annotations

from datetime import datetime

import attrs


@attrs.frozen(kw_only=True)
class Playing:
    """A message playing now and when it is over at the latest."""

    message_id: int
    ends_by: datetime
    """When it started + its duration + the grace period: past this, nobody is going to report its end."""


@attrs.frozen(kw_only=True)
class LoopView:
    """Everything the decision needs, read at one moment."""

    running: bool
    """Whether the autoplay loop runs (runtime state, not persisted)."""
    ready: int
    """Ready messages in the active queue."""
    playing: tuple[Playing, ...]
    resume_at: datetime | None
    """End of the cooldown after the last message finished; ``None``: no cooldown pending."""


@attrs.frozen(kw_only=True)
class Wait:
    """Nothing to do until ``until`` (``None``: until something happens)."""

    until: datetime | None


@attrs.frozen(kw_only=True)
class FinishOverdue:
    """Nobody reported the end of this message in time: count it as played."""

    message_id: int


@attrs.frozen(kw_only=True)
class PlayNext:
    """Start the next ready message of the active queue."""


Action = Wait | FinishOverdue | PlayNext


def decide(view: LoopView, now: datetime) -> Action:
    """What to do now. Overdue messages are finished whether or not the loop runs; the loop never plays
    over a playing message, waits out the cooldown, and waits for a ready message when the queue runs dry."""
    overdue = [p for p in view.playing if p.ends_by <= now]
    if overdue:
        return FinishOverdue(message_id=overdue[0].message_id)
    if view.playing:
        return Wait(until=min(p.ends_by for p in view.playing))
    if not view.running or view.ready == 0:
        return Wait(until=None)
    if view.resume_at is not None and now < view.resume_at:
        return Wait(until=view.resume_at)
    return PlayNext()
