"""KokoroEngine: one loaded model, its G2P and its voices; speaks text as float samples."""

from __future__ import annotations

from collections.abc import Generator
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
    """The loaded parts. Not thread-safe: the synthesizer holds its lock around :meth:`speak` and each chunk."""

    model: Any
    """A ``kokoro.KModel`` in eval mode on ``device``."""
    phonemizer: Phonemizer
    voices: VoiceBank
    device: str

    def speak(self, text: str, *, mix: VoiceMix, speed: float) -> npt.NDArray[np.float32]:
        """``text`` read with ``mix`` (Kokoro ids) at ``speed``: the pieces of :meth:`speak_chunks` joined.

        Raises ``SynthesisFailed`` when nothing in ``text`` can be spoken.
        """
        pieces = list(self.speak_chunks(text, mix=mix, speed=speed))
        return pieces[0] if len(pieces) == 1 else np.concatenate(pieces)

    def speak_chunks(self, text: str, *, mix: VoiceMix, speed: float) -> Generator[npt.NDArray[np.float32], None, None]:
        """``text`` read as in ``KPipeline``, one phoneme chunk per ``next()``: each chunk is rendered with the
        pack's style for its length. The G2P advances only inside ``next()``, so a caller that serializes its
        ``next()`` calls never runs the G2P or the model concurrently.

        Raises ``SynthesisFailed`` (at the end, so on the first ``next()``) when nothing in ``text`` can be spoken.
        """
        pack = self.voices.mixed(mix)
        spoken = False
        for phonemes in self.phonemizer(without_emoji(text)):
            if not is_spoken(phonemes):
                continue
            # per chunk, not around the loop: inference mode is thread state and must not leak into the caller
            with torch.inference_mode():
                audio = self.model(phonemes, pack[len(phonemes) - 1], speed)
            spoken = True
            yield audio.detach().cpu().numpy().astype(np.float32, copy=False)
        if not spoken:
            raise SynthesisFailed(NO_AUDIO)
