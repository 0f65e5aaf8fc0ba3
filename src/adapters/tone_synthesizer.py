"""ToneSynthesizer: a deterministic stand-in engine that needs no model (``TTS_ENGINE=tone``)."""

from __future__ import annotations

import zlib

import numpy as np

from tts_core.errors import SynthesisFailed
from tts_core.ports import Synthesizer
from tts_core.speech import EngineStatus, Speech
from tts_core.voice_mix import VoiceMix

SAMPLE_RATE = 24_000
CHARS_PER_SECOND = 15.0
_AMPLITUDE = 0.3 * 32767


class ToneSynthesizer(Synthesizer):
    """Hums each word as a short tone, about as long as speech of the text would be.

    The same text always gives the same samples; a text with no letter or digit gives an error,
    like a real engine that finds nothing to say.
    """

    def __init__(self, *, sample_rate: int = SAMPLE_RATE, chars_per_second: float = CHARS_PER_SECOND) -> None:
        self.sample_rate = sample_rate
        self.chars_per_second = chars_per_second

    def synthesize(self, text: str, *, voice: VoiceMix | None = None, speed: float | None = None) -> Speech:
        words = [w for w in text.split() if any(c.isalnum() for c in w)]
        if not words:
            raise SynthesisFailed("the text has nothing to say (no letters or digits)")
        rate = self.chars_per_second * (speed or 1.0)
        pieces = [self._word(word, rate) for word in words]
        gap = np.zeros(int(self.sample_rate / rate), dtype=np.int16)  # a space costs one character
        joined = np.concatenate([part for piece in pieces for part in (piece, gap)][:-1])
        return Speech(pcm=joined.astype("<i2").tobytes(), sample_rate=self.sample_rate)

    def _word(self, word: str, rate: float) -> np.ndarray:
        samples = max(1, int(len(word) / rate * self.sample_rate))
        pitch = 140 + zlib.crc32(word.lower().encode()) % 160
        t = np.arange(samples) / self.sample_rate
        envelope = np.minimum(1.0, np.minimum(t, t[::-1]) * 50)  # 20 ms fade in and out, no clicks
        tone: np.ndarray = (np.sin(2 * np.pi * pitch * t) * envelope * _AMPLITUDE).astype(np.int16)
        return tone

    def status(self) -> EngineStatus:
        return EngineStatus(name="tone", ready=True, detail="tone stand-in engine (no model needed)", device="cpu")
