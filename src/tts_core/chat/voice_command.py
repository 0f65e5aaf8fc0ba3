"""``!voice robot``: a viewer picks one of the streamer's voice choices for their own messages (pure decision)."""

from __future__ import annotations

import re
from collections.abc import Mapping

import attrs

VOICE_REASONS = ("voice_set", "voice_reset", "voice_unknown")
"""The ``NotQueued.reason`` of a ``!voice`` command: never spoken, only answered."""
RESET = "reset"

_VOICE = re.compile(r"\s*!voice(?:\s+(?P<choice>\S+))?\s*$", re.IGNORECASE)


@attrs.frozen(kw_only=True)
class VoiceChoice:
    """What a ``!voice`` command asks: a mix to set (``voice``), a reset (``voice`` is ``None``), or nothing."""

    reason: str
    """One of :data:`VOICE_REASONS`."""
    voice: str | None
    """The mix to set for ``voice_set``; ``None`` otherwise."""
    detail: str


def voice_command(text: str, choices: Mapping[str, str]) -> VoiceChoice | None:
    """The ``!voice`` command in ``text``, or ``None`` when it is not one or viewers may not choose (no choices).

    ``!voice robot`` picks the choice named ``robot`` (any case); ``!voice reset`` goes back to the default;
    any other name (or none) changes nothing and the detail lists the choices.
    """
    match = _VOICE.match(text)
    if match is None or not choices:
        return None
    wanted = (match.group("choice") or "").casefold()
    by_name = {name.casefold(): (name, mix) for name, mix in choices.items()}
    if wanted == RESET:
        return VoiceChoice(reason="voice_reset", voice=None, detail="back to the default voice")
    if wanted in by_name:
        name, mix = by_name[wanted]
        return VoiceChoice(reason="voice_set", voice=mix, detail=f"voice set to {name}")
    names = ", ".join(sorted(choices))
    return VoiceChoice(reason="voice_unknown", voice=None, detail=f"choose one of: {names}, or reset")
