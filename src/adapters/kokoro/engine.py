"""KokoroEngine: one loaded model, its G2P and its voices; speaks text as float samples."""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import torch

from adapters.kokoro.g2p import Phonemizer
from adapters.kokoro.phonemes import is_spoken
from adapters.kokoro.text import without_emoji
from adapters.kokoro.voices import VoiceBank
from tts_core.errors import SynthesisFailed
from tts_core.voice_mix import VoiceMix

NO_AUDIO = "the text yields no audio (nothing readable: only emoji, punctuation or symbols)"


@attrs.define(kw_only=True)
class KokoroEngine:
    """The loaded parts. Not thread-safe: the synthesizer holds its lock around :meth:`speak`."""

    model: Any
    """A ``kokoro.KModel`` in eval mode on ``device``."""
    phonemizer: Phonemizer
    voices: VoiceBank
    device: str

    def speak(self, text: str, *, mix: VoiceMix, speed: float) -> npt.NDArray[np.float32]:
        """``text`` read with ``mix`` (Kokoro ids) at ``speed``, as in ``KPipeline``: each phoneme chunk is
        rendered with the pack's style for its length, and the pieces are joined.

        Raises ``SynthesisFailed`` when nothing in ``text`` can be spoken.
        """
        pack = self.voices.mixed(mix)
        pieces: list[npt.NDArray[np.float32]] = []
        with torch.inference_mode():
            for phonemes in self.phonemizer(without_emoji(text)):
                if not is_spoken(phonemes):
                    continue
                audio = self.model(phonemes, pack[len(phonemes) - 1], speed)
                pieces.append(audio.detach().cpu().numpy().astype(np.float32, copy=False))
        if not pieces:
            raise SynthesisFailed(NO_AUDIO)
        return pieces[0] if len(pieces) == 1 else np.concatenate(pieces)
