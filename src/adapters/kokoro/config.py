"""KokoroConfig: everything the Kokoro adapter needs to know, as one frozen value (no torch import)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Literal

import attrs

DEFAULT_REPO_ID = "hexgrad/Kokoro-82M"
SAMPLE_RATE = 24_000
"""Kokoro-82M speaks at 24 kHz."""

Device = Literal["auto", "cuda", "cpu"]


def _frozen_map(value: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(value))


@attrs.frozen(kw_only=True)
class KokoroConfig:
    """How to find, load and drive Kokoro-82M."""

    voice: str
    """The default voice mix, e.g. ``jared50_lex30_martha20`` or ``af_heart``."""
    voice_map: Mapping[str, str] = attrs.field(factory=dict, converter=_frozen_map)
    """Friendly name → Kokoro voice id; names not in the map are used as Kokoro ids."""
    lang_code: str = "a"
    """Kokoro's language code: ``a`` American English, ``b`` British English, ``e``, ``f``, ... ."""
    speed: float = 1.0
    """Default speaking rate (1.0 = normal)."""
    device: Device = "auto"
    """``auto`` (CUDA when available, else CPU), ``cuda`` or ``cpu``."""
    model_dir: Path | None = None
    """A local model directory (config.json, a .pth, voices/*.pt), used without network; ``None``: the hub."""
    repo_id: str = DEFAULT_REPO_ID
    """The Hugging Face repository to download from when ``model_dir`` is ``None``."""
    cpu_threads: int | None = None
    """Threads torch may use on the CPU; ``None`` leaves torch's default."""
    warmup_text: str = "Hello chat, thanks for the follow!"
    """Spoken once at the end of loading so the first real message is not slow."""

    @property
    def source(self) -> str:
        """Where the model comes from, for people: the directory or the hub repository."""
        return str(self.model_dir) if self.model_dir is not None else f"the Hugging Face hub ({self.repo_id})"
