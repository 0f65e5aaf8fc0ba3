"""Settings → KokoroConfig, and the config's own guarantees."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from adapters.kokoro import KokoroConfig
from entrypoints.engines import kokoro_config
from entrypoints.settings import Settings


@pytest.fixture(autouse=True)
def _no_tts_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [n for n in os.environ if n.startswith("TTS_")]:
        monkeypatch.delenv(name)


def _settings(**values: Any) -> Settings:
    return Settings(username="streamer", _env_file=None, **values)  # type: ignore[call-arg]


def test_every_engine_setting_reaches_the_config() -> None:
    """TTS_VOICE, _VOICE_MAP, _LANG_CODE, _SPEED, _DEVICE, _KOKORO_MODEL_DIR, _KOKORO_REPO_ID, _CPU_THREADS map 1:1."""
    settings = _settings(
        voice="jared60_martha40",
        voice_map={"jared": "am_adam", "martha": "af_heart"},
        lang_code="b",
        speed=1.25,
        device="cpu",
        kokoro_model_dir=Path("/models/kokoro"),
        kokoro_repo_id="someone/Kokoro-fork",
        cpu_threads=3,
    )
    config = kokoro_config(settings)
    assert config == KokoroConfig(
        voice="jared60_martha40",
        voice_map={"jared": "am_adam", "martha": "af_heart"},
        lang_code="b",
        speed=1.25,
        device="cpu",
        model_dir=Path("/models/kokoro"),
        repo_id="someone/Kokoro-fork",
        cpu_threads=3,
    )


def test_defaults_use_the_hub_and_pick_the_device() -> None:
    """Without a model directory the hub's hexgrad/Kokoro-82M is used, device auto, torch's threads."""
    config = kokoro_config(_settings())
    assert (config.model_dir, config.repo_id, config.device, config.cpu_threads) == (
        None,
        "hexgrad/Kokoro-82M",
        "auto",
        None,
    )
    assert config.source == "the Hugging Face hub (hexgrad/Kokoro-82M)"


def test_cli_overrides_voice_and_speed() -> None:
    """``say --voice --speed`` replace TTS_VOICE and TTS_SPEED only."""
    config = kokoro_config(_settings(voice="af_heart"), voice="am_adam50_am_michael50", speed=0.8)
    assert (config.voice, config.speed, config.lang_code) == ("am_adam50_am_michael50", 0.8, "a")


def test_model_dir_with_tilde_is_expanded() -> None:
    """TTS_KOKORO_MODEL_DIR=~/models works like the shell would."""
    config = kokoro_config(_settings(kokoro_model_dir=Path("~/models")))
    assert config.model_dir == Path.home() / "models"


def test_voice_map_cannot_be_changed_through_the_config() -> None:
    """The frozen config holds a read-only copy of the map."""
    source = {"jared": "am_adam"}
    config = KokoroConfig(voice="jared", voice_map=source)
    source["jared"] = "af_heart"
    assert config.voice_map["jared"] == "am_adam"
    with pytest.raises(TypeError):
        config.voice_map["jared"] = "af_heart"  # type: ignore[index]


def test_building_the_config_does_not_import_torch() -> None:
    """engines, the CLI commands and the config import neither torch nor kokoro (the tone engine stays light)."""
    code = (
        "import sys; import entrypoints.engines, entrypoints.cli_engine, adapters.kokoro; "
        "heavy = [m for m in ('torch', 'kokoro', 'misaki') if m in sys.modules]; print(heavy); sys.exit(bool(heavy))"
    )
    src = Path(__file__).resolve().parents[2] / "src"
    result = subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(src)}, check=False)
    assert result.returncode == 0
