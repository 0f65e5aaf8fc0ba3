"""The shape of an audio reference every audio store accepts (what ``tts_core.model.audio_ref_for`` makes)."""

from __future__ import annotations

import re

AUDIO_REF = re.compile(r"\d+(-\d+)?\.wav")
"""``<message id>.wav`` or ``<message id>-<attempt>.wav``; anything else is not ours (never a path)."""


def is_audio_ref(ref: str) -> bool:
    """Whether ``ref`` names a file a store may hold; stores treat any other name as not found."""
    return AUDIO_REF.fullmatch(ref) is not None
