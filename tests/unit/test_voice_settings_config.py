"""TTS_VIEWER_VOICES and TTS_LOUDNESS_LUFS: read, checked, and turned into the finisher."""

from __future__ import annotations

import pytest

from adapters.loudness import LoudnessFinisher, UnchangedSpeech
from entrypoints.settings import SettingsError, load_settings
from entrypoints.voices import speech_finisher


def test_loudness_defaults_to_minus_16_and_off_disables_it() -> None:
    """The default levels to −16 LUFS; "off" (any case) writes the engine's samples unchanged."""
    default = load_settings(_env_file=None)
    assert default.loudness_lufs == -16.0
    assert speech_finisher(default) == LoudnessFinisher(target_lufs=-16.0)
    assert isinstance(speech_finisher(load_settings(_env_file=None, loudness_lufs="OFF")), UnchangedSpeech)
    assert speech_finisher(load_settings(_env_file=None, loudness_lufs="-14")) == LoudnessFinisher(target_lufs=-14.0)


@pytest.mark.parametrize(
    ("overrides", "variable"),
    [
        ({"loudness_lufs": "loud"}, "TTS_LOUDNESS_LUFS"),
        ({"loudness_lufs": "-70"}, "TTS_LOUDNESS_LUFS"),
        ({"viewer_voices": {"robot": "am_echo50"}}, "TTS_VIEWER_VOICES"),
        ({"viewer_voices": {"reset": "am_echo"}}, "TTS_VIEWER_VOICES"),
        ({"viewer_voices": {"two words": "am_echo"}}, "TTS_VIEWER_VOICES"),
    ],
)
def test_bad_values_stop_start_up_naming_the_variable(overrides: dict[str, object], variable: str) -> None:
    """A target out of range, a choice named reset, a bad name or an unreadable mix is one line naming the variable."""
    with pytest.raises(SettingsError, match=variable):
        load_settings(_env_file=None, **overrides)


def test_viewer_voices_are_read() -> None:
    """Choice names map to mixes."""
    settings = load_settings(_env_file=None, viewer_voices={"robot": "am_echo", "narrator": "bm_george70_am_adam30"})
    assert settings.viewer_voices == {"robot": "am_echo", "narrator": "bm_george70_am_adam30"}
