"""Server-wide state that survives a restart: the active queue and the autoplay toggle."""

from __future__ import annotations

import attrs

from tts_core.model import QueueKind


@attrs.frozen(kw_only=True)
class ServerState:
    """What the App switched and toggled."""

    active_queue: QueueKind = QueueKind.MENTIONS
    """The queue Play, Clear and the queue size refer to."""
    autoplay: bool = False
    """Whether Play starts the autoplay loop instead of playing one message."""
