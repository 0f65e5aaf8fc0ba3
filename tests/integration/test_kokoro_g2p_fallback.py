"""English G2P fallback: without spaCy's en_core_web_sm, Kokoro reads with espeak-ng, says so, and still speaks."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import spacy
import spacy.cli

from adapters.kokoro import KokoroConfig
from adapters.kokoro.g2p import build_phonemizer
from adapters.kokoro.synthesizer import KokoroSynthesizer
from tests.kokoro_support import MIX, TEST_THREADS, model_dir


def _spacy_model_fails(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """spaCy finds en_core_web_sm but cannot load it; downloads are recorded and refused."""
    downloads: list[str] = []

    def broken_load(name: str, *args: object, **kwargs: object) -> None:
        raise OSError(f"[E050] Can't find model '{name}'")

    def no_download(name: str, *args: object, **kwargs: object) -> None:
        downloads.append(name)
        raise SystemExit(1)  # what spacy.cli.download does when pip cannot fetch the model

    monkeypatch.setattr(spacy, "load", broken_load)
    monkeypatch.setattr(spacy.cli, "download", no_download)
    return downloads


@pytest.mark.skipif(
    not spacy.util.is_package("en_core_web_sm"),
    reason="spaCy's en_core_web_sm is not installed (../shared/kokoro_offline/build.sh installs an offline copy)",
)
def test_misaki_is_used_when_spacy_loads() -> None:
    """With en_core_web_sm installed, English uses misaki and reports no fallback."""
    phonemizer = build_phonemizer("a", repo_id="hexgrad/Kokoro-82M", allow_download=False)
    assert (phonemizer.name, phonemizer.note) == ("misaki", "")
    assert "".join(phonemizer("Hello chat")).startswith("həlˈO")


def test_broken_spacy_model_falls_back_to_espeak(monkeypatch: pytest.MonkeyPatch) -> None:
    """spacy.load failing gives the espeak G2P with a note on how to fix it; English is still phonemized."""
    _spacy_model_fails(monkeypatch)
    phonemizer = build_phonemizer("a", repo_id="hexgrad/Kokoro-82M", allow_download=True)
    assert phonemizer.name == "espeak"
    assert "python -m spacy download en_core_web_sm" in phonemizer.note
    chunks = list(phonemizer("Hello chat.\nThanks for the follow!"))
    assert len(chunks) == 2
    assert chunks[0].startswith("həlˈO")


def test_model_dir_mode_never_downloads_spacys_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """Offline (model directory) mode with en_core_web_sm missing uses espeak without trying a download."""
    downloads = _spacy_model_fails(monkeypatch)
    monkeypatch.setattr(spacy.util, "is_package", lambda name: False)
    phonemizer = build_phonemizer("b", repo_id="hexgrad/Kokoro-82M", allow_download=False)
    assert phonemizer.name == "espeak"
    assert "not installed" in phonemizer.note
    assert downloads == []


@pytest.mark.kokoro
@pytest.mark.slow
def test_engine_speaks_with_espeak_and_reports_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fresh engine without spaCy's model loads, reports G2P espeak in its status, and speaks audibly."""
    _spacy_model_fails(monkeypatch)
    directory: Path = model_dir()
    synthesizer = KokoroSynthesizer(
        KokoroConfig(voice=MIX, model_dir=directory, device="cpu", cpu_threads=TEST_THREADS, warmup_text="Hi.")
    )
    synthesizer.load()
    status = synthesizer.status()
    assert (status.ready, status.g2p) == (True, "espeak"), status.detail
    assert "en_core_web_sm" in status.detail
    speech = synthesizer.synthesize("Thanks for the five hundred bits, that is amazing!")
    samples = np.frombuffer(speech.pcm, dtype="<i2") / 32767
    assert 1.5 < speech.duration_seconds < 6.0
    assert np.sqrt(np.mean(samples**2)) > 0.02
