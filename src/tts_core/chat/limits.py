"""Length limits: cut a text at a word boundary."""

from __future__ import annotations


def cut_at_word(text: str, *, max_chars: int) -> str:
    """``text`` if it fits in ``max_chars``, else its longest prefix that ends at a word and fits.

    A first word longer than the limit is cut inside the word, since there is no boundary to cut at.
    The result never ends with a space and is never longer than ``max_chars``.
    """
    if len(text) <= max_chars:
        return text
    boundary = text.rfind(" ", 0, max_chars + 1)
    head = text[:boundary] if boundary > 0 else text[:max_chars]
    return head.rstrip()
