"""Real Kokoro (offline kit): pronunciations change what the model is given, and every voice comes out equally loud.

The loudness test runs the worker's own path (stored per-user voice → ingest → synthesis → finisher → WAV) over
every English voice of the kit (``a*``/``b*``) and three mixes, and measures the WAVs with pyloudnorm (BS.1770-4).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import attrs
import numpy as np
import pytest
import soundfile

from adapters.kokoro.synthesizer import KokoroSynthesizer
from adapters.loudness import LoudnessFinisher, db, integrated_loudness, true_peak
from adapters.memory import InMemoryAudioStore, InMemoryStorage, ManualClock
from adapters.memory_voices import KnownVoiceCatalog
from tests.kokoro_support import loaded_synthesizer, model_dir
from tts_core.chat import ChatRules, IncomingChat, MessageType
from tts_core.model import Message
from tts_core.services import IngestService, SynthesisService
from tts_core.services.voices import VoiceSettingsService

pytestmark = [pytest.mark.kokoro, pytest.mark.slow]

TARGET = -16.0
RATE = 24_000
SENTENCE = "@streamer Hey, that was a great play, good game everyone!"
SHORT = "@streamer hi!"
MIXES = ("af_heart60_am_adam40", "bm_george70_am_adam30", "af_sky50_bf_emma50")
SILENCE_DBFS = -50.0
"""A 10 ms frame quieter than this (RMS) is silence when the dead air at the ends is measured."""


@attrs.define
class Queue:
    """The worker's path on in-memory storage with the real engine and the real finisher."""

    kokoro: KokoroSynthesizer
    storage: InMemoryStorage = attrs.Factory(InMemoryStorage)
    store: InMemoryAudioStore = attrs.Factory(InMemoryAudioStore)
    clock: ManualClock = attrs.Factory(ManualClock)

    @property
    def voices(self) -> VoiceSettingsService:
        return VoiceSettingsService(storage=self.storage, catalog=KnownVoiceCatalog(None))

    def speak(self, text: str, *, by: str = "viewer", template: str = "") -> tuple[Message, Any]:
        """Queue ``text`` from ``by`` (template off by default: the text alone), synthesize it, return it and its
        WAV samples."""
        rules = ChatRules(username="streamer", message_template=template)
        ingest = IngestService(storage=self.storage, clock=self.clock, rules=rules)
        queued = ingest.add_message(IncomingChat(sent_by=by, text=text, message_type=MessageType.CHAT))
        assert isinstance(queued, Message), queued
        service = SynthesisService(
            storage=self.storage,
            synthesizer=self.kokoro,
            audio_store=self.store,
            clock=self.clock,
            mentions_budget_bytes=10**12,
            finisher=LoudnessFinisher(target_lufs=TARGET),
        )
        assert service.synthesize_next()
        with self.storage.unit_of_work() as uow:
            message = uow.get(queued.id or 0)
        assert message is not None and message.audio is not None, message
        samples, rate = soundfile.read(io.BytesIO(self.store.read(message.audio.ref)), dtype="float64")
        assert rate == RATE
        return message, samples


@pytest.fixture(scope="module")
def queue() -> Queue:
    return Queue(loaded_synthesizer())


@pytest.fixture
def model_inputs(queue: Queue, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The phoneme strings the model is called with, in order."""
    assert queue.kokoro.engine is not None
    model = queue.kokoro.engine.model
    calls: list[str] = []
    forward = model.forward

    def recording(phonemes: str, *args: Any, **kwargs: Any) -> Any:
        calls.append(phonemes)
        return forward(phonemes, *args, **kwargs)

    monkeypatch.setattr(model, "forward", recording)
    yield calls


def english_voices() -> list[str]:
    """The kit's American and British voices that a voice mix can name (``af_v0`` cannot: it reads as 0 %)."""
    names = sorted(p.stem for p in (model_dir() / "voices").glob("*.pt") if p.stem[:2] in ("af", "am", "bf", "bm"))
    return [name for name in names if not name[-1].isdigit()]


def dead_air(samples: Any) -> tuple[float, float]:
    """Seconds before the first and after the last 10 ms frame louder than :data:`SILENCE_DBFS`."""
    frame = RATE // 100
    count = len(samples) // frame
    rms = np.sqrt(np.mean(samples[: count * frame].reshape(count, frame) ** 2, axis=1))
    loud = np.flatnonzero(rms > 10 ** (SILENCE_DBFS / 20))
    return loud[0] * frame / RATE, (len(samples) - (loud[-1] + 1) * frame) / RATE


def test_phoneme_entries_reach_the_model_and_respellings_change_the_words(
    queue: Queue, model_inputs: list[str]
) -> None:
    """Before the change the model hears misaki's reading; after it, the given phonemes (a word said as "banana")
    and the respelled words ("gg" → "good game"), while the caption keeps "kokoro"."""
    assert queue.kokoro.engine is not None
    phonemize = queue.kokoro.engine.phonemizer
    before, _ = queue.speak("@streamer kokoro gg")
    heard_before = " ".join(model_inputs)
    queue.voices.set_pronunciation("kokoro", say=None, phonemes="bənˈænə")
    queue.voices.set_pronunciation("GG", say="good game", phonemes=None)
    model_inputs.clear()
    after, samples = queue.speak("@streamer kokoro gg")
    heard_after = " ".join(model_inputs)

    assert "bənˈænə" not in heard_before
    assert "bənˈænə" in heard_after
    good_game = " ".join(phonemize("good game"))
    assert good_game in heard_after
    assert good_game not in heard_before
    assert (before.spoken_text, after.spoken_text) == ("kokoro gg", "kokoro good game")
    assert after.engine_text == "[kokoro](/bənˈænə/) good game"
    assert len(samples) / RATE > 0.5


def test_a_username_entry_changes_how_the_sender_is_named(queue: Queue, model_inputs: list[str]) -> None:
    """An entry for a login makes the template say the respelling instead of the readable name ("gamer 42")."""
    assert queue.kokoro.engine is not None
    queue.voices.set_pronunciation("xX_g4mer_42_Xx", say="gamer", phonemes=None)
    message, _ = queue.speak("@streamer hi", by="xX_g4mer_42_Xx", template="{user} says: {text}")
    assert message.spoken_text == "gamer says: hi"
    heard = " ".join(model_inputs)
    assert " ".join(queue.kokoro.engine.phonemizer("gamer says")) in heard
    assert "42" not in heard and "fˈɔɹti" not in heard


@pytest.mark.parametrize("text", [SENTENCE, SHORT], ids=["sentence", "short"])
def test_every_english_voice_and_mix_is_equally_loud_without_dead_air(queue: Queue, text: str) -> None:
    """Across the kit's English voices and three mixes: every WAV within ±1 LU of −16 LUFS, a spread of at most
    1 LU, true peak at most −1 dBFS, and at most 150 ms of silence before and after the speech."""
    voices = english_voices() + list(MIXES)
    if text == SHORT:  # the short text on a sample of voices: the full sweep is the sentence
        voices = ["af_sky", "am_adam", "bf_emma", "bm_lewis", *MIXES]
    measured: dict[str, tuple[float, float, float, float]] = {}
    for index, voice in enumerate(voices):
        user = f"voice{index}"
        queue.voices.set_user_voice(user, voice)
        message, samples = queue.speak(text, by=user)
        assert message.voice == voice
        lead, tail = dead_air(samples)
        measured[voice] = (integrated_loudness(samples, RATE), db(true_peak(samples)), lead, tail)
    report = "\n".join(
        f"{v:24s} {i:6.2f} LUFS  {p:6.2f} dBTP  {a:.3f} s  {b:.3f} s" for v, (i, p, a, b) in measured.items()
    )
    loudness = [m[0] for m in measured.values()]
    assert max(loudness) - min(loudness) <= 1.0, report
    assert all(abs(value - TARGET) <= 1.0 for value in loudness), report
    assert all(m[1] <= -1.0 for m in measured.values()), report
    assert all(m[2] <= 0.15 and m[3] <= 0.15 for m in measured.values()), report
    print(report)  # the measurement, for the record (pytest -s)
