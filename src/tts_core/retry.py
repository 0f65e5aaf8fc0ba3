"""How long a claim holds, how failed attempts back off, and when a message is given up."""

from __future__ import annotations

from datetime import timedelta

import attrs


@attrs.frozen(kw_only=True)
class RetryPolicy:
    """The lease and back-off rules of synthesis claims (pure values; the worker's settings fill them)."""

    lease_seconds: float = 120.0
    """How long a claim holds before another worker may take the message back."""
    max_failures: int = 3
    """Counted failures (engine errors, lost leases, database errors after synthesis) before ``error``."""
    backoff_base_seconds: float = 2.0
    """Wait after the first failure; it doubles with each further one."""
    backoff_max_seconds: float = 60.0

    @property
    def lease(self) -> timedelta:
        """:attr:`lease_seconds` as a duration."""
        return timedelta(seconds=self.lease_seconds)

    def backoff(self, failures: int) -> timedelta:
        """How long a message waits after its ``failures``-th failure (1 → the base, then doubling, capped)."""
        exponent = max(0, failures - 1)
        seconds = min(self.backoff_max_seconds, self.backoff_base_seconds * 2.0 ** min(exponent, 30))
        return timedelta(seconds=seconds)
