"""SystemClock: the Clock port on the operating system's clock."""

from __future__ import annotations

from datetime import UTC, datetime

from tts_core.ports import Clock


class SystemClock(Clock):
    """The real time, in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)
