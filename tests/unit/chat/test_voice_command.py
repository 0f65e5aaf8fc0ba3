"""``!voice``: viewers pick one of the streamer's choices, reset, or are told the choices."""

from __future__ import annotations

import pytest

from tts_core.chat import voice_command

CHOICES = {"robot": "am_echo", "Narrator": "bm_george70_am_adam30"}


@pytest.mark.parametrize(
    ("text", "reason", "voice"),
    [
        ("!voice robot", "voice_set", "am_echo"),
        ("  !VOICE narrator ", "voice_set", "bm_george70_am_adam30"),
        ("!voice reset", "voice_reset", None),
        ("!voice pirate", "voice_unknown", None),
        ("!voice", "voice_unknown", None),
    ],
)
def test_voice_commands_are_decided(text: str, reason: str, voice: str | None) -> None:
    """A known choice sets its mix, reset clears, anything else changes nothing."""
    choice = voice_command(text, CHOICES)
    assert choice is not None
    assert (choice.reason, choice.voice) == (reason, voice)


def test_unknown_choice_lists_the_choices() -> None:
    """The answer to an unknown name tells the viewer what exists."""
    choice = voice_command("!voice pirate", CHOICES)
    assert choice is not None
    assert "Narrator, robot, or reset" in choice.detail


@pytest.mark.parametrize("text", ["!voices robot", "!voice robot please", "hi !voice robot", "!lurk"])
def test_other_text_is_not_a_voice_command(text: str) -> None:
    """Other commands, extra words or a !voice inside a sentence are not voice commands."""
    assert voice_command(text, CHOICES) is None


def test_without_choices_voice_is_an_ordinary_command() -> None:
    """When the streamer offers no choices, !voice is left to the ordinary command rule."""
    assert voice_command("!voice robot", {}) is None
