"""Mentions: whether a message names the streamer, and how ``@names`` are read."""

from __future__ import annotations

import re

from tts_core.chat.names import readable_name

# "@" not glued to a word (so e-mail addresses are not mentions), one or more of them ("@@streamer").
_START = r"(?<![\w@])@+"
_OTHER = re.compile(_START + r"(\w+)")


def mentions(text: str, username: str) -> bool:
    """Whether ``text`` holds ``@username`` as a whole name, in any case.

    Punctuation around it does not matter (``(@Streamer!)``), but ``@streamer_fan`` does not mention ``streamer``.
    """
    if not username:
        return False
    return _own(username).search(text) is not None


def read_mentions(text: str, username: str) -> str:
    """``text`` with every ``@`` gone: the streamer's own mention removed, other ``@names`` made readable.

    ``@streamer hi @xX_g4mer_42_Xx`` → ``hi gamer 42``; ``@streamer's stream`` → ``streamer's stream``;
    an ``@`` that starts no name is read as "at".
    """
    if username:
        text = _own(username, possessive=True).sub(lambda match: _possessive(match, username), text)
    text = _OTHER.sub(lambda match: f" {readable_name(match.group(1))} ", text)
    return text.replace("@", " at ")


def _own(username: str, *, possessive: bool = False) -> re.Pattern[str]:
    suffix = r"(?P<s>'s)?" if possessive else ""
    return re.compile(rf"{_START}{re.escape(username)}(?!\w){suffix}(?!\w)", flags=re.IGNORECASE)


def _possessive(match: re.Match[str], username: str) -> str:
    return f" {readable_name(username)}'s " if match.group("s") else " "
