"""Time to first byte of a streamed /v1/audio/speech answer against the whole non-streamed answer (real Kokoro)."""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import httpx
from litestar import Litestar
from litestar.di import Provide

from adapters.kokoro import KokoroConfig
from adapters.kokoro.synthesizer import KokoroSynthesizer
from adapters.loudness import LoudnessFinisher
from bench.results import result, write_json
from entrypoints.http.openai_speech import OpenAISpeechController
from entrypoints.http.speech_gate import SpeechGate
from tests.kokoro_support import serving

TARGET = 0.5
"""Issue 9: the first bytes of a stream within half the time of the whole non-streamed answer."""
TEXT = (
    "Thanks so much for the raid, everyone, welcome in! "
    "We are just about to start the final boss, so grab a snack and settle in. "
    "Let me know in chat which build you think I should try next."
)


def _timed(http: httpx.Client, *, stream: bool) -> tuple[float, float, int]:
    """(seconds to the first body byte, seconds to the last, body bytes) of one request."""
    body = {"model": "kokoro", "voice": "af_heart", "input": TEXT, "response_format": "wav", "stream": stream}
    started = time.perf_counter()
    first, size = None, 0
    with http.stream("POST", "/v1/audio/speech", json=body) as response:
        response.raise_for_status()
        for piece in response.iter_raw():
            first = first if first is not None else time.perf_counter() - started
            size += len(piece)
    return first or 0.0, time.perf_counter() - started, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model-dir", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--json", type=Path, default=None, metavar="OUT", help="write the results as JSON")
    args = parser.parse_args()
    kokoro = KokoroSynthesizer(
        KokoroConfig(voice="af_heart", model_dir=args.model_dir, device="cpu", cpu_threads=args.threads)
    )
    kokoro.load()
    print(kokoro.status().detail)
    gate = SpeechGate(concurrency=1, wait_seconds=60)
    finisher = LoudnessFinisher(target_lufs=-16.0)  # the server's default levelling
    dependencies = {
        "synthesizer": Provide(lambda: kokoro, sync_to_thread=False),
        "speech_gate": Provide(lambda: gate, sync_to_thread=False),
        "finisher": Provide(lambda: finisher, sync_to_thread=False),
    }
    results: dict[bool, list[tuple[float, float, int]]] = {True: [], False: []}
    with (
        serving(Litestar([OpenAISpeechController], dependencies=dependencies)) as url,
        httpx.Client(base_url=url, timeout=300, trust_env=False) as http,
    ):
        for round_ in range(args.rounds):
            for stream in (True, False) if round_ % 2 == 0 else (False, True):  # alternate who goes first
                first, total, size = _timed(http, stream=stream)
                results[stream].append((first, total, size))
                print(
                    f"round {round_ + 1} {'streamed' if stream else 'whole   '}: first byte {first:5.2f} s, "
                    f"last byte {total:5.2f} s, {size} bytes"
                )
    medians = {}
    for stream, rows in results.items():
        firsts, totals = [r[0] for r in rows], [r[1] for r in rows]
        medians[stream] = statistics.median(firsts), statistics.median(totals)
        print(
            f"{'streamed' if stream else 'whole   '}: median first byte {medians[stream][0]:.2f} s, "
            f"median last byte {medians[stream][1]:.2f} s"
        )
    ratio = medians[True][0] / medians[False][1]
    print(f"streamed first byte / whole answer: {ratio:.2f} (target <= {TARGET})")
    write_json(
        args.json,
        "speech_stream_ttfb",
        [
            result("streamed_first_byte_median", round(medians[True][0], 3), "s"),
            result("streamed_last_byte_median", round(medians[True][1], 3), "s"),
            result("whole_answer_median", round(medians[False][1], 3), "s"),
            result("first_byte_over_whole", round(ratio, 3), "x", target=f"<= {TARGET}x", met=ratio <= TARGET),
        ],
        device="cpu",
    )


if __name__ == "__main__":
    main()
