"""Voice catalog and model files: what exists, what is missing, in one line each."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from adapters.kokoro import KokoroConfig, available_voices, catalog, validate_voice_mix
from adapters.kokoro.model_files import ModelMissing, local_model_files
from tests.kokoro_support import write_fake_model_dir
from tts_core.errors import InvalidVoiceMix
from tts_core.voice_mix import parse_voice_mix

_PACK = torch.zeros(2, 1, 256)


@pytest.fixture
def model_dir(tmp_path: Path) -> Path:
    return write_fake_model_dir(tmp_path / "kokoro", {"am_adam": _PACK, "am_michael": _PACK, "af_heart": _PACK})


@pytest.fixture
def offline_hub(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The hub cannot be reached and nothing is cached; records online lookups."""
    lookups: list[str] = []

    def no_listing(repo_id: str) -> list[str]:
        lookups.append(repo_id)
        raise OSError("Name or service not known")

    monkeypatch.setattr(catalog, "hub_cached_voices", lambda repo_id: [])
    monkeypatch.setattr(catalog, "list_repo_files", no_listing)
    return lookups


def test_model_dir_voices_are_its_pt_files(model_dir: Path) -> None:
    """available_voices lists voices/*.pt by stem, sorted."""
    assert available_voices(KokoroConfig(voice="af_heart", model_dir=model_dir)) == [
        "af_heart",
        "am_adam",
        "am_michael",
    ]


def test_valid_mix_comes_back_mapped(model_dir: Path) -> None:
    """jared50_martha50 with a map validates to the Kokoro ids."""
    config = KokoroConfig(
        voice="jared50_martha50", voice_map={"jared": "am_adam", "martha": "af_heart"}, model_dir=model_dir
    )
    assert str(validate_voice_mix(config)) == "am_adam50_af_heart50"


@pytest.mark.parametrize(
    ("voice", "voice_map", "named"),
    [
        ("lex", {}, "'lex'"),
        ("am_adam50_lex50", {}, "'lex'"),
        ("jared100", {"jared": "am_adamm"}, "'am_adamm' (from 'jared' via TTS_VOICE_MAP)"),
    ],
)
def test_unknown_voice_is_one_line_listing_the_voices(
    model_dir: Path, voice: str, voice_map: dict[str, str], named: str
) -> None:
    """The error names the unknown voice (and its friendly name) and lists what the directory has."""
    with pytest.raises(InvalidVoiceMix) as caught:
        validate_voice_mix(KokoroConfig(voice=voice, voice_map=voice_map, model_dir=model_dir))
    message = str(caught.value)
    assert "\n" not in message
    assert named in message
    assert message.endswith(f"{model_dir} has: af_heart, am_adam, am_michael")


def test_per_message_mix_is_checked_against_the_same_voices(model_dir: Path) -> None:
    """A mix passed in (a chat user's voice) is validated instead of TTS_VOICE."""
    config = KokoroConfig(voice="af_heart", model_dir=model_dir)
    with pytest.raises(InvalidVoiceMix, match="'nobody'"):
        validate_voice_mix(config, parse_voice_mix("nobody50_af_heart50"))


def test_hub_knows_kokoro_voices_without_network(offline_hub: list[str]) -> None:
    """With the hub, Kokoro-82M's published voices validate offline, without a lookup."""
    assert str(validate_voice_mix(KokoroConfig(voice="am_adam50_af_heart50"))) == "am_adam50_af_heart50"
    assert "af_heart" in available_voices(KokoroConfig(voice="af_heart"))
    assert offline_hub == []


def test_hub_lets_an_unlisted_voice_through_when_it_cannot_ask(offline_hub: list[str]) -> None:
    """A voice the known list lacks is looked up online; unreachable hub: loading will tell."""
    assert str(validate_voice_mix(KokoroConfig(voice="af_newvoice"))) == "af_newvoice100"
    assert offline_hub == ["hexgrad/Kokoro-82M"]


def test_hub_rejects_a_voice_the_hub_does_not_have(monkeypatch: pytest.MonkeyPatch) -> None:
    """When the hub answers, a voice missing from its voices/ folder is unknown."""
    monkeypatch.setattr(catalog, "hub_cached_voices", lambda repo_id: [])
    monkeypatch.setattr(catalog, "list_repo_files", lambda repo_id: ["config.json", "voices/af_heart.pt"])
    with pytest.raises(InvalidVoiceMix, match="'af_typo'"):
        validate_voice_mix(KokoroConfig(voice="af_typo"))


@pytest.mark.parametrize(
    ("layout", "missing"),
    [
        ({}, "config.json, a weights file (*.pth), voices/*.pt"),
        ({"config.json": b"{}"}, "a weights file (*.pth), voices/*.pt"),
        ({"config.json": b"{}", "w.pth": b""}, "voices/*.pt"),
        ({"w.pth": b"", "voices/af_heart.pt": b""}, "config.json"),
    ],
)
def test_model_dir_names_what_is_missing_and_how_to_fix(tmp_path: Path, layout: dict[str, bytes], missing: str) -> None:
    """An incomplete directory raises ModelMissing naming the missing parts and the two ways out."""
    for name, content in layout.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(content)
    with pytest.raises(ModelMissing) as caught:
        local_model_files(tmp_path, repo_id="hexgrad/Kokoro-82M")
    assert f"missing {missing};" in str(caught.value)
    assert "set TTS_KOKORO_MODEL_DIR" in str(caught.value)
    assert "hexgrad/Kokoro-82M from the Hugging Face hub" in str(caught.value)


def test_model_dir_that_does_not_exist(tmp_path: Path) -> None:
    """A path that is not a directory says so."""
    with pytest.raises(ModelMissing, match="is not a directory"):
        local_model_files(tmp_path / "nowhere", repo_id="hexgrad/Kokoro-82M")


def test_model_dir_with_several_weights_prefers_the_hub_name(model_dir: Path) -> None:
    """Among several .pth files the hub's file name wins; without it, the choice is refused."""
    (model_dir / "kokoro-v1_0.pth").write_bytes(b"")
    assert local_model_files(model_dir, repo_id="hexgrad/Kokoro-82M").weights.name == "kokoro-v1_0.pth"
    (model_dir / "kokoro-v1_0.pth").unlink()
    (model_dir / "other.pth").write_bytes(b"")
    with pytest.raises(ModelMissing, match="several weights files"):
        local_model_files(model_dir, repo_id="hexgrad/Kokoro-82M")
