"""Throughput of the server's synthesis worker and of ``/v1/audio/speech`` vs. a bare KPipeline loop on the same
texts, voice and model.

    PYTHONPATH=src:. .venv/bin/python bench/worker_vs_bare.py --model-dir ~/.cache/tts-kokoro-offline [--texts 24] \
        [--json OUT]

The worker side is the real thing minus the database: IngestService queues bits messages, each from another
viewer (nothing repeats, so the reuse cache saves nothing: ``raid_burst.py`` measures that), and a running
SynthesisWorker thread (woken by the queued events, as in the server) drains them through SynthesisService and the
server's engine stack (ReusingSynthesizer with the default 32 MB cache, fresh each round, over KokoroSynthesizer)
into an in-memory audio store (levelling, WAV encoding, events and eviction included).
The speech side asks a real uvicorn serving ``OpenAISpeechController`` (the server's gate and finisher) for the same
texts one after another. The bare side is the seed's loop:
``KPipeline(lang_code, model=<the same KModel>)(text, voice=<the mixed pack>, speed)`` concatenating audio.
The process's memory is tuned as ``tts-server serve`` tunes it (``--untuned`` leaves glibc's defaults), for all
sides alike. Each side is paired with the bare loop, the two taking turns every few texts (``--block``), so drift
on a shared machine (this one's speed swings by 10-20 % over a minute) hits both alike.
Throughput = seconds of audio produced per wall-clock second; the ratios compare wall-clock time for the same texts
(levelling trims a little silence, so audio seconds would undercount the server's sides).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import torch
from kokoro import KPipeline
from litestar import Litestar
from litestar.di import Provide

from adapters.kokoro import SAMPLE_RATE, KokoroConfig
from adapters.kokoro.synthesizer import KokoroSynthesizer
from adapters.loudness import LoudnessFinisher
from adapters.memory import InMemoryStorage
from adapters.reusing_synthesizer import ReusingSynthesizer
from adapters.speech_cache import SpeechCache
from adapters.system_clock import SystemClock
from bench.results import result, write_json
from bench.running_worker import RunningWorker
from entrypoints.http.openai_speech import OpenAISpeechController
from entrypoints.http.speech_gate import SpeechGate
from entrypoints.memory_tuning import tune_process_memory
from tests.kokoro_support import serving
from tts_core.chat import ChatRules, IncomingChat, MessageType
from tts_core.model import Message
from tts_core.services import IngestService
from tts_core.voice_mix import parse_voice_mix

DEFAULT_LUFS = -16.0
"""``TTS_LOUDNESS_LUFS``'s default: the server levels every WAV it writes."""
DEFAULT_REUSE_CACHE_BYTES = 32 * 1024 * 1024
"""``TTS_REUSE_CACHE_MB``'s default."""
TARGETS = {"worker": 0.98, "speech": 1.0}
"""Issue 9: the worker at >= 0.98x the bare loop, /v1/audio/speech (sequential) at >= 1.0x."""

CHAT = [
    "Thanks for the stream, see you tomorrow!",
    "Here are five hundred bits for the best streamer on the internet.",
    "LUL that jump was amazing",
    "Can you say hi to my little brother? He is watching with me today.",
    "GG well played!",
    "What keyboard are you using? It sounds really nice on stream.",
    "First time chatting, I have been lurking for months. Love the vibes here.",
    "Hype train let's go!",
    "Please play the song from yesterday again, it was so good.",
    "Cheer100 you deserve it after that boss fight.",
    "Is the giveaway still running?",
    "My cat just walked over my keyboard while I was typing this message.",
    "That was the cleanest run I have ever seen.",
    "Hello from Germany!",
    "How long have you been streaming today? You must be tired.",
    "Don't forget to drink some water.",
    "Can we get a quick recap of what happened in the last hour?",
    "Big fan of the new overlay, who made it?",
    "Three, two, one, go!",
    "I bet you cannot beat it on the first try.",
    "This message is brought to you by a very generous viewer.",
    "Happy birthday to the mod team!",
    "Wait, was that a secret room behind the waterfall?",
    "Good night everyone, take care.",
]


def queue(storage: InMemoryStorage, texts: list[str], *, first: int = 0) -> list[str]:
    """Queue ``texts`` as bits messages through IngestService, the n-th from ``viewer_n``; returns what is said for
    each (the bits template and chat cleaning apply), so the bare loop can read exactly the same."""
    rules = ChatRules(username="streamer")
    ingest = IngestService(storage=storage, clock=SystemClock(), rules=rules)
    spoken = []
    for number, text in enumerate(texts, start=first):
        sender = f"viewer_{number}"
        incoming = IncomingChat(sent_by=sender, text=text, message_type=MessageType.BITS, bits_amount=100)
        message = ingest.add_message(incoming)
        assert isinstance(message, Message), message
        spoken.append(message.spoken_text)
    return spoken


class WorkerSide:
    """The worker for one round (a fresh reuse cache), given the round's texts block by block; started and warmed
    with one message first, as in the server, where it lives for the whole session."""

    def __init__(self, synthesizer: KokoroSynthesizer) -> None:
        engine = ReusingSynthesizer(synthesizer, SpeechCache(DEFAULT_REUSE_CACHE_BYTES))  # as the server's worker
        finisher = LoudnessFinisher(target_lufs=DEFAULT_LUFS)  # as the server levels every WAV
        self.running = RunningWorker(synthesizer, engine, finisher)
        self.block(["Hello chat."], first=10_000)  # a sender no text of the round has

    def block(self, texts: list[str], *, first: int) -> tuple[float, float]:
        """(audio seconds, wall seconds) for ``texts`` (the round's ``first``-th on) queued as bits messages."""
        done, wall = self.running.block(lambda storage: len(queue(storage, texts, first=first)))
        return sum(m.audio.duration_seconds for m in done if m.audio is not None), wall

    def stop(self) -> None:
        self.running.stop()


def bare_round(pipeline: KPipeline, voice: str, texts: list[str], speed: float) -> tuple[float, float]:
    """(audio seconds, wall seconds) for the seed's loop over KPipeline."""
    samples = 0
    started = time.perf_counter()
    for text in texts:
        pieces = [r.audio.numpy() for r in pipeline(text, voice=voice, speed=speed, split_pattern=r"\n+")]
        samples += len(np.concatenate(pieces)) if pieces else 0
    return samples / SAMPLE_RATE, time.perf_counter() - started


def speech_round(http: httpx.Client, voice: str, texts: list[str], speed: float) -> tuple[float, float]:
    """(audio seconds, wall seconds) for ``/v1/audio/speech`` asked for ``texts`` one after another (raw PCM: the
    same levelled samples as WAV, without the header)."""
    samples = 0
    started = time.perf_counter()
    for text in texts:
        body = {"model": "kokoro", "input": text, "voice": voice, "speed": speed, "response_format": "pcm"}
        answer = http.post("/v1/audio/speech", json=body)
        answer.raise_for_status()
        samples += len(answer.content) // 2  # 16-bit mono
    return samples / SAMPLE_RATE, time.perf_counter() - started


@contextmanager
def speech_server(synthesizer: KokoroSynthesizer) -> Iterator[httpx.Client]:
    """The speech endpoint as the server mounts it (its gate, the default levelling), on a real uvicorn."""
    gate = SpeechGate(concurrency=1, wait_seconds=600)
    finisher = LoudnessFinisher(target_lufs=DEFAULT_LUFS)
    dependencies = {
        "synthesizer": Provide(lambda: synthesizer, sync_to_thread=False),
        "speech_gate": Provide(lambda: gate, sync_to_thread=False),
        "finisher": Provide(lambda: finisher, sync_to_thread=False),
    }
    with (
        serving(Litestar([OpenAISpeechController], dependencies=dependencies)) as url,
        httpx.Client(base_url=url, timeout=600, trust_env=False) as http,
    ):
        yield http


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--model-dir", type=Path, default=os.environ.get("TTS_TEST_KOKORO_MODEL_DIR"))
    parser.add_argument("--texts", type=int, default=len(CHAT), help=f"texts per round (cycled from {len(CHAT)})")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per side, the sides' order rotating")
    parser.add_argument("--block", type=int, default=4, help="texts a side reads before the next side's turn")
    parser.add_argument("--voice", default="am_adam50_am_michael50")
    parser.add_argument("--speed", type=float, default=1.0)
    parser.add_argument("--threads", type=int, default=None, help="torch CPU threads (default: torch's choice)")
    parser.add_argument("--device", choices=["auto", "cuda", "cpu"], default="auto")
    parser.add_argument("--sides", default="worker,speech,bare", help="comma-separated: worker, speech, bare")
    parser.add_argument("--untuned", action="store_true", help="keep glibc's malloc defaults (the server tunes them)")
    parser.add_argument("--json", type=Path, default=None, metavar="OUT", help="write the results as JSON")
    args = parser.parse_args()
    if args.model_dir is None:
        parser.error("--model-dir (or TTS_TEST_KOKORO_MODEL_DIR) is required")
    args.sides = [side for side in args.sides.split(",") if side]
    if "bare" not in args.sides or not set(args.sides) <= {"worker", "speech", "bare"}:
        parser.error("--sides takes worker, speech and bare, and needs bare")
    return args


class Sides:
    """Runs one side's round on the same texts, voice and model, and adds up each side's audio and wall time."""

    def __init__(self, args: argparse.Namespace, synthesizer: KokoroSynthesizer, http: httpx.Client) -> None:
        engine = synthesizer.engine
        assert engine is not None
        self.args, self.synthesizer, self.http = args, synthesizer, http
        self.texts = [CHAT[i % len(CHAT)] for i in range(args.texts)]
        self.spoken = queue(InMemoryStorage(), self.texts)
        config = synthesizer.config
        self.pipeline = KPipeline(lang_code=config.lang_code, repo_id=config.repo_id, model=engine.model)
        self.pipeline.voices["bench_mix"] = engine.voices.mixed(parse_voice_mix(args.voice))  # the seed's way
        self.totals = {side: [0.0, 0.0] for side in args.sides}
        self.ratios: dict[str, list[float]] = {side: [] for side in args.sides if side != "bare"}
        self.bare_walls = dict.fromkeys(self.ratios, 0.0)
        """The bare loop's wall time in each side's pairs."""

    def warm(self) -> None:
        """The bare pipeline's G2P, the speech gate's thread and the HTTP client, before anything is timed."""
        bare_round(self.pipeline, "bench_mix", self.spoken[:2], self.args.speed)
        if "speech" in self.totals:
            speech_round(self.http, self.args.voice, self.spoken[:2], self.args.speed)

    def round(self, number: int) -> None:
        """Each side against the bare loop, in turn: all texts once, in blocks of ``--block`` texts that the side and
        the bare loop take turns at (which goes first alternating), so a machine that speeds up or slows down during
        the round affects both alike. Pairs, not all sides at once: the worker and the speech endpoint never run in
        one server turn by turn every few texts, and switching the model between three threads that often cost both
        5-8 % here."""
        for side in (side for side in self.args.sides if side != "bare"):
            walls, audios = {side: 0.0, "bare": 0.0}, {side: 0.0, "bare": 0.0}
            worker = WorkerSide(self.synthesizer) if side == "worker" else None
            size = self.args.block
            for index, start in enumerate(range(0, len(self.texts), size)):
                spoken = self.spoken[start : start + size]
                for turn in (side, "bare") if (number + index) % 2 == 0 else ("bare", side):
                    if turn == "worker":
                        assert worker is not None
                        audio, wall = worker.block(self.texts[start : start + size], first=start)
                    elif turn == "speech":
                        audio, wall = speech_round(self.http, self.args.voice, spoken, self.args.speed)
                    else:
                        audio, wall = bare_round(self.pipeline, "bench_mix", spoken, self.args.speed)
                    audios[turn] += audio
                    walls[turn] += wall
            if worker is not None:
                worker.stop()
            for turn in (side, "bare"):
                self.totals[turn][0] += audios[turn]
                self.totals[turn][1] += walls[turn]
                audio, wall = audios[turn], walls[turn]
                print(f"round {number + 1} {turn:6}: {audio:7.1f} s audio in {wall:6.1f} s = {audio / wall:5.2f} x")
            self.ratios[side].append(walls["bare"] / walls[side])
            self.bare_walls[side] += walls["bare"]

    def results(self) -> list[dict[str, Any]]:
        rows = []
        for side, (audio, wall) in self.totals.items():
            print(f"{side:6}: {audio / wall:.2f} audio s per wall s (RTF {wall / audio:.3f})")
            rows.append(result(f"{side}_throughput", round(audio / wall, 3), "audio s per wall s"))
        for side, ratios in self.ratios.items():
            overall = self.bare_walls[side] / self.totals[side][1]
            median = statistics.median(ratios)
            print(f"ratio {side}/bare (same texts, by wall time): {overall:.3f} overall, median of rounds {median:.3f}")
            target = TARGETS[side]
            met = overall >= target
            rows.append(result(f"{side}_vs_bare", round(overall, 3), "x", target=f">= {target}x", met=met))
            rows.append(result(f"{side}_vs_bare_median_of_rounds", round(median, 3), "x"))
        return rows


def main() -> int:
    args = parse_args()
    if not args.untuned:
        tune_process_memory()
    config = KokoroConfig(
        voice=args.voice,
        model_dir=Path(args.model_dir).expanduser(),
        speed=args.speed,
        device=args.device,
        cpu_threads=args.threads,
    )
    synthesizer = KokoroSynthesizer(config)
    synthesizer.load()
    status = synthesizer.status()
    if not status.ready or synthesizer.engine is None:
        print(f"engine not ready: {status.detail}", file=sys.stderr)
        return 1
    with speech_server(synthesizer) as http:
        sides = Sides(args, synthesizer, http)
        sides.warm()
        print(status.detail)
        tuned = "glibc defaults" if args.untuned else "malloc tuned as the server does"
        chars = sum(map(len, sides.spoken))
        print(f"torch threads {torch.get_num_threads()}, {args.texts} texts ({chars} chars as read) per round, {tuned}")
        for number in range(args.rounds):
            sides.round(number)
    write_json(args.json, "worker_vs_bare", sides.results(), device=synthesizer.engine.device)
    return 0


if __name__ == "__main__":
    sys.exit(main())
