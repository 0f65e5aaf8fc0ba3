"""The real Kokoro-82M behind the reuse cache: speech composed of reused lines is what a fresh synthesis gives."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
import torch

from adapters.kokoro.synthesizer import KokoroSynthesizer
from adapters.memory import InMemoryAudioStore, InMemoryStorage, ManualClock
from adapters.reusing_synthesizer import ReusingSynthesizer
from adapters.speech_cache import SpeechCache
from tests.kokoro_support import loaded_synthesizer
from tts_core.chat import ChatRules, IncomingChat, MessageType
from tts_core.model import Message, MessageStatus
from tts_core.services import IngestService, SynthesisService
from tts_core.speech import Speech

pytestmark = [pytest.mark.kokoro, pytest.mark.slow]


@pytest.fixture(scope="module")
def kokoro() -> KokoroSynthesizer:
    return loaded_synthesizer()


@pytest.fixture
def model_inputs(kokoro: KokoroSynthesizer, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The phonemes of every call into the model, while it still speaks."""
    assert kokoro.engine is not None
    model = kokoro.engine.model
    calls: list[str] = []
    forward = model.forward

    def recording(phonemes: str, *args: Any, **kwargs: Any) -> Any:
        calls.append(phonemes)
        return forward(phonemes, *args, **kwargs)

    monkeypatch.setattr(model, "forward", recording)
    yield calls


def _samples(speech: Speech) -> np.ndarray:
    return np.frombuffer(speech.pcm, dtype="<i2").astype(np.float64) / 32767


def _likeness(a: np.ndarray, b: np.ndarray) -> float:
    """Correlation of two log-magnitude spectrograms of equal length (1.0: the same sound)."""

    def spectrogram(x: np.ndarray) -> np.ndarray:
        frames = np.lib.stride_tricks.sliding_window_view(x, 768)[::240] * np.hanning(768)
        logs: np.ndarray = np.log(np.abs(np.fft.rfft(frames, axis=1)) + 1e-3)
        centred: np.ndarray = logs - logs.mean()
        return centred

    sa, sb = spectrogram(a), spectrogram(b)
    return float(np.sum(sa * sb) / np.sqrt(np.sum(sa * sa) * np.sum(sb * sb)))


def test_new_lines_are_one_model_call_and_lines_seen_before_are_read_apart(
    kokoro: KokoroSynthesizer, model_inputs: list[str]
) -> None:
    """With the same random seed: the first time, the two lines are read as the spoken text, in one model call,
    sample for sample; the second time, each line on its own (to be kept), exactly as Kokoro reads the lines."""
    reuse = ReusingSynthesizer(kokoro, SpeechCache(8 * 1024 * 1024))
    torch.manual_seed(11)
    first = reuse.synthesize("alice says:\nGG well played")
    assert len(model_inputs) == 1
    torch.manual_seed(11)
    assert first == kokoro.synthesize("alice says: GG well played")
    model_inputs.clear()
    torch.manual_seed(11)
    second = reuse.synthesize("alice says:\nGG well played")
    assert len(model_inputs) == 2
    torch.manual_seed(11)
    assert second == kokoro.synthesize("alice says:\nGG well played")


def test_a_message_of_reused_lines_sounds_like_a_fresh_synthesis(
    kokoro: KokoroSynthesizer, model_inputs: list[str]
) -> None:
    """bob's "GG well played" reuses what carol's kept: the model reads only "bob says:", and the message is as
    long as a fresh synthesis and sounds like it (as alike as two fresh syntheses, unlike other words)."""
    reuse = ReusingSynthesizer(kokoro, SpeechCache(8 * 1024 * 1024))
    reuse.synthesize("alice says:\nGG well played")
    reuse.synthesize("carol says:\nGG well played")  # the body comes back: kept
    model_inputs.clear()
    composed = _samples(reuse.synthesize("bob says:\nGG well played"))
    assert len(model_inputs) == 1
    fresh = _samples(kokoro.synthesize("bob says:\nGG well played"))
    again = _samples(kokoro.synthesize("bob says:\nGG well played"))
    other = _samples(kokoro.synthesize("bob says:\nGL have fun"))
    assert len(composed) == len(fresh) == len(again)
    same_words = _likeness(fresh, again)
    assert _likeness(composed, fresh) >= same_words - 0.01
    shortest = min(len(other), len(fresh))
    assert _likeness(other[:shortest], fresh[:shortest]) < same_words - 0.03


def test_a_raid_through_the_worker_reads_a_repeated_body_once(
    kokoro: KokoroSynthesizer, model_inputs: list[str]
) -> None:
    """Three viewers send "@streamer LETS GO": the model reads the first message in one go, then the body once on
    its own and each later sender's part once; every message gets its own audio file, as long as a fresh reading
    of it (the first as its spoken text, the others line by line)."""
    storage, audio = InMemoryStorage(), InMemoryAudioStore()
    clock = ManualClock()
    ingest = IngestService(storage=storage, clock=clock, rules=ChatRules(username="streamer"))
    reuse = ReusingSynthesizer(kokoro, SpeechCache(8 * 1024 * 1024))
    worker = SynthesisService(
        storage=storage, synthesizer=reuse, audio_store=audio, clock=clock, mentions_budget_bytes=10**9
    )
    queued = []
    for sender in ("alice", "bob", "cy"):
        raider = IncomingChat(sent_by=sender, text="@streamer LETS GO", message_type=MessageType.CHAT)
        added = ingest.add_message(raider)
        assert isinstance(added, Message)
        queued.append(added)
    while worker.synthesize_next():
        pass
    assert len(model_inputs) == 4  # "alice says: LETS GO", "bob says:", "LETS GO", "cy says:"
    with storage.unit_of_work() as uow:
        done = [uow.get(message.id or 0) for message in queued]
    refs = {m.audio.ref for m in done if m is not None and m.audio is not None}
    assert len(refs) == 3
    for number, message in enumerate(done):
        assert message is not None and message.status is MessageStatus.READY and message.audio is not None
        fresh = kokoro.synthesize(message.spoken_text if number == 0 else message.engine_text or "")
        assert message.audio.duration_seconds == pytest.approx(fresh.duration_seconds)
