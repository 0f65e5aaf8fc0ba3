"""Loudness, true peak and dead air of every English voice, bare Kokoro against what the server writes.

    PYTHONPATH=src .venv/bin/python bench/voice_loudness.py --model-dir ~/.cache/tts-kokoro-offline [--text "…"]

For each ``a*``/``b*`` voice of the model directory and three mixes, the same text is spoken once by
``KokoroSynthesizer`` (the samples bare Kokoro gives) and finished by ``LoudnessFinisher`` (what the queue worker and
``/v1/audio/speech`` write). Loudness is ITU-R BS.1770-4 integrated loudness (pyloudnorm), the true peak the 4×
oversampled peak (BS.1770-4 Annex 2), dead air the time before the first and after the last 10 ms frame above
−50 dBFS RMS. Prints one line per voice and the spread of each column.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from adapters.kokoro import KokoroConfig
from adapters.kokoro.synthesizer import KokoroSynthesizer
from adapters.loudness import LoudnessFinisher, Samples, db, from_pcm, integrated_loudness, true_peak
from tts_core.voice_mix import parse_voice_mix

MIXES = ("af_heart60_am_adam40", "bm_george70_am_adam30", "af_sky50_bf_emma50")
TEXT = "Hey streamer, that was a great play, good game everyone!"


def dead_air(samples: Samples, rate: int) -> tuple[float, float]:
    """Seconds before the first and after the last 10 ms frame above −50 dBFS RMS."""
    frame = rate // 100
    count = len(samples) // frame
    rms = np.sqrt(np.mean(samples[: count * frame].reshape(count, frame) ** 2, axis=1))
    loud = np.flatnonzero(rms > 10 ** (-50 / 20))
    return float(loud[0] * frame / rate), float((len(samples) - (loud[-1] + 1) * frame) / rate)


def describe(samples: Samples, rate: int) -> tuple[float, float, float, float]:
    lead, tail = dead_air(samples, rate)
    return integrated_loudness(samples, rate), db(true_peak(samples)), lead, tail


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-dir", type=Path, required=True)
    parser.add_argument("--text", default=TEXT)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--target", type=float, default=-16.0)
    args = parser.parse_args()
    kokoro = KokoroSynthesizer(
        KokoroConfig(voice="af_heart", model_dir=args.model_dir, device="cpu", cpu_threads=args.threads)
    )
    kokoro.load()
    finisher = LoudnessFinisher(target_lufs=args.target)
    voices = sorted(p.stem for p in (args.model_dir / "voices").glob("*.pt") if p.stem[:2] in ("af", "am", "bf", "bm"))
    voices = [v for v in voices if not v[-1].isdigit()]  # a mix cannot name af_v0 (it reads as af_v at 0 %)
    rows: dict[str, list[tuple[float, float, float, float]]] = {"bare": [], "server": []}
    header = ("voice", "bare LUFS", "dBTP", "lead", "tail", "server LUFS", "dBTP", "lead", "tail")
    print("{:24s} {:>10s} {:>6s} {:>5s} {:>5s}   {:>12s} {:>6s} {:>5s} {:>5s}".format(*header))
    for voice in [*voices, *MIXES]:
        speech = kokoro.synthesize(args.text, voice=parse_voice_mix(voice))
        bare = describe(from_pcm(speech), speech.sample_rate)
        served = describe(from_pcm(finisher.finish(speech)), speech.sample_rate)
        rows["bare"].append(bare)
        rows["server"].append(served)
        print(
            f"{voice:24s} {bare[0]:10.1f} {bare[1]:6.1f} {bare[2]:5.2f} {bare[3]:5.2f}   "
            f"{served[0]:12.2f} {served[1]:6.2f} {served[2]:5.2f} {served[3]:5.2f}",
            flush=True,
        )
    for side, measured in rows.items():
        columns = list(zip(*measured, strict=True))
        print(
            f"{side:6s}: loudness {min(columns[0]):.2f} … {max(columns[0]):.2f} LUFS "
            f"(spread {max(columns[0]) - min(columns[0]):.2f} LU), true peak {min(columns[1]):.1f} … "
            f"{max(columns[1]):.1f} dBTP, lead {min(columns[2]):.2f} … {max(columns[2]):.2f} s, "
            f"tail {min(columns[3]):.2f} … {max(columns[3]):.2f} s"
        )


if __name__ == "__main__":
    main()
