"""Kokoro without its model (or with bad settings): load() never raises, status says what to fix, nothing is lost."""

from __future__ import annotations

from pathlib import Path

import huggingface_hub
import pytest
from huggingface_hub import constants, scan_cache_dir

from adapters.kokoro import KokoroConfig, catalog
from adapters.kokoro.synthesizer import KokoroSynthesizer
from adapters.memory import InMemoryAudioStore, InMemoryStorage, ManualClock, RecordingEventSink
from tts_core.chat import ChatRules, IncomingChat, MessageType
from tts_core.errors import EngineUnavailable
from tts_core.model import Message, MessageStatus
from tts_core.services import IngestService, SynthesisService


def _loaded(config: KokoroConfig) -> KokoroSynthesizer:
    synthesizer = KokoroSynthesizer(config)
    synthesizer.load()
    return synthesizer


def test_before_load_the_engine_is_not_ready() -> None:
    """A new synthesizer is not ready and refuses to speak with EngineUnavailable."""
    synthesizer = KokoroSynthesizer(KokoroConfig(voice="af_heart"))
    assert synthesizer.status().ready is False
    assert "not loaded yet" in synthesizer.status().detail
    with pytest.raises(EngineUnavailable):
        synthesizer.synthesize("hello")


def test_empty_model_dir_names_what_is_missing(tmp_path: Path) -> None:
    """An empty TTS_KOKORO_MODEL_DIR: not ready, the detail lists the missing files and the fixes."""
    synthesizer = _loaded(KokoroConfig(voice="af_heart", model_dir=tmp_path))
    status = synthesizer.status()
    assert (status.name, status.ready) == ("kokoro", False)
    assert "config.json, a weights file (*.pth), voices/*.pt" in status.detail
    assert "set TTS_KOKORO_MODEL_DIR to a directory with config.json, a .pth and voices/" in status.detail
    assert "Hugging Face hub" in status.detail
    with pytest.raises(EngineUnavailable, match=r"missing config\.json"):
        synthesizer.synthesize("hello")
    assert synthesizer.config_error is None


def test_unreachable_hub_without_cache_says_how_to_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Hub mode offline with an empty cache: not ready, naming the repository and the model-directory way out."""
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tmp_path / "hub"))
    monkeypatch.setattr(catalog, "scan_cache_dir", lambda: scan_cache_dir(tmp_path / "hub"))
    synthesizer = _loaded(KokoroConfig(voice="am_adam50_am_michael50"))
    detail = synthesizer.status().detail
    assert synthesizer.status().ready is False
    assert "cannot download hexgrad/Kokoro-82M from the Hugging Face hub" in detail
    assert "set TTS_KOKORO_MODEL_DIR" in detail
    assert huggingface_hub.constants.HF_HUB_OFFLINE is True  # the adapter does not change hub settings


def _fake_model_dir(root: Path) -> Path:
    (root / "voices").mkdir()
    (root / "voices" / "af_heart.pt").write_bytes(b"")
    (root / "config.json").write_text("{}")
    (root / "kokoro.pth").write_bytes(b"")
    return root


def test_unknown_voice_is_a_config_error(tmp_path: Path) -> None:
    """TTS_VOICE naming a voice the model lacks is recorded as a settings error listing the voices."""
    _fake_model_dir(tmp_path)
    synthesizer = _loaded(KokoroConfig(voice="jared50_af_heart50", model_dir=tmp_path))
    assert synthesizer.config_error is not None
    assert synthesizer.config_error.startswith("TTS_VOICE=jared50_af_heart50: unknown Kokoro voice 'jared'")
    assert synthesizer.config_error.endswith("has: af_heart")
    assert synthesizer.status().detail == synthesizer.config_error


def test_cuda_requested_without_cuda_is_not_ready(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """TTS_DEVICE=cuda on a machine without CUDA: not ready, telling how to fix it (no silent CPU fallback)."""
    import torch

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    _fake_model_dir(tmp_path)
    synthesizer = _loaded(KokoroConfig(voice="af_heart", model_dir=tmp_path, device="cuda"))
    assert synthesizer.status().ready is False
    assert "TTS_DEVICE=cuda" in synthesizer.status().detail


def test_messages_stay_pending_while_the_engine_is_missing(tmp_path: Path) -> None:
    """With no model, synthesize_next puts the message back to pending: nothing is lost or failed."""
    synthesizer = _loaded(KokoroConfig(voice="af_heart", model_dir=tmp_path))
    events = RecordingEventSink()
    storage, clock = InMemoryStorage(events=events), ManualClock()
    ingest = IngestService(storage=storage, clock=clock, rules=ChatRules(username="streamer"))
    queued = ingest.add_message(IncomingChat(sent_by="viewer", text="@streamer hi", message_type=MessageType.CHAT))
    assert isinstance(queued, Message)
    assert queued.id is not None
    service = SynthesisService(
        storage=storage,
        synthesizer=synthesizer,
        audio_store=InMemoryAudioStore(),
        clock=clock,
        mentions_budget_bytes=10**9,
    )
    with pytest.raises(EngineUnavailable):
        service.synthesize_next()
    with storage.unit_of_work() as uow:
        message = uow.get(queued.id)
    assert message is not None
    assert message.status is MessageStatus.PENDING
