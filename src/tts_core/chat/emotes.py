"""Emotes: words that Twitch shows as pictures (``Kappa``, ``KEKW``, ``:)``), removed from the text that is read."""

from __future__ import annotations

from collections.abc import Set

from tts_core.chat.characters import is_emoji


def remove_emotes(text: str, *, emotes: Set[str]) -> str:
    """``text`` without the words that are emote names; a word matches only exactly, as Twitch matches it."""
    return " ".join(word for word in text.split(" ") if word not in emotes)


def has_emotes(text: str, *, emotes: Set[str]) -> bool:
    """Whether ``text`` holds an emoji or a word that is an emote name."""
    return any(is_emoji(char) for char in text) or any(word in emotes for word in text.split())
