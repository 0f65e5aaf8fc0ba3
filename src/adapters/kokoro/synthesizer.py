"""KokoroSynthesizer: the Synthesizer port served by Kokoro-82M, loaded once, one inference at a time."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

from adapters import glibc_malloc
from adapters.fair_lock import FairLock
from adapters.kokoro.catalog import available_voices, validate_voice_mix
from adapters.kokoro.config import SAMPLE_RATE, KokoroConfig
from adapters.kokoro.device import DeviceUnavailable
from adapters.kokoro.engine import KokoroEngine
from adapters.kokoro.loading import load_engine
from adapters.kokoro.model_files import ModelMissing, first_line, local_model_files
from adapters.kokoro.pcm import to_pcm16
from adapters.release_pacer import ReleasePacer
from tts_core.errors import EngineBusy, EngineUnavailable, InvalidInput, InvalidVoiceMix
from tts_core.ports import Synthesizer
from tts_core.speech import EngineStatus, Speech
from tts_core.voice_mix import VoiceMix

log = logging.getLogger(__name__)

NAME = "kokoro"
RELEASE_INTERVAL_SECONDS = 1.0
"""Freed memory goes back to the system at most this often while texts keep coming, and this long after the last
one at the latest (see :class:`ReleasePacer`). Each text leaves 100-250 MB free in the heaps: with 5 s the server's
memory swung between 1.47 and 1.93 GB (``bench/memory_flat.py``, 2-core CPU, where a text takes 2-4 s), so the
pause is short; on this CPU that is still a release after nearly every text, and short raid lines share one."""


class KokoroSynthesizer(Synthesizer):
    """Speaks with one ``KModel`` and the configured voice mix (or a mix given per message).

    :meth:`load` (called once, in the worker thread) loads and warms up the engine and never raises;
    until it succeeds :meth:`synthesize` raises ``EngineUnavailable`` and :meth:`status` says why.
    All use of the model is serialized by one fair lock, taken per chunk, so the worker and HTTP handlers share
    it and take turns between chunks in the order they asked.
    """

    def __init__(self, config: KokoroConfig) -> None:
        self.config = config
        self._lock = FairLock()
        self._release = ReleasePacer(glibc_malloc.release_free_memory, interval=RELEASE_INTERVAL_SECONDS)
        self._engine: KokoroEngine | None = None
        self._mix: VoiceMix | None = None
        self._config_error: str | None = None
        self._status = self._not_ready("not loaded yet: the worker loads Kokoro at start-up")

    @property
    def engine(self) -> KokoroEngine | None:
        """The loaded engine (model, G2P, voices), or ``None``; for diagnostics and tests."""
        return self._engine

    @property
    def config_error(self) -> str | None:
        """A settings mistake found by :meth:`load` (an unknown voice in TTS_VOICE): the server should stop."""
        return self._config_error

    def load(self) -> None:
        """Load the model, the G2P and the configured mix, then speak a short warm-up text. Never raises."""
        with self._lock:
            if self._engine is not None:
                return
            self._status = self._not_ready(f"loading Kokoro-82M from {self.config.source}")
            started = time.perf_counter()
            try:
                if self.config.model_dir is not None:  # a missing model is named before any voice in it
                    local_model_files(self.config.model_dir, repo_id=self.config.repo_id)
                mix = validate_voice_mix(self.config)
            except ModelMissing as error:
                self._status = self._not_ready(str(error))
                log.error("Kokoro not loaded: %s", error)
                return
            except InvalidVoiceMix as error:
                self._config_error = f"TTS_VOICE={self.config.voice}: {error.message}"
                self._status = self._not_ready(self._config_error)
                log.error("Kokoro not loaded: %s", self._config_error)
                return
            try:
                engine = load_engine(self.config)
                loaded = time.perf_counter()
                if self.config.warmup_text:
                    engine.speak(self.config.warmup_text, mix=mix, speed=self.config.speed)
            except (ModelMissing, DeviceUnavailable) as error:
                self._status = self._not_ready(str(error))
                log.error("Kokoro not loaded: %s", error)
                return
            except (Exception, SystemExit) as error:  # kokoro, torch or a voice file: report it, keep serving
                self._status = self._not_ready(f"Kokoro failed to load: {type(error).__name__}: {first_line(error)}")
                log.exception("Kokoro failed to load")
                return
            warmed = time.perf_counter()
            self._engine, self._mix = engine, mix
            self._status = self._ready(engine, mix, load_s=loaded - started, warmup_s=warmed - loaded)
            log.info(
                "Kokoro ready in %.1f s (warm-up %.1f s): %s", warmed - started, warmed - loaded, self._status.detail
            )

    def synthesize(self, text: str, *, voice: VoiceMix | None = None, speed: float | None = None) -> Speech:
        pieces = [piece.pcm for piece in self.synthesize_chunks(text, voice=voice, speed=speed)]
        return Speech(pcm=b"".join(pieces), sample_rate=SAMPLE_RATE)

    def synthesize_chunks(
        self, text: str, *, voice: VoiceMix | None = None, speed: float | None = None, wait: float | None = None
    ) -> Iterator[Speech]:
        engine, default_mix = self._engine, self._mix
        if engine is None or default_mix is None:
            raise EngineUnavailable(self._status.detail)
        mix = voice.mapped(self.config.voice_map) if voice is not None else default_mix
        rate = self.config.speed if speed is None else speed
        if not rate > 0:
            raise InvalidInput("speed", f"must be above 0, not {rate}")
        chunks = engine.speak_chunks(text, mix=mix, speed=rate)
        self._release.started()
        try:
            while True:
                # one turn per chunk (G2P step and model call): a waiting worker goes before our next chunk
                if not self._lock.acquire(timeout=wait):
                    raise EngineBusy(f"the engine stayed busy for {wait:g} s")
                try:
                    audio = next(chunks, None)
                finally:
                    self._lock.release()
                if audio is None:
                    return
                yield Speech(pcm=to_pcm16(audio), sample_rate=SAMPLE_RATE)
        finally:
            chunks.close()
            # the text's activations are freed now: their pages go back to the system (soon), or the heaps keep
            # them for good (flat RSS over a stream)
            self._release.finished()

    def status(self) -> EngineStatus:
        return self._status

    def voices(self) -> list[str]:
        """The Kokoro voice ids that can be used in a mix."""
        return available_voices(self.config)

    def _not_ready(self, detail: str) -> EngineStatus:
        return EngineStatus(name=NAME, ready=False, detail=detail)

    def _ready(self, engine: KokoroEngine, mix: VoiceMix, *, load_s: float, warmup_s: float) -> EngineStatus:
        g2p = engine.phonemizer
        detail = (
            f"Kokoro-82M from {self.config.source} on {engine.device}, voice {mix}, G2P {g2p.name}; "
            f"loaded in {load_s:.1f} s, warm-up {warmup_s:.1f} s"
        )
        if g2p.note:
            detail += f". {g2p.note}"
        return EngineStatus(name=NAME, ready=True, detail=detail, device=engine.device, g2p=g2p.name)

    def __repr__(self) -> str:
        return f"KokoroSynthesizer(source={self.config.source!r}, voice={self.config.voice!r})"
