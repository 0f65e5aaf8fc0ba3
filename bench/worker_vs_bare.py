"""Throughput of the server's synthesis worker vs. a bare KPipeline loop on the same texts, voice and model.

    PYTHONPATH=src .venv/bin/python bench/worker_vs_bare.py --model-dir ~/.cache/tts-kokoro-offline [--texts 24]

The worker side is the real thing minus the database: IngestService queues bits messages, and a running
SynthesisWorker thread (woken by the queued events, as in the server) drains them through SynthesisService +
KokoroSynthesizer into an in-memory audio store (WAV encoding, events and eviction included).
The bare side is the seed's loop:
``KPipeline(lang_code, model=<the same KModel>)(text, voice=<the mixed pack>, speed)`` concatenating audio.
Rounds alternate which side goes first, so drift on a shared machine hits both.
Throughput = seconds of audio produced per wall-clock second.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
from kokoro import KPipeline

from adapters.kokoro import SAMPLE_RATE, KokoroConfig
from adapters.kokoro.synthesizer import KokoroSynthesizer
from adapters.memory import InMemoryAudioStore, InMemoryStorage
from adapters.system_clock import SystemClock
from entrypoints.worker import SynthesisWorker
from tts_core.chat import ChatRules, IncomingChat, MessageType
from tts_core.events import Event, MessageFailed, MessageReady
from tts_core.model import Message
from tts_core.ports import EventSink
from tts_core.services import IngestService, SynthesisService
from tts_core.voice_mix import parse_voice_mix

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


class ReadyCounter(EventSink):
    """Passes events to the worker (as the server's event hub does) and counts messages that are done."""

    def __init__(self) -> None:
        self.listeners: list[Callable[[Event], None]] = []
        self.ready: list[Message] = []
        self.failed: list[Message] = []
        self._done = threading.Condition()

    def publish(self, event: Event) -> None:
        for listener in self.listeners:
            listener(event)
        if isinstance(event, MessageReady | MessageFailed):
            with self._done:
                (self.failed if isinstance(event, MessageFailed) else self.ready).append(event.message)
                self._done.notify_all()

    def wait_for(self, count: int) -> None:
        """Block until ``count`` messages are ready; a failed one ends the benchmark."""
        with self._done:
            self._done.wait_for(lambda: len(self.ready) >= count or bool(self.failed))
        if self.failed:
            raise SystemExit(f"a benchmark message failed: {self.failed[0].error}")


def queue(storage: InMemoryStorage, texts: list[str]) -> list[str]:
    """Queue ``texts`` as bits messages through IngestService; returns what the engine will read for each
    (the bits template and chat cleaning apply), so the bare loop can read exactly the same."""
    rules = ChatRules(username="streamer")
    ingest = IngestService(storage=storage, clock=SystemClock(), rules=rules)
    spoken = []
    for text in texts:
        incoming = IncomingChat(sent_by="viewer", text=text, message_type=MessageType.BITS, bits_amount=100)
        message = ingest.add_message(incoming)
        assert isinstance(message, Message), message
        spoken.append(message.spoken_text)
    return spoken


def worker_round(synthesizer: KokoroSynthesizer, texts: list[str]) -> tuple[float, float]:
    """(audio seconds, wall seconds) for a running SynthesisWorker draining ``texts`` queued as bits messages.

    The worker thread is started and warmed with one message first, as in the server, where it lives for
    the whole session; the clock runs from queueing the first text to the last one being stored.
    """
    events = ReadyCounter()
    storage = InMemoryStorage(events=events)
    service = SynthesisService(
        storage=storage,
        synthesizer=synthesizer,
        audio_store=InMemoryAudioStore(),
        clock=SystemClock(),
        mentions_budget_bytes=10**12,
    )
    worker = SynthesisWorker(service, synthesizer, poll_interval=1.0)
    events.listeners.append(worker.on_event)
    worker.start()
    queue(storage, ["Hello chat."])
    events.wait_for(1)
    started = time.perf_counter()
    queue(storage, texts)
    events.wait_for(1 + len(texts))
    wall = time.perf_counter() - started
    worker.stop()
    done = events.ready[1:]
    return sum(m.audio.duration_seconds for m in done if m.audio is not None), wall


def bare_round(pipeline: KPipeline, voice: str, texts: list[str], speed: float) -> tuple[float, float]:
    """(audio seconds, wall seconds) for the seed's loop over KPipeline."""
    samples = 0
    started = time.perf_counter()
    for text in texts:
        pieces = [r.audio.numpy() for r in pipeline(text, voice=voice, speed=speed, split_pattern=r"\n+")]
        samples += len(np.concatenate(pieces)) if pieces else 0
    return samples / SAMPLE_RATE, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--model-dir", type=Path, default=os.environ.get("TTS_TEST_KOKORO_MODEL_DIR"))
    parser.add_argument("--texts", type=int, default=len(CHAT), help=f"texts per round (cycled from {len(CHAT)})")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per side, alternating which goes first")
    parser.add_argument("--voice", default="am_adam50_am_michael50")
    parser.add_argument("--speed", type=float, default=1.0)
    parser.add_argument("--threads", type=int, default=None, help="torch CPU threads (default: torch's choice)")
    parser.add_argument("--device", choices=["auto", "cuda", "cpu"], default="auto")
    args = parser.parse_args()
    if args.model_dir is None:
        parser.error("--model-dir (or TTS_TEST_KOKORO_MODEL_DIR) is required")
    texts = [CHAT[i % len(CHAT)] for i in range(args.texts)]
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
    engine = synthesizer.engine
    pipeline = KPipeline(lang_code=config.lang_code, repo_id=config.repo_id, model=engine.model)
    pipeline.voices["bench_mix"] = engine.voices.mixed(parse_voice_mix(args.voice))  # the seed's registration
    spoken = queue(InMemoryStorage(), texts)
    bare_round(pipeline, "bench_mix", spoken[:2], args.speed)  # warm the bare pipeline's G2P too
    print(f"{status.detail}")
    chars = sum(map(len, spoken))
    print(f"torch threads {torch.get_num_threads()}, {len(texts)} texts ({chars} chars as read) per round")
    totals = {"worker": [0.0, 0.0], "bare": [0.0, 0.0]}
    ratios = []
    for round_number in range(args.rounds):
        order = ["worker", "bare"] if round_number % 2 == 0 else ["bare", "worker"]
        rates = {}
        for side in order:
            if side == "worker":
                audio, wall = worker_round(synthesizer, texts)
            else:
                audio, wall = bare_round(pipeline, "bench_mix", spoken, args.speed)
            totals[side][0] += audio
            totals[side][1] += wall
            rates[side] = audio / wall
            print(f"round {round_number + 1} {side:6}: {audio:7.1f} s audio in {wall:6.1f} s = {rates[side]:5.2f} x")
        ratios.append(rates["worker"] / rates["bare"])
    worker_rate = totals["worker"][0] / totals["worker"][1]
    bare_rate = totals["bare"][0] / totals["bare"][1]
    print(f"worker: {worker_rate:.2f} audio s per wall s (RTF {1 / worker_rate:.3f})")
    print(f"bare:   {bare_rate:.2f} audio s per wall s (RTF {1 / bare_rate:.3f})")
    print(f"ratio worker/bare: {worker_rate / bare_rate:.3f} overall, median of rounds {statistics.median(ratios):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
