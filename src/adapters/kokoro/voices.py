"""Kokoro voice packs: base voices loaded once, mixes built as Σ wᵢ·voiceᵢ and cached per mix string."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

import torch

from adapters.kokoro.catalog import voice_file
from adapters.kokoro.config import KokoroConfig
from adapters.kokoro.model_files import first_line
from tts_core.errors import SynthesisFailed
from tts_core.voice_mix import VoiceMix

STYLE_DIM = 256
"""A pack is one 256-value style vector per phoneme count: shape (510, 1, 256)."""
MIX_CACHE_SIZE = 64
"""Mixed packs kept (about 0.5 MB each); chat users with their own mix push out the least recently used."""


def mix_packs(parts: Sequence[tuple[torch.Tensor, float]]) -> torch.Tensor:
    """Σ wᵢ·packᵢ, computed left to right in the order given (so a test can repeat it bit for bit)."""
    if not parts:
        raise ValueError("a voice mix needs at least one voice")
    (first, first_weight), *rest = parts
    total = first * first_weight
    for pack, weight in rest:
        total = total + pack * weight
    return total


class VoiceBank:
    """Loads base packs on first use and keeps mixed packs on the model's device. Not thread-safe: the
    synthesizer calls it under its lock."""

    def __init__(self, config: KokoroConfig, device: str, capacity: int = MIX_CACHE_SIZE) -> None:
        self.config = config
        self.device = device
        self.capacity = capacity
        self._base: dict[str, torch.Tensor] = {}
        self._mixes: OrderedDict[str, torch.Tensor] = OrderedDict()

    def mixed(self, mix: VoiceMix) -> torch.Tensor:
        """The pack of ``mix`` (already mapped to Kokoro ids). Raises ``InvalidVoiceMix`` for an unknown voice,
        ``SynthesisFailed`` when a voice cannot be loaded."""
        key = str(mix)
        if key in self._mixes:
            self._mixes.move_to_end(key)
            return self._mixes[key]
        parts = [(self.base(c.name), c.weight) for c in mix.components]
        packed = mix_packs(parts).to(self.device)
        self._mixes[key] = packed
        while len(self._mixes) > self.capacity:
            self._mixes.popitem(last=False)
        return packed

    def base(self, voice_id: str) -> torch.Tensor:
        """The pack of one Kokoro voice, on the CPU (mixing there is exact and device-independent)."""
        if voice_id not in self._base:
            path = voice_file(self.config, voice_id)
            try:
                pack = torch.load(path, map_location="cpu", weights_only=True)
            except Exception as error:  # a truncated download or a file that is not a tensor
                raise SynthesisFailed(f"cannot read voice {voice_id} ({path}): {first_line(error)}") from error
            if not isinstance(pack, torch.Tensor) or pack.ndim != 3 or pack.shape[-1] != STYLE_DIM:
                raise SynthesisFailed(f"{path} is not a Kokoro voice pack (expected a (510, 1, 256) tensor)")
            self._base[voice_id] = pack.float()
        return self._base[voice_id]
