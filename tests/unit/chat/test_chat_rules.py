"""Chat rules and templates: defaults, normalisation, and one-line errors for bad settings."""

from __future__ import annotations

from typing import Any

import pytest

from tts_core.chat import (
    DEFAULT_BITS_TEMPLATE,
    DEFAULT_BLOCKED_BOTS,
    DEFAULT_CHEER_PREFIXES,
    DEFAULT_EMOTES,
    DEFAULT_MESSAGE_TEMPLATE,
    BannedWordAction,
    ChatRules,
    LinkAction,
    check_template,
)
from tts_core.chat.templates import render_engine_template, render_template
from tts_core.errors import InvalidInput


def test_defaults_need_only_the_username() -> None:
    """Every setting but the username has a default."""
    rules = ChatRules(username="streamer")
    assert rules.min_bits == 1
    assert rules.blocked_users == DEFAULT_BLOCKED_BOTS
    assert {"nightbot", "streamelements", "streamlabs", "moobot", "fossabot"} <= rules.blocked_users
    assert rules.banned_words == ()
    assert rules.banned_word_action is BannedWordAction.DROP
    assert rules.mask_word == "bleep"
    assert rules.link_action is LinkAction.REPLACE
    assert rules.link_word == "link"
    assert rules.max_chars == 300
    assert rules.message_template == DEFAULT_MESSAGE_TEMPLATE == "{user} says: {text}"
    assert rules.bits_template == DEFAULT_BITS_TEMPLATE == "{user} cheered {bits} bits: {text}"
    assert dict(rules.user_voices) == {}
    assert rules.emotes == DEFAULT_EMOTES
    assert rules.cheer_prefixes == DEFAULT_CHEER_PREFIXES


def test_settings_are_normalised() -> None:
    """Names lose case and @, banned words are folded and deduplicated, actions accept any case."""
    rules = ChatRules(
        username=" @Streamer ",
        blocked_users=["@NightBot", " Troll ", ""],
        banned_words=["Bad", "bad", " very   bad ", ""],
        banned_word_action="MASK",
        link_action=" Remove",
        user_voices={"@VIP_Fan": " af_heart "},
        cheer_prefixes=["MyCheer"],
    )
    assert rules.username == "streamer"
    assert rules.blocked_users == {"nightbot", "troll"}
    assert rules.banned_words == ("bad", "very bad")
    assert rules.banned_word_action is BannedWordAction.MASK
    assert rules.link_action is LinkAction.REMOVE
    assert dict(rules.user_voices) == {"vip_fan": "af_heart"}
    assert rules.cheer_prefixes == {"mycheer"}


@pytest.mark.parametrize(
    ("settings", "field"),
    [
        ({"username": ""}, "username"),
        ({"username": "stream er"}, "username"),
        ({"min_bits": -1}, "min_bits"),
        ({"max_chars": 0}, "max_chars"),
        ({"banned_word_action": "shout"}, "banned_word_action"),
        ({"link_action": "keep"}, "link_action"),
        ({"link_word": "@link"}, "link_word"),
        ({"link_word": "https://x"}, "link_word"),
        ({"mask_word": "{bleep}"}, "mask_word"),
        ({"message_template": "{usr}: {text}"}, "message_template"),
        ({"bits_template": "{bits:>5} {text}"}, "bits_template"),
        ({"user_voices": {"vip": "jared50_lex20"}}, "user_voices"),
        ({"user_voices": {"@": "af_heart"}}, "user_voices"),
    ],
)
def test_invalid_settings_name_their_field(settings: dict[str, Any], field: str) -> None:
    """A bad value raises InvalidInput naming the ChatRules field."""
    with pytest.raises(InvalidInput) as raised:
        ChatRules(**{"username": "streamer", **settings})
    assert raised.value.field == field


@pytest.mark.parametrize(
    "template",
    ["", "{text}", "{user} says: {text}", "{user} cheered {bits} bits: {text}", "{{literal}} {text}", "no text"],
)
def test_check_template_accepts_known_placeholders(template: str) -> None:
    """Templates using only {user}, {text} and {bits} (and doubled braces) are fine."""
    check_template(template, "TTS_MESSAGE_TEMPLATE")


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{usr}: {text}", "unknown placeholder {usr}"),
        ("{}", "unknown placeholder {}"),
        ("{0}", "unknown placeholder {0}"),
        ("{user.__class__}", "unknown placeholder {user.__class__}"),
        ("{user!r}", "unknown placeholder {user!r}"),
        ("{text:>10}", "unknown placeholder {text:>10}"),
        ("{user", "cannot read"),
        ("user}", "cannot read"),
    ],
)
def test_check_template_rejects_anything_else(template: str, message: str) -> None:
    """An unknown placeholder or a stray brace raises InvalidInput for the given field, in one line."""
    with pytest.raises(InvalidInput) as raised:
        check_template(template, "TTS_MESSAGE_TEMPLATE")
    assert raised.value.field == "TTS_MESSAGE_TEMPLATE"
    assert message in raised.value.message
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("", "hello"),
        ("   ", "hello"),
        ("{user} says: {text}", "Big Fan says: hello"),
        ("{user} cheered {bits} bits: {text}", "Big Fan cheered 100 bits: hello"),
        ("{{{user}}}\n{text}", "{Big Fan} hello"),
    ],
)
def test_render_template(template: str, expected: str) -> None:
    """Placeholders are filled, an empty template is the text alone, whitespace is folded."""
    assert render_template(template, user="Big Fan", text="hello", bits="100") == expected


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("", "hello there"),
        ("{user} says: {text}", "Big Fan says:\nhello there"),
        ("{user} cheered {bits} bits: {text}", "Big Fan cheered 100 bits:\nhello there"),
        ("{text}", "hello there"),
        ("{text} (from {user})", "hello there (from Big Fan)"),
        ("{user}:\n\n {text}!  {text}", "Big Fan:\nhello there! hello there"),
        ("{{text}} {user} -> {text}", "{text} Big Fan ->\nhello there"),
    ],
)
def test_the_engine_reads_the_text_on_a_line_of_its_own(template: str, expected: str) -> None:
    """What comes before the first {text} is one line and the text (with what follows) another, so each can be
    reused; the lines joined with a space are the spoken text."""
    engine = render_engine_template(template, user="Big  Fan", text="hello  there", bits="100")
    assert engine == expected
    assert engine.replace("\n", " ") == render_template(template, user="Big  Fan", text="hello  there", bits="100")
