"""Character clean-up: compatibility forms, control characters, emoji and zalgo marks."""

from __future__ import annotations

import re
import unicodedata

MAX_MARKS = 2
"""Combining marks kept on one letter of a non-Latin script (Devanagari, Thai, Hebrew… need one or two)."""
_LATIN_END = 0x370
"""Below this code point letters come precomposed, so any combining mark on them is decoration (zalgo)."""
_KEPT_SYMBOLS = frozenset("°")
"""Symbols the engine reads as words, kept although they are in the emoji's category."""
_ASCII_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1b\x7f]")
"""The ASCII control characters that are not whitespace (those become spaces)."""


def is_emoji(char: str) -> bool:
    """Whether ``char`` is a pictograph or symbol the engine cannot read (emoji, flags, skin tones, dingbats)."""
    category = unicodedata.category(char)
    if char in _KEPT_SYMBOLS:
        return False
    return category == "So" or (category == "Sk" and not char.isascii())


def is_speakable(text: str) -> bool:
    """Whether ``text`` holds at least one letter or digit."""
    return any(unicodedata.category(char)[0] in "LN" for char in text)


def normalize_characters(text: str) -> str:
    """Fold compatibility forms (NFKC), turn emoji and whitespace into single spaces, drop controls and zalgo.

    The result has no control or format character, no emoji, no combining mark on a Latin letter,
    at most :data:`MAX_MARKS` marks on any other letter, single spaces, and no space at either end.
    """
    if text.isascii():  # most chat: NFKC changes nothing, no emoji or mark; only controls and spacing to fix
        return " ".join(_ASCII_CONTROLS.sub("", text).split())
    return normalize_any_characters(text)


def normalize_any_characters(text: str) -> str:
    """:func:`normalize_characters` character by character, for text of any script (what non-ASCII text takes)."""
    # Removing a character can let its neighbours compose (a zero-width space between two Hangul jamo),
    # so repeat until nothing changes; the second pass is almost always the last.
    for _ in range(4):
        cleaned = _filter(unicodedata.normalize("NFKC", text))
        if cleaned == text:
            break
        text = cleaned
    return text


def _filter(text: str) -> str:
    kept: list[str] = []
    base = " "
    marks = 0
    for char in text:
        category = unicodedata.category(char)
        if char.isspace() or category[0] == "Z" or is_emoji(char):
            kept.append(" ")
            base, marks = " ", 0
        elif category[0] == "C":
            continue
        elif category in ("Mn", "Me"):
            if ord(base) < _LATIN_END or marks >= MAX_MARKS:
                continue
            kept.append(char)
            marks += 1
        else:
            kept.append(char)
            base, marks = char, 0
    return " ".join("".join(kept).split())
