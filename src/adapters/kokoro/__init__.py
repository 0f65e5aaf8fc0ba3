"""Kokoro-82M behind the Synthesizer port.

Importing this package is cheap: ``KokoroConfig``, ``available_voices`` and ``validate_voice_mix`` need
neither torch nor kokoro; ``KokoroSynthesizer`` imports them on first access.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from adapters.kokoro.catalog import available_voices, validate_voice_mix
from adapters.kokoro.config import SAMPLE_RATE, KokoroConfig

if TYPE_CHECKING:
    from adapters.kokoro.synthesizer import KokoroSynthesizer

__all__ = ["SAMPLE_RATE", "KokoroConfig", "KokoroSynthesizer", "available_voices", "validate_voice_mix"]


def __getattr__(name: str) -> Any:
    if name == "KokoroSynthesizer":
        from adapters.kokoro.synthesizer import KokoroSynthesizer  # noqa: PLC0415 - torch only when asked for

        return KokoroSynthesizer
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
