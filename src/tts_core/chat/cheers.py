"""Cheermotes: the ``Cheer100`` tokens that carry bits, removed from the text that is read."""

from __future__ import annotations

import functools
import re


@functools.cache
def cheermote_pattern(prefixes: frozenset[str]) -> re.Pattern[str]:
    """A pattern for a whole word made of a cheermote prefix and an amount: ``Cheer100``, ``kappa5``.

    Any prefix ending in "cheer" counts too (``DoodleCheer100``, ``PartnerCheer50``), as Twitch names them so.
    """
    names = "|".join(sorted((re.escape(prefix) for prefix in prefixes), key=len, reverse=True))
    alternatives = rf"(?:{names}|\w*cheer)" if names else r"\w*cheer"
    return re.compile(rf"(?<!\S){alternatives}[1-9]\d*(?!\S)", flags=re.IGNORECASE)


def remove_cheermotes(text: str, *, prefixes: frozenset[str]) -> str:
    """``text`` without its cheermote words; the amount is read from the bits template instead."""
    return cheermote_pattern(prefixes).sub(" ", text)


def has_cheermotes(text: str, *, prefixes: frozenset[str]) -> bool:
    """Whether ``text`` holds a cheermote word."""
    return cheermote_pattern(prefixes).search(text) is not None
