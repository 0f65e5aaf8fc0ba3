"""Synthesizer port: the speech engine."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from tts_core.speech import EngineStatus, Speech
from tts_core.voice_mix import VoiceMix


class Synthesizer(Protocol):
    """Turns text into speech with a voice mix. One instance is shared by the worker and HTTP requests.

    A line break ends a piece of text that is read on its own (as Kokoro reads each line): speaking
    ``"alice says:\\nGG"`` gives the speech of ``"alice says:"`` followed by that of ``"GG"``, for every method
    below. Whitespace around a line and blank lines change nothing; a line with nothing to say adds no audio.
    A wrapper may read lines together as one instead (one model call, as the spoken text reads): the reusing
    engine does so with lines it has not seen before, since only a line that comes back is worth reading apart.
    """

    def synthesize(self, text: str, *, voice: VoiceMix | None = None, speed: float | None = None) -> Speech:
        """Speak ``text`` with ``voice`` (``None``: the configured mix) at ``speed`` (``None``: configured).

        The result is the samples of :meth:`synthesize_chunks` joined; it waits for the engine as long as it takes.
        Raises ``EngineUnavailable`` when the engine is not loaded (the message should wait) and
        ``SynthesisFailed`` when this text cannot be spoken (for example it yields no audio);
        ``InvalidVoiceMix`` when ``voice`` names voices the engine does not have.
        """
        ...

    def synthesize_chunks(
        self, text: str, *, voice: VoiceMix | None = None, speed: float | None = None, wait: float | None = None
    ) -> Iterator[Speech]:
        """Speak ``text`` one chunk (a sentence or a few) at a time, in reading order, lazily.

        Each ``next()`` computes one chunk and nothing is computed ahead, so a caller that stops iterating
        (or closes the iterator) stops the work. The engine is held only while one chunk is computed: other
        callers get their turns between chunks, first come first served. All chunks have the same sample rate,
        and their samples joined are exactly what :meth:`synthesize` gives for the same arguments.

        ``wait`` bounds how long each chunk waits for its turn at the engine (``None``: as long as it takes);
        when it runs out, ``EngineBusy`` is raised. The errors of :meth:`synthesize` come from the first
        ``next()``: ``EngineUnavailable``, ``InvalidVoiceMix``, and ``SynthesisFailed`` when no chunk of the
        text yields audio (so at least one chunk is yielded when none is raised).
        """
        ...

    def status(self) -> EngineStatus:
        """The engine's current state, cheap to call."""
        ...
