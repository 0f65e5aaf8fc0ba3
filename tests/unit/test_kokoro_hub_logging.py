"""Hub retries log one line each, once: our filter folds the hub's two lines and drops its own handler."""

from __future__ import annotations

import logging

import pytest

from adapters.kokoro.hub_logging import quiet_hub_logging


def test_each_hub_retry_is_one_line_through_our_handlers_only(caplog: pytest.LogCaptureFixture) -> None:
    """The "thrown while requesting" and "Retrying in" warnings become one line; the hub's own handler is gone."""
    hub_root = logging.getLogger("huggingface_hub")
    own = logging.StreamHandler()
    hub_root.addHandler(own)  # as huggingface_hub does on import
    try:
        quiet_hub_logging()
        quiet_hub_logging()  # idempotent
        assert own not in hub_root.handlers
        http = logging.getLogger("huggingface_hub.utils._http")
        with caplog.at_level(logging.WARNING, logger="huggingface_hub"):
            http.warning("'%s' thrown while requesting HEAD https://hub/config.json", "Name or service not known")
            http.warning("Retrying in 1s [Retry 1/5].")
            http.warning("Retrying in 2s [Retry 2/5].")
        lines = [r.getMessage() for r in caplog.records]
        assert len(lines) == 2
        assert "Name or service not known" in lines[0]
        assert "Retrying in 1s" in lines[0]
        assert lines[1] == "Retrying in 2s [Retry 2/5]."
    finally:
        hub_root.removeHandler(own)
