"""Synthesized speech as plain bytes, and the engine's health, as the ports exchange them."""

from __future__ import annotations

import attrs

SAMPLE_WIDTH_BYTES = 2
"""Speech is 16-bit signed little-endian PCM, mono."""


@attrs.frozen(kw_only=True)
class Speech:
    """Mono 16-bit PCM audio produced by a synthesizer."""

    pcm: bytes
    """Samples, 16-bit signed little-endian, one channel."""
    sample_rate: int
    """Samples per second (Kokoro: 24,000)."""

    @property
    def duration_seconds(self) -> float:
        """How long the speech lasts."""
        return len(self.pcm) / SAMPLE_WIDTH_BYTES / self.sample_rate

    @property
    def is_silent(self) -> bool:
        """Whether there is no sample, or every sample is zero."""
        return not any(self.pcm)


@attrs.frozen(kw_only=True)
class EngineStatus:
    """What a synthesizer reports about itself."""

    name: str
    """Engine name: ``kokoro`` or ``tone``."""
    ready: bool
    """Whether it can synthesize now."""
    detail: str
    """A sentence for people: what is loaded, or what is missing and how to fix it."""
    device: str | None = None
    g2p: str | None = None
    """The grapheme-to-phoneme backend in use (e.g. ``misaki`` or ``espeak``)."""
