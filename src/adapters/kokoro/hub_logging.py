"""One log line per Hugging Face hub retry, through our handlers only (the hub logs each twice by default)."""

from __future__ import annotations

import logging

_HUB_ROOT = "huggingface_hub"
_HUB_HTTP = "huggingface_hub.utils._http"


class _OneLinePerRetry(logging.Filter):
    """Folds the hub's "… thrown while requesting …" warning into the "Retrying in …" line that follows it."""

    def __init__(self) -> None:
        super().__init__()
        self._cause: str | None = None

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        if "thrown while requesting" in text:
            self._cause = text
            return False
        if text.startswith("Retrying in") and self._cause is not None:
            record.msg, record.args = f"hub unreachable: {self._cause}; {text}", None
            self._cause = None
        return True


_FILTER = _OneLinePerRetry()


def quiet_hub_logging() -> None:
    """Route the hub's log lines through the application's handlers only, one line per retry. Idempotent."""
    root = logging.getLogger(_HUB_ROOT)
    # huggingface_hub adds a bare StreamHandler of its own: with ours, every line was printed twice
    for handler in list(root.handlers):
        if type(handler) is logging.StreamHandler:
            root.removeHandler(handler)
    root.propagate = True
    http = logging.getLogger(_HUB_HTTP)
    if _FILTER not in http.filters:
        http.addFilter(_FILTER)
