"""KokoroSynthesizer takes the engine per chunk, first come first served: a waiting worker goes before the next
chunk of a long text; a bounded wait gives up; a closed chunk iterator computes nothing more (stand-in model)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

from adapters.kokoro import KokoroConfig
from adapters.kokoro import synthesizer as synthesizer_module
from adapters.kokoro.engine import KokoroEngine
from adapters.kokoro.synthesizer import KokoroSynthesizer
from adapters.kokoro.voices import VoiceBank
from tests.kokoro_support import write_fake_model_dir
from tts_core.errors import EngineBusy

WAIT = 5.0
"""Deadline for waits that should end at once; never a timing assertion."""


class _Phonemizer:
    """Phoneme chunks are the ``|``-separated parts of the text."""

    name, note = "fake", ""

    def __call__(self, text: str) -> Any:
        return iter(text.split("|"))


class _Model:
    """Stands in for KModel: records the chunks it renders; a chunk in ``holds`` waits (inside the engine) until
    its event is set, and ``entered`` tells when it got there."""

    def __init__(self, *held: str) -> None:
        self.rendered: list[str] = []
        self.holds = {name: threading.Event() for name in held}
        self.entered = {name: threading.Event() for name in held}

    def __call__(self, phonemes: str, style: torch.Tensor, speed: float) -> torch.Tensor:
        self.rendered.append(phonemes)
        if phonemes in self.holds:
            self.entered[phonemes].set()
            assert self.holds[phonemes].wait(WAIT)
        return torch.full((10,), 0.01 * len(self.rendered))


def _kokoro(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, model: _Model) -> KokoroSynthesizer:
    directory = write_fake_model_dir(tmp_path, {"af_heart": torch.zeros(4, 1, 256)})
    config = KokoroConfig(voice="af_heart", model_dir=directory, device="cpu", warmup_text="")

    def load_engine(config: KokoroConfig) -> KokoroEngine:
        return KokoroEngine(model=model, phonemizer=_Phonemizer(), voices=VoiceBank(config, "cpu"), device="cpu")

    monkeypatch.setattr(synthesizer_module, "load_engine", load_engine)
    kokoro = KokoroSynthesizer(config)
    kokoro.load()
    assert kokoro.status().ready, kokoro.status().detail
    return kokoro


def _in_thread(target: Any) -> threading.Thread:
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread


def test_a_waiting_worker_goes_before_the_next_chunk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """While chunk s1 of a long text renders, the worker asks; it renders w1 before s2 is rendered."""
    model = _Model("s1", "w1")
    kokoro = _kokoro(tmp_path, monkeypatch, model)
    speech = _in_thread(lambda: list(kokoro.synthesize_chunks("s1|s2|s3")))
    assert model.entered["s1"].wait(WAIT)
    worker = _in_thread(lambda: kokoro.synthesize("w1|w2"))
    assert kokoro._lock.wait_for_queued(1, WAIT)  # the worker waits for the engine
    model.holds["s1"].set()
    assert model.entered["w1"].wait(WAIT)
    assert kokoro._lock.wait_for_queued(1, WAIT)  # the long text waits for its next chunk
    model.holds["w1"].set()
    speech.join(WAIT)
    worker.join(WAIT)
    assert model.rendered.index("w1") < model.rendered.index("s2")
    assert sorted(model.rendered) == ["s1", "s2", "s3", "w1", "w2"]


def test_a_chunk_that_cannot_have_the_engine_in_time_is_busy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the engine held by another text's chunk, a chunk with a bounded wait raises EngineBusy."""
    model = _Model("held")
    kokoro = _kokoro(tmp_path, monkeypatch, model)
    other = _in_thread(lambda: kokoro.synthesize("held"))
    assert model.entered["held"].wait(WAIT)
    with pytest.raises(EngineBusy):
        next(kokoro.synthesize_chunks("later", wait=0.01))
    model.holds["held"].set()
    other.join(WAIT)
    assert model.rendered == ["held"]


def test_chunks_are_lazy_and_join_to_the_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing renders before next(); closing stops rendering; synthesize is the chunks' samples joined."""
    model = _Model()
    kokoro = _kokoro(tmp_path, monkeypatch, model)
    chunks = kokoro.synthesize_chunks("a|b|c")
    assert model.rendered == []
    first = next(chunks)
    chunks.close()  # type: ignore[attr-defined]
    assert model.rendered == ["a"]
    assert len(first.pcm) == 20
    model.rendered.clear()
    whole = kokoro.synthesize("a|b|c").pcm
    model.rendered.clear()
    joined = b"".join(chunk.pcm for chunk in kokoro.synthesize_chunks("a|b|c"))
    assert whole == joined
    assert np.frombuffer(whole, "<i2").tolist() == [328] * 10 + [655] * 10 + [983] * 10
