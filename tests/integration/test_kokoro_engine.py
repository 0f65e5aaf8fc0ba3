"""The real Kokoro-82M (offline model directory): mixed voice, plausible speech, queued messages become WAVs."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile
import torch

from adapters.filesystem_audio_store import FilesystemAudioStore
from adapters.kokoro.synthesizer import KokoroSynthesizer
from adapters.memory import InMemoryStorage, ManualClock, RecordingEventSink
from tests.kokoro_support import MIX, loaded_synthesizer, model_dir, weighted_sum
from tts_core.chat import ChatRules, IncomingChat, MessageType
from tts_core.errors import InvalidVoiceMix, SynthesisFailed
from tts_core.model import Message, MessageStatus
from tts_core.services import IngestService, SynthesisService
from tts_core.speech import Speech
from tts_core.voice_mix import parse_voice_mix

pytestmark = [pytest.mark.kokoro, pytest.mark.slow]


@pytest.fixture(scope="module")
def kokoro() -> KokoroSynthesizer:
    return loaded_synthesizer()


@pytest.fixture
def style_vectors(kokoro: KokoroSynthesizer, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, Any]]]:
    """Records (phonemes, style vector) of every call into the model while still speaking."""
    assert kokoro.engine is not None
    model = kokoro.engine.model
    calls: list[tuple[str, Any]] = []
    forward = model.forward

    def recording(phonemes: str, ref_s: torch.Tensor, *args: Any, **kwargs: Any) -> Any:
        calls.append((phonemes, ref_s.clone()))
        return forward(phonemes, ref_s, *args, **kwargs)

    monkeypatch.setattr(model, "forward", recording)
    yield calls


def _pack(voice: str) -> torch.Tensor:
    pack: torch.Tensor = torch.load(model_dir() / "voices" / f"{voice}.pt", weights_only=True)
    return pack


def _samples(speech: Speech) -> np.ndarray:
    return np.frombuffer(speech.pcm, dtype="<i2").astype(np.float64) / 32767


def test_engine_reports_ready_on_cpu_with_misaki(kokoro: KokoroSynthesizer) -> None:
    """After load(), status is ready, on the CPU, with misaki's English G2P, naming the mix."""
    status = kokoro.status()
    assert (status.name, status.ready, status.device, status.g2p) == ("kokoro", True, "cpu", "misaki")
    assert MIX in status.detail


def test_the_style_used_is_the_weighted_sum_to_the_last_element(
    kokoro: KokoroSynthesizer, style_vectors: list[tuple[str, Any]]
) -> None:
    """Every model call gets row len(phonemes)-1 of 0.5·am_adam + 0.3·am_michael + 0.2·af_heart, exactly."""
    expected = weighted_sum([(_pack("am_adam"), 0.5), (_pack("am_michael"), 0.3), (_pack("af_heart"), 0.2)])
    assert kokoro.engine is not None
    assert torch.equal(kokoro.engine.voices.mixed(parse_voice_mix(MIX)), expected)
    kokoro.synthesize("Thanks for the raid!")
    assert style_vectors
    for phonemes, style in style_vectors:
        assert torch.equal(style, expected[len(phonemes) - 1])
    assert not torch.equal(expected, _pack("am_adam"))


def test_a_per_message_voice_is_used_instead(kokoro: KokoroSynthesizer, style_vectors: list[tuple[str, Any]]) -> None:
    """voice=af_heart speaks with af_heart's own pack, not the configured mix."""
    kokoro.synthesize("Hello there.", voice=parse_voice_mix("af_heart"))
    phonemes, style = style_vectors[-1]
    assert torch.equal(style, _pack("af_heart")[len(phonemes) - 1])


def test_speech_is_audible_and_about_as_long_as_the_text(kokoro: KokoroSynthesizer) -> None:
    """Eleven words last roughly 2–6 s at 24 kHz, with clearly non-silent samples."""
    speech = kokoro.synthesize("The weather is nice today. We will walk to the park and have lunch.")
    samples = _samples(speech)
    assert speech.sample_rate == 24_000
    assert 2.0 < speech.duration_seconds < 6.0
    assert np.sqrt(np.mean(samples**2)) > 0.02
    assert np.abs(samples).max() > 0.1


def test_faster_speed_gives_shorter_audio(kokoro: KokoroSynthesizer) -> None:
    """speed=2 reads the same text in clearly less time than speed=1."""
    text = "Welcome to the stream, everyone."
    assert kokoro.synthesize(text, speed=2.0).duration_seconds < 0.75 * kokoro.synthesize(text).duration_seconds


def test_lines_are_read_one_after_another(kokoro: KokoroSynthesizer) -> None:
    """Text split over lines is spoken as a whole: two lines last longer than either."""
    one, two = kokoro.synthesize("First line."), kokoro.synthesize("Second line here.")
    both = kokoro.synthesize("First line.\n\nSecond line here.")
    assert both.duration_seconds > max(one.duration_seconds, two.duration_seconds)


@pytest.mark.parametrize("text", ["🎉🎉🎉", "...!!!", "❤️ 👍🏽"])
def test_text_without_words_yields_no_audio(kokoro: KokoroSynthesizer, text: str) -> None:
    """Emoji- or punctuation-only text is an error with a clear reason, not noise."""
    with pytest.raises(SynthesisFailed, match="yields no audio"):
        kokoro.synthesize(text)


def test_unknown_per_message_voice_is_invalid(kokoro: KokoroSynthesizer) -> None:
    """A chat user's mix naming a voice that does not exist raises InvalidVoiceMix listing the voices."""
    with pytest.raises(InvalidVoiceMix, match=r"'nobody'.*am_michael"):
        kokoro.synthesize("hi", voice=parse_voice_mix("nobody50_af_heart50"))


def test_concurrent_callers_share_the_engine_safely(kokoro: KokoroSynthesizer) -> None:
    """Two threads speaking at once both get complete audio (the adapter serializes the model)."""
    results: list[Speech] = []

    def speak() -> None:
        results.append(kokoro.synthesize("Good game, well played."))

    threads = [threading.Thread(target=speak) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(results) == 2
    assert all(1.0 < r.duration_seconds < 4.0 for r in results)


def test_a_queued_message_becomes_a_wav_in_the_audio_store(kokoro: KokoroSynthesizer, tmp_path: Path) -> None:
    """Ingest → synthesize_next → a 24 kHz mono 16-bit WAV on disk, its size and duration recorded."""
    events = RecordingEventSink()
    storage, clock = InMemoryStorage(events=events), ManualClock()
    store = FilesystemAudioStore(tmp_path / "audio")
    ingest = IngestService(storage=storage, clock=clock, rules=ChatRules(username="streamer"))
    text = "@streamer thanks for the stream, see you tomorrow!"
    queued = ingest.add_message(IncomingChat(sent_by="viewer", text=text, message_type=MessageType.CHAT))
    assert isinstance(queued, Message)
    assert queued.id is not None
    service = SynthesisService(
        storage=storage, synthesizer=kokoro, audio_store=store, clock=clock, mentions_budget_bytes=10**9
    )
    assert service.synthesize_next() is True
    with storage.unit_of_work() as uow:
        message = uow.get(queued.id)
    assert message is not None
    assert message.status is MessageStatus.READY
    assert message.audio is not None
    wav = (tmp_path / "audio" / message.audio.ref).read_bytes()
    samples, rate = soundfile.read(io.BytesIO(wav), dtype="float64")
    info = soundfile.info(io.BytesIO(wav))
    assert (rate, info.channels, info.subtype) == (24_000, 1, "PCM_16")
    assert message.audio.size_bytes == len(wav)
    assert message.audio.duration_seconds == pytest.approx(len(samples) / rate)
    assert 1.5 < message.audio.duration_seconds < 6.0
    assert np.sqrt(np.mean(samples**2)) > 0.02
    assert not list((tmp_path / "audio").glob(".*.part"))
