"""ReusingSynthesizer: speech made once for a line (a sender's part, a body many viewers send) is reused."""

from __future__ import annotations

import re
from collections.abc import Iterator

import attrs

from adapters.speech_cache import SpeechCache
from tts_core.errors import SynthesisFailed
from tts_core.ports import Synthesizer
from tts_core.speech import EngineStatus, Speech
from tts_core.voice_mix import VoiceMix

_LINES = re.compile(r"\n+")


@attrs.frozen
class LineKey:
    """Everything that decides the speech of one line: the same key, the same work."""

    text: str
    """The line as the engine reads it (with pronunciation markup), stripped."""
    voice: VoiceMix | None
    speed: float | None
    engine: tuple[str, str | None, str | None]
    """The engine's name, device and G2P: a different engine (or a fallback G2P) speaks differently."""


class ReusingSynthesizer(Synthesizer):
    """Wraps an engine; keeps the speech of lines that come back in ``cache`` and reuses it.

    The chat templates put the sender's part and the body on lines of their own ("alice says:" / "GG"). A line
    seen for the first time is not worth a model call of its own: the new lines of a text are read together, as
    one line ("alice says: GG", the same one call the bare engine makes for the spoken text). A line seen before
    (a raid's "GG" from a second viewer, a sender who writes again) is read on its own and kept; from then on it
    costs nothing. Engines read each line of a text on its own and join the results (the Synthesizer contract), so
    a text made of kept lines is the speech a fresh synthesis of it gives. Keys hold the voice mix, the speed and
    the engine.

    One difference from the bare engine: a line the engine cannot speak (``SynthesisFailed``) fails the whole
    text, where the engine would leave the line out; a message whose body cannot be said is not read at all.
    With a cache that keeps nothing, every call goes straight to the engine.
    """

    def __init__(self, inner: Synthesizer, cache: SpeechCache) -> None:
        self.inner = inner
        self.cache = cache

    def synthesize(self, text: str, *, voice: VoiceMix | None = None, speed: float | None = None) -> Speech:
        chunks = list(self.synthesize_chunks(text, voice=voice, speed=speed))
        return Speech(pcm=b"".join(chunk.pcm for chunk in chunks), sample_rate=chunks[0].sample_rate)

    def synthesize_chunks(
        self, text: str, *, voice: VoiceMix | None = None, speed: float | None = None, wait: float | None = None
    ) -> Iterator[Speech]:
        """The chunks of each line in order: a cached line's at once, a new line's as the engine makes them."""
        if not self.cache.enabled:
            return self.inner.synthesize_chunks(text, voice=voice, speed=speed, wait=wait)
        return self._chunks(text, voice=voice, speed=speed, wait=wait)

    def status(self) -> EngineStatus:
        return self.inner.status()

    def _chunks(
        self, text: str, *, voice: VoiceMix | None, speed: float | None, wait: float | None
    ) -> Iterator[Speech]:
        lines = [stripped for line in _LINES.split(text.strip()) if (stripped := line.strip())]
        if not lines:
            raise SynthesisFailed("the text is empty: nothing to say")
        status = self.inner.status()
        engine = (status.name, status.device, status.g2p)
        new: list[str] = []  # lines seen for the first time, read together when the next kept line comes
        for line in lines:
            key = LineKey(text=line, voice=voice, speed=speed, engine=engine)
            cached = self.cache.get(key)
            if cached is None and not self.cache.seen_before(key):
                new.append(line)
                continue
            yield from self._together(new, voice=voice, speed=speed, wait=wait)
            new = []
            if cached is not None:
                yield from cached
            else:
                yield from self._kept(line, key, voice=voice, speed=speed, wait=wait)
        yield from self._together(new, voice=voice, speed=speed, wait=wait)

    def _together(
        self, lines: list[str], *, voice: VoiceMix | None, speed: float | None, wait: float | None
    ) -> Iterator[Speech]:
        """``lines`` read as one line, in one go of the engine; nothing is kept."""
        if lines:
            yield from self.inner.synthesize_chunks(" ".join(lines), voice=voice, speed=speed, wait=wait)

    def _kept(
        self, line: str, key: LineKey, *, voice: VoiceMix | None, speed: float | None, wait: float | None
    ) -> Iterator[Speech]:
        """``line`` read on its own; its speech is kept once it was read to its end."""
        made: list[Speech] = []
        for chunk in self.inner.synthesize_chunks(line, voice=voice, speed=speed, wait=wait):
            made.append(chunk)
            yield chunk
        # only a line that was spoken to its end is kept (a caller may stop iterating half-way)
        self.cache.put(key, tuple(made))

    def __repr__(self) -> str:
        return f"ReusingSynthesizer({self.inner!r}, capacity_bytes={self.cache.capacity_bytes})"
