"""Phoneme strings as Kokoro takes them: at most 510 symbols a call, and only when something is said."""

from __future__ import annotations

MAX_PHONEMES = 510
"""Kokoro-82M's context is 512 tokens, two of them the start and end markers."""

# Kokoro's punctuation symbols: a chunk of only these is a pause, not speech (the model breathes noise into it).
_SILENT = frozenset(';:,.!?—…"()“” \t\n\r-')
# Where a long string is best cut, best first (as kokoro's own English chunking does).
_CUT_AFTER = ("!.?…", ":;", ",—")


def is_spoken(phonemes: str) -> bool:
    """Whether ``phonemes`` holds a sound, not just punctuation and spaces."""
    return any(symbol not in _SILENT for symbol in phonemes)


def split_phonemes(phonemes: str, limit: int = MAX_PHONEMES) -> list[str]:
    """Cut ``phonemes`` into chunks of at most ``limit`` symbols, after a sentence end when possible,
    else after a clause mark, else at a space; only whitespace is lost at the cuts."""
    chunks: list[str] = []
    rest = phonemes.strip()
    while len(rest) > limit:
        cut = _cut_point(rest, limit)
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    chunks.append(rest)
    return [chunk for chunk in chunks if chunk]


def _cut_point(text: str, limit: int) -> int:
    """Where to end the first chunk of ``text`` so that it holds at most ``limit`` symbols."""
    for marks in _CUT_AFTER:
        at = max(text.rfind(mark, 0, limit) for mark in marks)
        if at > 0:
            return at + 1
    at = text.rfind(" ", 0, limit + 1)  # the space itself is dropped, so it may sit just past the limit
    return at if at > 0 else limit
