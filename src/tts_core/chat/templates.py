"""Templates: how the sender, the bits and the text are put together, e.g. ``{user} says: {text}``."""

from __future__ import annotations

import string

from tts_core.errors import InvalidInput

PLACEHOLDERS = ("user", "text", "bits")
"""The names a template may use, each in braces."""


def check_template(template: str, field: str) -> None:
    """Raise :class:`InvalidInput` for ``field`` unless ``template`` uses only ``{user}``, ``{text}`` and ``{bits}``.

    Literal braces are written doubled (``{{`` and ``}}``); format specs and conversions are not allowed.
    """
    allowed = ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError as error:
        raise InvalidInput(field, f"cannot read {template!r} ({error}); write braces as {{{{ and }}}}") from None
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in PLACEHOLDERS or spec or conversion:
            written = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            raise InvalidInput(field, f"unknown placeholder {written} in {template!r}; use {allowed}")


def render_template(template: str, *, user: str, text: str, bits: str) -> str:
    """Fill a checked ``template``; an empty template is just the text. Whitespace is folded to single spaces."""
    head, body = _filled(template, user=user, text=text, bits=bits)
    return _fold(head + body)


def render_engine_template(template: str, *, user: str, text: str, bits: str) -> str:
    """``template`` filled as the engine reads it: like :func:`render_template`, except that what comes before
    the first ``{text}`` (``alice says:``) is a line of its own and the text (with what follows it) another.

    The engine reads each line on its own, so the sender's part and a body that many viewers send ("GG") are
    pieces of work that a later message can reuse instead of synthesizing them again.
    """
    head, body = _filled(template, user=user, text=text, bits=bits)
    return "\n".join(line for line in (_fold(head), _fold(body)) if line)


def _filled(template: str, *, user: str, text: str, bits: str) -> tuple[str, str]:
    """The checked ``template`` filled: what comes before the first ``{text}``, and the rest from it on."""
    if not template.strip():
        return "", text
    values = {"user": user, "text": text, "bits": bits}
    parts: tuple[list[str], list[str]] = ([], [])
    body = False
    for literal, name, _, _ in string.Formatter().parse(template):
        parts[body].append(literal)
        body = body or name == "text"
        if name is not None:
            parts[body].append(values[name])
    return "".join(parts[0]), "".join(parts[1])


def _fold(text: str) -> str:
    return " ".join(text.split())
