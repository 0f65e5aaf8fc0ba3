"""Cleaning: chat text turned into what the engine reads, cut to the length limit."""

from __future__ import annotations

import re

from tts_core.chat.at_mentions import read_mentions
from tts_core.chat.banned import mask_banned
from tts_core.chat.characters import normalize_characters
from tts_core.chat.cheers import remove_cheermotes
from tts_core.chat.emotes import remove_emotes
from tts_core.chat.limits import cut_at_word
from tts_core.chat.links import replace_links
from tts_core.chat.repetition import collapse_repeats
from tts_core.chat.rules import BannedWordAction, ChatRules, LinkAction

_PASSES = 5
"""Most cleaning passes run on one text (see :func:`clean_text`)."""
_SPACE_BEFORE_PUNCTUATION = re.compile(r" ([,.!?;:]+)(?= |$)")
_EMPTY_BRACKETS = re.compile(r"\( ?\)|\[ ?\]|\{ ?\}|< ?>")
_LEADING_PUNCTUATION = " ,.;:!?"


def clean_text(text: str, *, rules: ChatRules, bits: bool) -> str:
    """``text`` as the engine should read it; ``clean_text`` of the result is the result itself.

    In order: characters (compatibility forms, controls, emoji, zalgo), links, mentions,
    cheermotes (``bits`` only), emotes, stray punctuation, repetitions, and masked banned words
    (when :attr:`ChatRules.banned_word_action` is ``mask``). May return an empty string.
    """
    # One step can expose another's pattern (tidying "D :" makes the emote "D:"), so run to a fixed point.
    # The second pass almost always changes nothing; the bound only guards against a pathological input.
    for _ in range(_PASSES):
        cleaned = _clean_once(text, rules=rules, bits=bits)
        if cleaned == text:
            break
        text = cleaned
    return text


def spoken_message(text: str, *, rules: ChatRules, bits: bool) -> str:
    """The message part of what is read: :func:`clean_text`, cut at a word to :attr:`ChatRules.max_chars`.

    The result is never longer than the limit, and ``spoken_message`` of the result is the result itself.
    """
    message = clean_text(text, rules=rules, bits=bits)
    for _ in range(_PASSES):
        if len(message) <= rules.max_chars:
            return message
        # A cut inside an over-long word can leave a fragment that cleans differently ("foo.comedy" → "foo.co").
        message = clean_text(cut_at_word(message, max_chars=rules.max_chars), rules=rules, bits=bits)
    return message if len(message) <= rules.max_chars else ""


def _clean_once(text: str, *, rules: ChatRules, bits: bool) -> str:
    text = normalize_characters(text)
    text = replace_links(text, word=rules.link_word if rules.link_action is LinkAction.REPLACE else "")
    text = read_mentions(text, rules.username)
    if bits:
        text = remove_cheermotes(text, prefixes=rules.cheer_prefixes)
    text = remove_emotes(" ".join(text.split()), emotes=rules.emotes)
    text = collapse_repeats(_tidy(text))
    if rules.banned_word_action is BannedWordAction.MASK:
        masked = mask_banned(text, words=rules.banned_words, mask=rules.mask_word)
        text = collapse_repeats(_tidy(masked))
    return text


def _tidy(text: str) -> str:
    # Underscores are never read ("snake_case", "___"); empty brackets are what is left of "(@streamer)".
    text = " ".join(_EMPTY_BRACKETS.sub(" ", " ".join(text.replace("_", " ").split())).split())
    text = _SPACE_BEFORE_PUNCTUATION.sub(r"\1", text)
    return text.lstrip(_LEADING_PUNCTUATION)
