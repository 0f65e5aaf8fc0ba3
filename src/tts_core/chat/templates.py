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
    if not template.strip():
        return text
    values = {"user": user, "text": text, "bits": bits}
    parts = string.Formatter().parse(template)
    filled = "".join(literal + (values[name] if name is not None else "") for literal, name, _, _ in parts)
    return " ".join(filled.split())
