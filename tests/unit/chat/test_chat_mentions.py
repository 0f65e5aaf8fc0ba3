"""Mentions: the @username rule, and how @names are read."""

from __future__ import annotations

import pytest

from tts_core.chat import mentions
from tts_core.chat.at_mentions import read_mentions


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@streamer hi", True),
        ("hi @streamer", True),
        ("hi @Streamer!", True),
        ("HI @STREAMER", True),
        ("(@streamer)", True),
        ("@streamer, @other", True),
        ("@other @streamer", True),
        ("@streamer's stream", True),
        ("@@streamer hi", True),
        ("streamer hi", False),
        ("@streamer_fan hi", False),
        ("@streamers hi", False),
        ("@streamer2 hi", False),
        ("mail@streamer.tv", False),
        ("@ streamer", False),
        ("@stream", False),
    ],
)
def test_mentions_need_the_whole_name_after_an_at(text: str, expected: bool) -> None:
    """@username counts in any case and punctuation, but not as part of a longer name or an address."""
    assert mentions(text, "streamer") is expected


def test_an_empty_username_is_never_mentioned() -> None:
    """Without a username nothing is a mention."""
    assert not mentions("@ hi", "")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@streamer hi", "hi"),
        ("hi @Streamer how are you", "hi how are you"),
        ("@streamer @streamer hi", "hi"),
        ("I love @streamer's voice", "I love streamer's voice"),
        ("@streamer ask @xX_g4mer_42_Xx", "ask gamer 42"),
        ("thanks @CoolCat_99!", "thanks Cool Cat 99 !"),
        ("meet @ 5", "meet at 5"),
        ("@___ hi", "hi"),
    ],
)
def test_read_mentions_removes_the_streamer_and_reads_other_names(text: str, expected: str) -> None:
    """The streamer's own @mention goes, other @names become readable names, no @ is left."""
    assert " ".join(read_mentions(text, "streamer").split()) == expected
