"""Long pauses inside speech shortened: the silence where an engine joins separately read lines is dead air."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Samples = npt.NDArray[np.float64]


def shorten_pauses(
    samples: Samples, sample_rate: int, *, threshold_dbfs: float, max_seconds: float, fade_seconds: float
) -> Samples:
    """``samples`` with every silence between two sounds longer than ``max_seconds`` cut down to ``max_seconds``.

    Silence is a 10 ms frame whose RMS is below ``threshold_dbfs``. The middle of a long silence is cut out
    (half of ``max_seconds`` stays on each side) and the cut fades out and in over ``fade_seconds``, so no
    click is heard. Silence before the first and after the last sound is left as it is.
    """
    frame = max(1, sample_rate // 100)
    count = len(samples) // frame
    if count == 0:
        return samples
    rms = np.sqrt(np.mean(samples[: count * frame].reshape(count, frame) ** 2, axis=1))
    sounding = rms >= 10 ** (threshold_dbfs / 20)
    keep = int(max_seconds * sample_rate)
    cuts = [
        (start * frame + keep // 2, end * frame - (keep - keep // 2))
        for start, end in _silent_runs(sounding)
        if (end - start) * frame > keep
    ]
    if not cuts:
        return samples
    fade = int(fade_seconds * sample_rate)
    pieces: list[Samples] = []
    position = 0
    for cut_start, cut_end in cuts:
        pieces.append(_faded(samples[position:cut_start], fade, fade_in=position > 0))
        position = cut_end
    pieces.append(_faded(samples[position:], fade, fade_in=True, fade_out=False))
    return np.concatenate(pieces)


def _silent_runs(sounding: npt.NDArray[np.bool_]) -> list[tuple[int, int]]:
    """(first, end) frame indices of each silent run that has sound before and after it."""
    edges = np.flatnonzero(np.diff(sounding.astype(np.int8)))
    # silence starts after a sounding→silent edge and ends at the next silent→sounding edge; they alternate
    starts = edges[sounding[edges]] + 1
    ends = edges[~sounding[edges]] + 1
    if len(starts) == 0:
        return []
    return [(int(start), int(end)) for start, end in zip(starts, ends[ends > starts[0]], strict=False)]


def _faded(piece: Samples, fade: int, *, fade_in: bool, fade_out: bool = True) -> Samples:
    fade = min(fade, len(piece) // 2)
    if fade == 0 or not (fade_in or fade_out):
        return piece
    piece = piece.copy()
    ramp = np.linspace(0.0, 1.0, fade, endpoint=False)
    if fade_in:
        piece[:fade] *= ramp
    if fade_out:
        piece[-fade:] *= ramp[::-1]
    return piece
