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


def test_kokoro_reads_each_line_on_its_own(kokoro: KokoroSynthesizer) -> None:
    """With the same random seed, a two-line text through the cache (nothing cached yet) has exactly the samples
    of the bare engine: Kokoro's own line split is the cache's."""
    reuse = ReusingSynthesizer(kokoro, SpeechCache(8 * 1024 * 1024))
    torch.manual_seed(11)
    bare = kokoro.synthesize("alice says:\nGG well played")
    torch.manual_seed(11)
    assert reuse.synthesize("alice says:\nGG well played") == bare


def test_a_message_of_reused_lines_sounds_like_a_fresh_synthesis(
    kokoro: KokoroSynthesizer, model_inputs: list[str]
) -> None:
    """bob's "GG well played" reuses alice's: the model reads only "bob says:", and the message is as long as a
    fresh synthesis and sounds like it (as alike as two fresh syntheses, unlike other words)."""
    reuse = ReusingSynthesizer(kokoro, SpeechCache(8 * 1024 * 1024))
    reuse.synthesize("alice says:\nGG well played")
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
    """Three viewers send "@streamer LETS GO": the model reads the body once and each sender's part once; every
    message gets its own audio file, as long as its own fresh synthesis."""
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
    assert len(model_inputs) == 4  # "alice says:", "LETS GO", "bob says:", "cy says:"
    with storage.unit_of_work() as uow:
        done = [uow.get(message.id or 0) for message in queued]
    refs = {m.audio.ref for m in done if m is not None and m.audio is not None}
    assert len(refs) == 3
    for message in done:
        assert message is not None and message.status is MessageStatus.READY and message.audio is not None
        fresh = kokoro.synthesize(message.engine_text or "")
        assert message.audio.duration_seconds == pytest.approx(fresh.duration_seconds)
