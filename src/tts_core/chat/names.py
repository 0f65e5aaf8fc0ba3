"""Readable usernames: ``xX_g4mer_42_Xx`` is read as "gamer 42"."""

from __future__ import annotations

import re
import unicodedata

from tts_core.chat.characters import is_speakable, normalize_characters
from tts_core.chat.limits import cut_at_word

MAX_NAME_CHARS = 25
"""Longest readable name (Twitch logins are 4 to 25 characters); longer display names are cut at a word."""

_LEAD = re.compile(r"^([xX]{2,})(_+)?")
_TAIL = re.compile(r"(_+)?([xX]{2,})$")
_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t"}
# Digits between two lower-case (or two upper-case) letters are letters in disguise: g4mer, n00b, L33T.
_LEET_LOWER = re.compile(r"(?<=[a-z])[013457]+(?=[a-z])")
_LEET_UPPER = re.compile(r"(?<=[A-Z])[013457]+(?=[A-Z])")
_WORD_EDGES = re.compile(
    r"(?<=[^\W\d_])(?=\d)"  # letter → digit: abc123
    r"|(?<=\d)(?=[^\W\d_])"  # digit → letter: 2pac
    r"|(?<=[a-z])(?=[A-Z])"  # camelCase
    r"|(?<=[A-Z])(?=[A-Z][a-z])"  # HTMLParser → HTML Parser
)


def readable_name(name: str) -> str:
    """How to say ``name``: decorations dropped, leet letters restored, words split, at most 25 characters.

    ``xX_g4mer_42_Xx`` → ``gamer 42``; ``StreamerFan`` → ``Streamer Fan``; ``n00b_slayer`` → ``noob slayer``.
    A leading ``@`` is dropped. Returns an empty string when nothing speakable is left (``___``).
    """
    text = normalize_characters(name).lstrip("@")
    words = _words(_unleet(_strip_decorations(text))) or _words(text)
    words = cut_at_word(words, max_chars=MAX_NAME_CHARS)
    return words if is_speakable(words) else ""


def _strip_decorations(name: str) -> str:
    """Drop ``xX`` / ``Xx`` wrappers: when cut off by an underscore, or when both ends carry a matching one."""
    lead, tail = _LEAD.match(name), _TAIL.search(name)
    if lead is not None and tail is not None:
        if lead.end() > tail.start():
            return name
        if not lead.group(2) and not tail.group(1) and _paired(lead.group(1), tail.group(2)):
            return name[lead.end() : tail.start()]
    start = lead.end() if lead is not None and lead.group(2) else 0
    end = tail.start() if tail is not None and tail.group(1) else len(name)
    return name[start:end]


def _paired(lead: str, tail: str) -> bool:
    mixed = not lead.islower() and not lead.isupper() and not tail.islower() and not tail.isupper()
    return lead == tail or mixed


def _unleet(name: str) -> str:
    name = _LEET_LOWER.sub(lambda match: "".join(_LEET[digit] for digit in match.group()), name)
    return _LEET_UPPER.sub(lambda match: "".join(_LEET[digit] for digit in match.group()).upper(), name)


def _words(name: str) -> str:
    # Punctuation and symbols (_ . - @ …) separate words; an apostrophe belongs to its word.
    spaced = "".join(" " if unicodedata.category(char)[0] in "PS" and char != "'" else char for char in name)
    return " ".join(_WORD_EDGES.sub(" ", spaced).split())
