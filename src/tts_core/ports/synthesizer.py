"""Synthesizer port: the speech engine."""

from __future__ import annotations

from typing import Protocol

from tts_core.speech import EngineStatus, Speech
from tts_core.voice_mix import VoiceMix


class Synthesizer(Protocol):
    """Turns text into speech with a voice mix."""

    def synthesize(self, text: str, *, voice: VoiceMix | None = None, speed: float | None = None) -> Speech:
        """Speak ``text`` with ``voice`` (``None``: the configured mix) at ``speed`` (``None``: configured).

        Raises ``EngineUnavailable`` when the engine is not loaded (the message should wait) and
        ``SynthesisFailed`` when this text cannot be spoken (for example it yields no audio);
        ``InvalidVoiceMix`` when ``voice`` names voices the engine does not have.
        """
        ...

    def status(self) -> EngineStatus:
        """The engine's current state, cheap to call."""
        ...
