"""Cleaning: every rule that shapes how a message sounds, before → after."""

from __future__ import annotations

from typing import Any

import pytest

from tts_core.chat import ChatRules, clean_text, spoken_message


def clean(text: str, *, bits: bool = False, **settings: Any) -> str:
    return clean_text(text, rules=ChatRules(username="streamer", **settings), bits=bits)


@pytest.mark.parametrize(
    ("text", "settings", "expected"),
    [
        # Links
        ("look https://clips.twitch.tv/abc?x=1 lol", {}, "look link lol"),
        ("(see www.example.com/page).", {}, "(see link)."),
        ("follow twitch.tv/someone and bit.ly/x", {}, "follow link and link"),
        ("mail me@example.com", {}, "mail link"),
        ("see www.anything.example123 now", {}, "see link now"),
        ("look https://x.com/a lol", {"link_action": "remove"}, "look lol"),
        ("look https://x.com/a lol", {"link_word": "a link"}, "look a link lol"),
        ("e.g. v1.5 is out, lol.jk", {}, "e.g. v1.5 is out, lol.jk"),
        # Emoji and emotes
        ("hi 😀👍🏽🇫🇷 there", {}, "hi there"),
        ("that was Kappa funny LUL", {}, "that was funny"),
        ("kappa is greek", {}, "kappa is greek"),
        ("Kappa, really", {}, "Kappa, really"),
        ("lol :) <3", {}, "lol"),
        ("hi MyEmote", {"emotes": {"MyEmote"}}, "hi"),
        # Cheermotes: only in bits messages
        ("Cheer100 great stream Kappa50", {"bits": True}, "great stream"),
        ("DoodleCheer10 hi", {"bits": True}, "hi"),
        ("Cheer100 hi", {}, "Cheer100 hi"),
        ("Cheer0 cheer hi", {"bits": True}, "Cheer0 cheer hi"),
        # Repetition
        ("nooooooooo", {}, "nooo"),
        ("NOoooooo way", {}, "NOoo way"),
        ("hahahahahahaha", {}, "hahaha"),
        ("HAhahahaha", {}, "HAhaha"),
        ("lololololol", {}, "lololol"),
        ("spam spam spam spam spam", {}, "spam spam spam"),
        ("go go go", {}, "go go go"),
        ("!!!!!!!!", {}, ""),
        ("what?????", {}, "what???"),
        ("1000000 bits", {}, "1000000 bits"),
        ("coffee bookkeeper", {}, "coffee bookkeeper"),
        # Characters
        ("a\x00b\u200bc\u202ed", {}, "abcd"),
        ("line\nbreak\ttab", {}, "line break tab"),
        ("Z̷̢̛a̵l̶g̸o̴ text", {}, "Zalgo text"),
        ("café naïve", {}, "café naïve"),
        ("\uff28\uff45\uff4c\uff4c\uff4f ﬁne", {}, "Hello fine"),
        ("hindi क्षि ok", {}, "hindi क्षि ok"),
        ("it is 20° out", {}, "it is 20° out"),
        # Mentions
        ("@streamer hi", {}, "hi"),
        ("@streamer, hi", {}, "hi"),
        ("(@streamer) hi", {}, "hi"),
        ("hi @Streamer!", {}, "hi!"),
        ("ask @xX_g4mer_42_Xx", {}, "ask gamer 42"),
        ("\uff20streamer hi", {}, "hi"),
        # Underscores and stray punctuation
        ("snake_case ___ words", {}, "snake case words"),
        ("hello , world .", {}, "hello, world."),
        # Banned words, masked
        ("that is bad", {"banned_words": ("bad",), "banned_word_action": "mask"}, "that is bleep"),
        ("BAAAD stuff", {"banned_words": ("bad",), "banned_word_action": "mask"}, "bleep stuff"),
        ("badly done", {"banned_words": ("bad",), "banned_word_action": "mask"}, "badly done"),
        ("very  bad words", {"banned_words": ("bad words",), "banned_word_action": "mask"}, "very bleep"),
        ("so bad", {"banned_words": ("bad",), "banned_word_action": "mask", "mask_word": ""}, "so"),
        ("so bad", {"banned_words": ("bad",)}, "so bad"),
    ],
)
def test_clean_text_before_and_after(text: str, settings: dict[str, Any], expected: str) -> None:
    """Each cleaning rule turns the chat text into what the engine should read."""
    assert clean(text, **settings) == expected


@pytest.mark.parametrize(
    ("text", "max_chars", "expected"),
    [
        ("short", 300, "short"),
        ("one two three four", 13, "one two three"),
        ("one two three four", 12, "one two"),
        ("one two three four", 3, "one"),
        ("supercalifragilistic", 5, "super"),
        ("hi, there friend", 4, "hi,"),
        ("hahahahahaha lots", 6, "hahaha"),
    ],
)
def test_spoken_message_cuts_at_a_word(text: str, max_chars: int, expected: str) -> None:
    """The cleaned text is cut to max_chars at a word boundary (inside the first word if it is too long)."""
    rules = ChatRules(username="streamer", max_chars=max_chars)
    assert spoken_message(text, rules=rules, bits=False) == expected
