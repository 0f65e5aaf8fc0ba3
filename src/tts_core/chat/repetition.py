"""Repetition: "nooooo", "hahahahaha" and "spam spam spam spam" cut to a readable length."""

from __future__ import annotations

import re

MAX_REPEATS = 3
"""How many times a letter, a syllable or a word may follow itself: "nooo", "hahaha", "go go go"."""

# Digits are never collapsed: 1000000 is a number, not a repetition.
_LETTER = re.compile(rf"(\D)\1{{{MAX_REPEATS},}}", flags=re.IGNORECASE)
_SYLLABLE = re.compile(rf"([^\W\d_]{{2,4}}?)\1{{{MAX_REPEATS},}}", flags=re.IGNORECASE)
_WORD = re.compile(rf"(?<!\S)(\S+)(?: \1(?!\S)){{{MAX_REPEATS},}}", flags=re.IGNORECASE)


def collapse_repeats(text: str) -> str:
    """``text`` with every run of the same letter, syllable or word cut to :data:`MAX_REPEATS`.

    The first repeats are kept as written (case included): "NOoooo" → "NOoo", "HAhahaha" → "HAhaha".
    """
    while True:
        collapsed = _WORD.sub(_keep_words, _SYLLABLE.sub(_keep_units, _LETTER.sub(_keep_units, text)))
        if collapsed == text:
            return text
        # Cutting one run can bring two others together ("haaaa haaaa" → "haaa haaa"): go again.
        text = collapsed


def _keep_units(match: re.Match[str]) -> str:
    return match.group()[: len(match.group(1)) * MAX_REPEATS]


def _keep_words(match: re.Match[str]) -> str:
    return " ".join(match.group().split(" ")[:MAX_REPEATS])
