"""The OBS players connected now: what each reports about its output, and what that means for the stream."""

from __future__ import annotations

import enum

import attrs


class PlayerState(enum.Enum):
    """What reaches the stream from one player page."""

    OK = "ok"
    """It plays sound at a volume above 0."""
    MUTED = "muted"
    """It plays at volume 0: its ``?volume=0``, or the queue it plays from is set to 0."""
    BLOCKED = "blocked"
    """The browser refuses it sound until someone clicks the page (autoplay policy)."""


@attrs.frozen(kw_only=True)
class PlayerStatus:
    """What a player page reports about its output (the ``player_status`` command)."""

    volume: float
    """The page's own volume, its ``?volume=`` (0.0–1.0)."""
    effective_volume: float
    """What it plays at: its volume × the volume of the queue that plays (now, or next when idle), 0.0–1.0."""
    blocked: bool
    """The browser refused to play sound and nobody has clicked the page since."""
    page: str = "player"
    """Which page reports: ``player`` (the OBS browser source)."""

    @property
    def state(self) -> PlayerState:
        """Blocked before muted: a blocked page plays nothing whatever its volume."""
        if self.blocked:
            return PlayerState.BLOCKED
        if self.effective_volume <= 0.0:
            return PlayerState.MUTED
        return PlayerState.OK


@attrs.frozen(kw_only=True)
class ConnectedPlayer:
    """One connected player page and the status it reported last."""

    id: int
    """The number of its connection (unique while the server runs)."""
    status: PlayerStatus
