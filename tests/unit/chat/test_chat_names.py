"""Readable usernames: how the sender and @names are said."""

from __future__ import annotations

import pytest

from tts_core.chat import readable_name


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ninja", "ninja"),
        ("xX_g4mer_42_Xx", "gamer 42"),
        ("xXxDestroyerxXx", "Destroyer"),
        ("xxSniperxx", "Sniper"),
        ("StreamerFan", "Streamer Fan"),
        ("HTMLParser", "HTML Parser"),
        ("cool_guy_2000", "cool guy 2000"),
        ("n00b_slayer", "noob slayer"),
        ("l33t_h4x0r", "leet haxor"),
        ("G4MER", "GAMER"),
        ("Player1One", "Player 1 One"),
        ("2pac", "2 pac"),
        ("@Streamer", "Streamer"),
        ("maxx", "maxx"),
        ("Xavier", "Xavier"),
        ("xx_maxx", "maxx"),
        ("Mr.Bean-42", "Mr Bean 42"),
        ("日本語の名前", "日本語の名前"),
        ("averyveryveryverylongusername_withmore", "averyveryveryverylonguser"),
        ("the_quick_brown_fox_jumps_over", "the quick brown fox jumps"),
        ("xX__Xx", "x X Xx"),
        ("___", ""),
        ("😀", ""),
    ],
)
def test_readable_name(name: str, expected: str) -> None:
    """Decorations go, leet digits become letters, words are split, the name is cut to 25 characters."""
    assert readable_name(name) == expected
