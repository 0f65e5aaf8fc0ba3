"""LoudnessFinisher on synthetic audio: loudness on target, true peak under the ceiling, dead air trimmed."""

from __future__ import annotations

import numpy as np
import pytest

from adapters.loudness import LoudnessFinisher, UnchangedSpeech, db, from_pcm, integrated_loudness, to_speech, true_peak
from adapters.tone_synthesizer import ToneSynthesizer
from tts_core.speech import Speech

RATE = 24_000


def babble(seconds: float, *, level: float, lead: float = 0.5, tail: float = 0.7, seed: int = 1) -> Speech:
    """Speech-like audio: noise shaped by a syllable-rate envelope, with silence before and after."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * RATE)) / RATE
    envelope = (0.55 + 0.45 * np.sin(2 * np.pi * 4 * t)) ** 2
    voiced = rng.standard_normal(len(t)) * envelope * level
    voiced[:: RATE // 3] = level * 6  # sharp transients: peaks far above the loudness
    quiet = np.zeros(int(lead * RATE)), np.zeros(int(tail * RATE))
    return to_speech(np.concatenate([quiet[0], voiced, quiet[1]]), RATE)


def edges(speech: Speech, threshold_dbfs: float = -50.0) -> tuple[float, float]:
    """Seconds before the first and after the last 10 ms frame louder than ``threshold_dbfs`` (RMS)."""
    samples = from_pcm(speech)
    frame = RATE // 100
    count = len(samples) // frame
    rms = np.sqrt(np.mean(samples[: count * frame].reshape(count, frame) ** 2, axis=1))
    loud = np.flatnonzero(rms > 10 ** (threshold_dbfs / 20))
    return loud[0] * frame / RATE, (len(samples) - (loud[-1] + 1) * frame) / RATE


@pytest.mark.parametrize(("level", "seconds"), [(0.01, 3.0), (0.05, 2.0), (0.3, 1.0), (0.02, 0.25)])
def test_quiet_loud_long_and_short_speech_end_on_target(level: float, seconds: float) -> None:
    """Whatever its level or length, speech ends within 0.5 LU of −16 LUFS with the true peak at most −1 dBFS."""
    finished = LoudnessFinisher().finish(babble(seconds, level=level))
    samples = from_pcm(finished)
    assert integrated_loudness(samples, RATE) == pytest.approx(-16.0, abs=0.5)
    assert db(true_peak(samples)) <= -1.0


def test_dead_air_is_trimmed_to_at_most_150_ms_with_a_fade() -> None:
    """Half a second before and 0.7 s after the speech become at most 150 ms each; the cut ends fade from zero."""
    finished = LoudnessFinisher().finish(babble(2.0, level=0.05))
    lead, tail = edges(finished)
    assert lead <= 0.15
    assert tail <= 0.15
    samples = from_pcm(finished)
    assert abs(samples[0]) < 1e-3 and abs(samples[-1]) < 1e-3


def test_other_targets_and_silence() -> None:
    """A −20 LUFS target is met; silent speech comes back unchanged."""
    finished = LoudnessFinisher(target_lufs=-20.0).finish(babble(2.0, level=0.05))
    assert integrated_loudness(from_pcm(finished), RATE) == pytest.approx(-20.0, abs=0.5)
    silent = Speech(pcm=bytes(4800), sample_rate=RATE)
    assert LoudnessFinisher().finish(silent) == silent


def test_a_stream_is_levelled_with_its_first_chunks_gain() -> None:
    """Each chunk of a stream gets the first chunk's gain; peaks stay under the ceiling; leading silence is trimmed."""
    stream = LoudnessFinisher().stream()
    first = stream.next(babble(1.5, level=0.02, seed=1))
    second = stream.next(babble(1.5, level=0.02, seed=1, lead=0.0))
    assert edges(first)[0] <= 0.15
    assert integrated_loudness(from_pcm(first), RATE) == pytest.approx(-16.0, abs=1.0)
    assert integrated_loudness(from_pcm(second), RATE) == pytest.approx(-16.0, abs=1.0)
    assert db(true_peak(from_pcm(second))) <= -1.0


def test_tone_engine_output_is_levelled_too_and_off_changes_nothing() -> None:
    """The stand-in engine's hum is levelled like speech; UnchangedSpeech returns speech as it is."""
    hum = ToneSynthesizer().synthesize("hello there chat")
    assert integrated_loudness(from_pcm(LoudnessFinisher().finish(hum)), RATE) == pytest.approx(-16.0, abs=0.5)
    assert UnchangedSpeech().finish(hum) is hum
    assert UnchangedSpeech().stream().next(hum) is hum


def pauses(speech: Speech, threshold_dbfs: float = -50.0) -> list[float]:
    """Seconds of each silence of 0.1 s or more (10 ms frames under ``threshold_dbfs``) between two sounds."""
    samples = from_pcm(speech)
    frame = RATE // 100
    count = len(samples) // frame
    rms = np.sqrt(np.mean(samples[: count * frame].reshape(count, frame) ** 2, axis=1))
    loud = np.flatnonzero(rms > 10 ** (threshold_dbfs / 20))
    gaps = np.diff(loud) - 1
    return [round(gap * frame / RATE, 2) for gap in gaps if gap >= 10]


def test_a_long_pause_inside_is_cut_and_a_short_one_kept() -> None:
    """Where lines read on their own meet (≈ 0.85 s of silence) the pause becomes 0.4 s; 0.3 s stays as it is."""
    words = [from_pcm(babble(0.6, level=0.05, lead=0, tail=0, seed=seed)) for seed in (1, 2, 3)]
    gap_long, gap_short = np.zeros(int(0.85 * RATE)), np.zeros(int(0.3 * RATE))
    speech = to_speech(np.concatenate([words[0], gap_long, words[1], gap_short, words[2]]), RATE)
    finished = LoudnessFinisher().finish(speech)
    assert pauses(finished) == pytest.approx([0.4, 0.3], abs=0.03)
    assert finished.duration_seconds == pytest.approx(speech.duration_seconds - 0.45, abs=0.03)
