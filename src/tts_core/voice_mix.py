"""Voice mixes: ``jared50_lex30_martha20`` read as weighted voice names."""

from __future__ import annotations

import re
from collections.abc import Mapping

import attrs

from tts_core.errors import InvalidVoiceMix

# A part is a name that ends in its percentage: "jared50", "am_adam50". Names may hold underscores,
# so the string is cut after each run of digits that is followed by "_" or the end.
_PART = re.compile(r"([A-Za-z][A-Za-z0-9_]*?)(\d+)(?:_|$)")


@attrs.frozen(kw_only=True)
class VoiceComponent:
    """One voice in a mix."""

    name: str
    """The voice name as written (a friendly name or an engine voice id)."""
    percent: int
    """Its share of the mix, 1–100."""

    @property
    def weight(self) -> float:
        """The share as a fraction: 50 → 0.5."""
        return self.percent / 100


@attrs.frozen(kw_only=True)
class VoiceMix:
    """A weighted mix of voices whose percentages sum to 100."""

    components: tuple[VoiceComponent, ...]

    def __str__(self) -> str:
        return "_".join(f"{c.name}{c.percent}" for c in self.components)

    def mapped(self, voice_map: Mapping[str, str]) -> VoiceMix:
        """The same mix with friendly names replaced through ``voice_map``; unknown names stay as they are."""
        return VoiceMix(
            components=tuple(
                VoiceComponent(name=voice_map.get(c.name, c.name), percent=c.percent) for c in self.components
            )
        )


def parse_voice_mix(text: str) -> VoiceMix:
    """Read ``jared50_lex30_martha20`` (or a single voice id such as ``af_heart``) into a :class:`VoiceMix`.

    A bare name without a percentage is the whole mix (``af_heart`` = ``af_heart100``).
    Raises :class:`InvalidVoiceMix` when the string has unreadable parts, a zero weight, or
    percentages that do not sum to 100; the message names the parts that were read.
    """
    source = text.strip()
    if not source:
        raise InvalidVoiceMix("the voice mix is empty; write it like jared50_lex30_martha20 or af_heart")
    if re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*[A-Za-z_]", source) or re.fullmatch(r"[A-Za-z]", source):
        return VoiceMix(components=(VoiceComponent(name=source, percent=100),))
    parts: list[VoiceComponent] = []
    position = 0
    for match in _PART.finditer(source):
        if match.start() != position:
            break
        parts.append(VoiceComponent(name=match.group(1).rstrip("_") or match.group(1), percent=int(match.group(2))))
        position = match.end()
    read = ", ".join(f"{p.name}={p.percent}%" for p in parts) or "nothing"
    if position != len(source) or not parts:
        raise InvalidVoiceMix(f"cannot read {source!r} after position {position} (read so far: {read})")
    if any(p.percent == 0 for p in parts):
        raise InvalidVoiceMix(f"a voice has a weight of 0 in {source!r} (read: {read})")
    names = [p.name for p in parts]
    if len(set(names)) != len(names):
        raise InvalidVoiceMix(f"a voice appears twice in {source!r} (read: {read})")
    total = sum(p.percent for p in parts)
    if total != 100:
        raise InvalidVoiceMix(f"percentages in {source!r} sum to {total}, not 100 (read: {read})")
    return VoiceMix(components=tuple(parts))
