"""Clock port: the only source of time for services."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol


class Clock(Protocol):
    """Tells the current time. The domain never reads the system clock itself."""

    def now(self) -> datetime:
        """The current time, timezone-aware, in UTC."""
        ...
