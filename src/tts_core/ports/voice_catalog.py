"""Voice catalog port: whether the engine has the voices a mix names."""

from __future__ import annotations

from typing import Protocol

from tts_core.voice_mix import VoiceMix


class VoiceCatalog(Protocol):
    """Checks voice mixes against the voices the engine can speak with (friendly names mapped first)."""

    def check(self, mix: VoiceMix) -> None:
        """Return when every voice of ``mix`` exists; raise ``InvalidVoiceMix`` naming the unknown voices."""
        ...
