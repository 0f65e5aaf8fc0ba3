"""LoudnessFinisher: speech trimmed of dead air and levelled to one loudness (ITU-R BS.1770 via pyloudnorm).

Loudness is measured by ``pyloudnorm`` (BS.1770-4 K-weighting and gating); the true peak is measured as
BS.1770-4 Annex 2 describes it: the signal oversampled four times (``scipy.signal.resample_poly``) and its
largest absolute sample. Speech levelled to streaming loudness (−16 LUFS) has peaks above −1 dBFS, so a
look-ahead limiter (gain = a smoothed minimum of what each oversampled peak allows) holds them down; the
gain is then corrected until the loudness is on target.
"""

from __future__ import annotations

import attrs
import numpy as np
import numpy.typing as npt
import pyloudnorm
from scipy.ndimage import minimum_filter1d, uniform_filter1d
from scipy.signal import resample_poly

from adapters.pauses import shorten_pauses
from tts_core.ports import SpeechFinisher, StreamFinisher
from tts_core.speech import Speech

Samples = npt.NDArray[np.float64]

_FULL_SCALE = 32767.0
_BLOCK_SECONDS = 0.4
"""BS.1770's gating block: a shorter clip is measured looped (same mean square), since it has no full block."""
_OVERSAMPLE = 4
_ON_TARGET_LU = 0.1
"""Loudness this close to the target is on target (the levelling loop stops; a second pass is skipped)."""


def db(value: float) -> float:
    """An amplitude ratio in decibels (−inf for 0)."""
    return float(20 * np.log10(value)) if value > 0 else float("-inf")


def from_pcm(speech: Speech) -> Samples:
    """The samples of ``speech`` as floats in [-1, 1]."""
    return np.frombuffer(speech.pcm, dtype="<i2").astype(np.float64) / _FULL_SCALE


def to_speech(samples: Samples, sample_rate: int) -> Speech:
    """Float samples as 16-bit ``Speech`` (clipped to full scale)."""
    pcm = np.rint(np.clip(samples, -1.0, 1.0) * _FULL_SCALE).astype("<i2").tobytes()
    return Speech(pcm=pcm, sample_rate=sample_rate)


def integrated_loudness(samples: Samples, sample_rate: int) -> float:
    """Integrated loudness in LUFS (ITU-R BS.1770-4, pyloudnorm); −inf for silence."""
    block = int(_BLOCK_SECONDS * sample_rate) + 1
    if len(samples) == 0 or not np.any(samples):
        return float("-inf")
    if len(samples) < block:
        samples = np.tile(samples, block // len(samples) + 1)
    return float(pyloudnorm.Meter(sample_rate).integrated_loudness(samples))


def true_peak(samples: Samples) -> float:
    """The true peak as a linear amplitude (BS.1770-4 Annex 2: the largest sample of the 4× oversampled signal)."""
    if len(samples) == 0:
        return 0.0
    return float(np.max(np.abs(_oversampled(samples))))


def _oversampled(samples: Samples) -> Samples:
    upsampled: Samples = resample_poly(samples, _OVERSAMPLE, 1)
    return upsampled


def trim_silence(
    samples: Samples,
    sample_rate: int,
    *,
    threshold_dbfs: float,
    keep_seconds: float,
    fade_seconds: float,
    leading_only: bool = False,
) -> Samples:
    """``samples`` without the silence before and after the speech, keeping ``keep_seconds`` of it at each end.

    Silence is a 10 ms frame whose RMS is below ``threshold_dbfs``. The cut ends fade over ``fade_seconds`` so no
    click is heard. Audio with no frame above the threshold is returned unchanged.
    """
    frame = max(1, sample_rate // 100)
    count = len(samples) // frame
    if count == 0:
        return samples
    rms = np.sqrt(np.mean(samples[: count * frame].reshape(count, frame) ** 2, axis=1))
    sounding = np.flatnonzero(rms >= 10 ** (threshold_dbfs / 20))
    if len(sounding) == 0:
        return samples
    keep = int(keep_seconds * sample_rate)
    start = max(0, int(sounding[0]) * frame - keep)
    end = len(samples) if leading_only else min(len(samples), (int(sounding[-1]) + 1) * frame + keep)
    trimmed = samples[start:end].copy()
    fade = min(int(fade_seconds * sample_rate), len(trimmed) // 2)
    if fade > 0:
        ramp = np.linspace(0.0, 1.0, fade, endpoint=False)
        if start > 0:
            trimmed[:fade] *= ramp
        if end < len(samples):
            trimmed[-fade:] *= ramp[::-1]
    return trimmed


def limit(samples: Samples, sample_rate: int, *, ceiling: float, window_seconds: float = 0.005) -> Samples:
    """``samples`` with a smooth gain that keeps every oversampled peak at or below ``ceiling`` (linear).

    The gain at each sample is the smallest any peak within ``window_seconds`` allows, averaged over half that
    window: the average of minima over windows that all contain the sample never exceeds what it allows.
    """
    peaks = np.abs(_oversampled(samples))[: len(samples) * _OVERSAMPLE].reshape(-1, _OVERSAMPLE).max(axis=1)
    allowed = np.minimum(1.0, ceiling / np.maximum(peaks, 1e-12))
    if np.all(allowed >= 1.0):
        return samples
    width = max(3, int(window_seconds * sample_rate) | 1)
    gain = uniform_filter1d(minimum_filter1d(allowed, size=width, mode="nearest"), size=width // 2 | 1, mode="nearest")
    limited: Samples = samples * gain
    return limited


@attrs.frozen(kw_only=True)
class LoudnessFinisher(SpeechFinisher):
    """Trims leading and trailing silence, shortens long pauses and levels speech to ``target_lufs`` with the true
    peak ≤ ``peak_dbfs``."""

    target_lufs: float = -16.0
    peak_dbfs: float = -1.0
    keep_silence_seconds: float = 0.1
    """Silence kept before and after the speech (at most 150 ms is the promise)."""
    fade_seconds: float = 0.005
    max_pause_seconds: float = 0.4
    """Longest silence kept between two sounds: Kokoro pauses up to ≈ 0.38 s between sentences, but ≈ 0.85 s
    where it joins two lines read on their own ("alice says:" / "GG"), which is cut down to this."""
    silence_below_target_db: float = 34.0
    """Levelled audio quieter than the target minus this (10 ms RMS; −50 dBFS at −16 LUFS) is silence."""

    @property
    def ceiling(self) -> float:
        """The limiter's ceiling, linear: a little below the promised peak, so 16-bit rounding stays under it."""
        return float(10 ** ((self.peak_dbfs - 0.2) / 20))

    def stream(self) -> StreamFinisher:
        return _FirstChunkGain(self)

    def finish(self, speech: Speech) -> Speech:
        # levelled first, so silence is judged at the level the listener hears; levelled again once trimmed, so the
        # file as written is on target (a short clip measures differently with and without its silence)
        rate = speech.sample_rate
        levelled = self.level(from_pcm(speech), rate)
        tightened = shorten_pauses(
            self.trim(levelled, rate),
            rate,
            threshold_dbfs=self.silence_dbfs,
            max_seconds=self.max_pause_seconds,
            fade_seconds=self.fade_seconds,
        )
        if abs(self.target_lufs - integrated_loudness(tightened, rate)) < _ON_TARGET_LU:
            # cutting silence left it on target (the usual case): its peaks were limited already and fades and cuts
            # at silence only lower them, so the limiter's passes are not needed again
            return to_speech(tightened, rate)
        return to_speech(self.level(tightened, rate), rate)

    @property
    def silence_dbfs(self) -> float:
        """The level (10 ms RMS, dBFS) below which levelled audio counts as silence."""
        return self.target_lufs - self.silence_below_target_db

    def trim(self, samples: Samples, sample_rate: int, *, leading_only: bool = False) -> Samples:
        """Levelled ``samples`` with at most :attr:`keep_silence_seconds` of silence at each end (or the start)."""
        return trim_silence(
            samples,
            sample_rate,
            threshold_dbfs=self.silence_dbfs,
            keep_seconds=self.keep_silence_seconds,
            fade_seconds=self.fade_seconds,
            leading_only=leading_only,
        )

    def level(self, samples: Samples, sample_rate: int) -> Samples:
        """``samples`` at the target loudness with the true peak under the ceiling (silence stays silence)."""
        loudness = integrated_loudness(samples, sample_rate)
        if not np.isfinite(loudness):
            return samples
        ceiling = self.ceiling
        gain = 10 ** ((self.target_lufs - loudness) / 20)
        levelled = samples
        for _ in range(4):  # limiting lowers the loudness a little: raise the gain and limit again
            levelled = limit(samples * gain, sample_rate, ceiling=ceiling)
            error = self.target_lufs - integrated_loudness(levelled, sample_rate)
            if abs(error) < _ON_TARGET_LU:
                break
            gain *= 10 ** (error / 20)
        peak = true_peak(levelled)
        if peak > ceiling:
            levelled = levelled * (ceiling / peak)
        return levelled


@attrs.define
class _FirstChunkGain(StreamFinisher):
    """Levels a stream chunk by chunk with the gain measured on its first chunk (the whole is not known yet).

    The first chunk is trimmed of leading silence; every chunk is limited to the ceiling. The trailing silence
    of the last chunk stays: the stream cannot know which chunk is the last before sending it.
    """

    finisher: LoudnessFinisher
    gain: float | None = None

    def next(self, speech: Speech) -> Speech:
        samples, rate, finisher = from_pcm(speech), speech.sample_rate, self.finisher
        first = self.gain is None
        if self.gain is None:
            loudness = integrated_loudness(samples, rate)
            if not np.isfinite(loudness):
                return speech
            self.gain = 10 ** ((finisher.target_lufs - loudness) / 20)
        levelled = limit(samples * self.gain, rate, ceiling=finisher.ceiling)
        if first:  # the leading silence only: which chunk is the last is not known while it is sent
            levelled = finisher.trim(levelled, rate, leading_only=True)
        return to_speech(levelled, rate)


class UnchangedSpeech(SpeechFinisher, StreamFinisher):
    """Leaves speech as the engine made it (``TTS_LOUDNESS_LUFS=off``)."""

    def finish(self, speech: Speech) -> Speech:
        return speech

    def stream(self) -> StreamFinisher:
        return self

    def next(self, speech: Speech) -> Speech:
        return speech
