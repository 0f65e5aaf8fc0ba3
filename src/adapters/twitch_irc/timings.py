"""How patient the chat reader is: keep-alive, dead-connection detection and reconnect back-off."""

from __future__ import annotations

import attrs


@attrs.frozen(kw_only=True)
class ReaderTimings:
    """Seconds; tests pass small values instead of sleeping."""

    connect_timeout: float = 15.0
    """Longest wait for the TCP (and TLS) connection."""
    idle_seconds: float = 60.0
    """After this long without a line from the server, send our own ``PING``."""
    pong_timeout: float = 15.0
    """No line at all this long after our ``PING``: the connection is dead, reconnect. Also bounds each write."""
    backoff_base: float = 1.0
    """Wait before the first reconnect; doubled after each failed attempt."""
    backoff_max: float = 60.0
    """Longest wait between attempts."""

    def backoff(self, failures: int) -> float:
        """The wait before the next attempt after ``failures`` attempts in a row that did not join (0: the first)."""
        return float(min(self.backoff_max, self.backoff_base * 2 ** min(failures, 30)))
