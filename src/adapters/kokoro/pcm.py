"""Float audio from Kokoro as the 16-bit little-endian PCM bytes that ``Speech`` carries."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

_FULL_SCALE = 32767


def to_pcm16(audio: npt.NDArray[np.floating]) -> bytes:
    """Samples in [-1, 1] as int16 LE bytes; louder samples are clipped, NaN becomes silence."""
    finite = np.nan_to_num(np.asarray(audio, dtype=np.float32), nan=0.0, posinf=1.0, neginf=-1.0)
    scaled = np.rint(np.clip(finite, -1.0, 1.0) * _FULL_SCALE)
    return scaled.astype("<i2").tobytes()
