"""ToneSynthesizer: a deterministic stand-in engine that needs no model (``TTS_ENGINE=tone``)."""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable, Iterator

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
    like a real engine that finds nothing to say. ``delay`` seconds per message (spread over its chunks)
    make it as slow as a real engine, so tests can catch work in flight (``TTS_TONE_DELAY``).
    """

    def __init__(
        self,
        *,
        sample_rate: int = SAMPLE_RATE,
        chars_per_second: float = CHARS_PER_SECOND,
        delay: float = 0.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.sample_rate = sample_rate
        self.chars_per_second = chars_per_second
        self.delay = delay
        self._sleep = sleep

    def synthesize(self, text: str, *, voice: VoiceMix | None = None, speed: float | None = None) -> Speech:
        pieces = [piece.pcm for piece in self.synthesize_chunks(text, voice=voice, speed=speed)]
        return Speech(pcm=b"".join(pieces), sample_rate=self.sample_rate)

    def synthesize_chunks(
        self, text: str, *, voice: VoiceMix | None = None, speed: float | None = None, wait: float | None = None
    ) -> Iterator[Speech]:
        """One chunk per sentence (words up to one ending in ``.``, ``!`` or ``?``) of each line, lines read on
        their own; the gap after a word belongs to its chunk, a line's last word has none. Nothing is shared
        between calls, so ``wait`` never applies."""
        lines = [words for words in map(_words, text.split("\n")) if words]
        if not lines:
            raise SynthesisFailed("the text has nothing to say (no letters or digits)")
        rate = self.chars_per_second * (speed or 1.0)
        sentences = sum(_sentence_count(words) for words in lines)
        for words in lines:
            for sentence in self._sentences(words, rate):
                if self.delay > 0:
                    self._sleep(self.delay / sentences)
                yield sentence

    def _sentences(self, words: list[str], rate: float) -> Iterator[Speech]:
        gap = np.zeros(int(self.sample_rate / rate), dtype=np.int16)  # a space costs one character
        sentence: list[np.ndarray] = []
        for index, word in enumerate(words):
            last = index == len(words) - 1
            sentence.extend([self._word(word, rate)] if last else [self._word(word, rate), gap])
            if last or _ends_sentence(word):
                yield Speech(pcm=np.concatenate(sentence).astype("<i2").tobytes(), sample_rate=self.sample_rate)
                sentence = []

    def _word(self, word: str, rate: float) -> np.ndarray:
        samples = max(1, int(len(word) / rate * self.sample_rate))
        pitch = 140 + zlib.crc32(word.lower().encode()) % 160
        t = np.arange(samples) / self.sample_rate
        envelope = np.minimum(1.0, np.minimum(t, t[::-1]) * 50)  # 20 ms fade in and out, no clicks
        tone: np.ndarray = (np.sin(2 * np.pi * pitch * t) * envelope * _AMPLITUDE).astype(np.int16)
        return tone

    def status(self) -> EngineStatus:
        return EngineStatus(name="tone", ready=True, detail="tone stand-in engine (no model needed)", device="cpu")


def _words(line: str) -> list[str]:
    return [word for word in line.split() if any(c.isalnum() for c in word)]


def _sentence_count(words: list[str]) -> int:
    return sum(1 for index, word in enumerate(words) if index == len(words) - 1 or _ends_sentence(word))


def _ends_sentence(word: str) -> bool:
    return word.endswith((".", "!", "?"))
