"""``tts-server say`` and ``tts-server voices``: a WAV preview, a voice list, one-line errors."""

from __future__ import annotations

import argparse
import io
import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile

from entrypoints.cli_engine import add_engine_commands
from entrypoints.settings import Settings
from tests.kokoro_support import model_dir


@pytest.fixture(autouse=True)
def _no_tts_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [n for n in os.environ if n.startswith("TTS_") and n != "TTS_TEST_KOKORO_MODEL_DIR"]:
        monkeypatch.delenv(name)


def _run(argv: list[str], **settings: Any) -> int:
    parser = argparse.ArgumentParser(prog="tts-server")
    add_engine_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    code: int = args.handler(args, Settings(username="streamer", _env_file=None, **settings))  # type: ignore[call-arg]
    return code


def _fake_dir(root: Path) -> Path:
    (root / "voices").mkdir(parents=True)
    for name in ("am_adam", "af_heart"):
        (root / "voices" / f"{name}.pt").write_bytes(b"")
    return root


def test_voices_lists_the_model_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """One voice id a line on stdout; a summary with the friendly names on stderr."""
    code = _run(["voices"], kokoro_model_dir=_fake_dir(tmp_path), voice_map={"jared": "am_adam"})
    out, err = capsys.readouterr()
    assert code == 0
    assert out.splitlines() == ["af_heart", "am_adam"]
    assert err.strip() == f"2 voices in {tmp_path}; TTS_VOICE_MAP: jared → am_adam"


def test_voices_without_any_is_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An empty directory exits 1 with one line on stderr."""
    code = _run(["voices"], kokoro_model_dir=tmp_path)
    out, err = capsys.readouterr()
    assert (code, out) == (1, "")
    assert err.count("\n") == 1
    assert "no voices found" in err


def test_say_with_unknown_voice_stops_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--voice naming a missing voice exits 2 with one line listing the voices, before loading any model."""
    code = _run(["say", "hi", "--voice", "jared50_af_heart50"], kokoro_model_dir=_fake_dir(tmp_path))
    _, err = capsys.readouterr()
    assert code == 2
    assert err.count("\n") == 1
    assert "unknown Kokoro voice 'jared'" in err
    assert "Traceback" not in err


def test_say_with_unreadable_mix_stops_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A mix whose percentages do not add up exits 2 with the parser's explanation."""
    code = _run(["say", "hi", "--voice", "am_adam60_af_heart60"], kokoro_model_dir=_fake_dir(tmp_path))
    assert code == 2
    assert "sum to 120" in capsys.readouterr().err


def test_say_rejects_a_speed_out_of_range(capsys: pytest.CaptureFixture[str]) -> None:
    """--speed 9 is refused by the argument parser."""
    with pytest.raises(SystemExit):
        _run(["say", "hi", "--speed", "9"])
    assert "--speed: must be from 0.25 to 4.0" in capsys.readouterr().err


def test_say_without_a_model_explains_what_is_missing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A model directory without weights exits 1 with the status line naming what is missing."""
    code = _run(
        ["say", "hi", "--voice", "af_heart", "--out", str(tmp_path / "x.wav")], kokoro_model_dir=_fake_dir(tmp_path)
    )
    _, err = capsys.readouterr()
    assert code == 1
    assert "missing config.json, a weights file (*.pth)" in err
    assert not (tmp_path / "x.wav").exists()


@pytest.mark.kokoro
@pytest.mark.slow
def test_say_writes_a_wav_of_the_mix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """say "text" --voice MIX --out file.wav writes audible 24 kHz speech and reports it."""
    out = tmp_path / "preview.wav"
    code = _run(
        ["say", "Hello chat, this is my voice.", "--voice", "jared70_martha30", "--out", str(out), "--speed", "1.1"],
        kokoro_model_dir=model_dir(),
        voice_map={"jared": "am_adam", "martha": "af_heart"},
        device="cpu",
        cpu_threads=2,
    )
    report = capsys.readouterr().out
    assert code == 0
    assert report.startswith(f"{out}: ")
    assert "voice am_adam70_af_heart30, G2P misaki, cpu" in report
    samples, rate = soundfile.read(io.BytesIO(out.read_bytes()), dtype="float64")
    assert rate == 24_000
    assert 1.0 < len(samples) / rate < 5.0
    assert np.sqrt(np.mean(samples**2)) > 0.02
