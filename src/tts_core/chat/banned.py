"""Banned words: found as whole words in any case, however long their letters are drawn out."""

from __future__ import annotations

import functools
import re


@functools.cache
def banned_pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
    """A pattern for any of ``words`` as a whole word; ``None`` when there is none.

    Each letter may repeat ("baaad" is "bad") and spaces inside a banned phrase may be any run of spaces.
    """
    alternatives = [_word_pattern(word) for word in sorted(words, key=len, reverse=True) if word.strip()]
    if not alternatives:
        return None
    return re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)})(?!\w)", flags=re.IGNORECASE)


def find_banned(text: str, *, words: tuple[str, ...]) -> str | None:
    """The first banned word in ``text``, as written there, or ``None``."""
    pattern = banned_pattern(words)
    found = pattern.search(text) if pattern is not None else None
    return found.group() if found is not None else None


def mask_banned(text: str, *, words: tuple[str, ...], mask: str) -> str:
    """``text`` with every banned word replaced by ``mask`` (an empty mask removes it)."""
    pattern = banned_pattern(words)
    return pattern.sub(lambda _: mask, text) if pattern is not None else text


def _word_pattern(word: str) -> str:
    return r"\s+".join("".join(f"{re.escape(char)}+" for char in part) for part in word.split())
