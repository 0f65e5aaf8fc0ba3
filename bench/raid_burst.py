"""A raid burst through the server's worker (reusing repeated lines) vs a bare KPipeline loop on the same texts.

    PYTHONPATH=src:. .venv/bin/python bench/raid_burst.py --model-dir ~/.cache/tts-kokoro-offline \\
        [--messages 60] [--rounds 3] [--json OUT]

The workload is chat during a raid: raiders (who write more than once) send "@streamer GG", "LETS GO", "raid
hype" and the like, among ordinary messages and a few cheers; the default templates are on, so every spoken text
differs ("alice says: GG", "bob says: GG"). At least 30% of the bodies repeat a body another viewer sent.

The worker side is the real thing minus the database: IngestService queues the messages, a running SynthesisWorker
drains them through SynthesisService + ReusingSynthesizer (a new, empty cache each round) + KokoroSynthesizer and
the server's LoudnessFinisher into an in-memory audio store. The bare side is the seed's loop,
``KPipeline(text=message.spoken_text, voice=<the same mixed pack>)``, on the same messages. The sides take turns
every few messages (``--block``; the worker's cache lives on through the round), so drift hits both alike.
Throughput = messages done per wall-clock second (the worker's audio has a pause between the sender's part and
the body, so audio seconds would flatter it).

Then every message of the last worker round is checked against a fresh synthesis of what was read: its engine
text line by line, or (a message whose lines were all new) its lines read together as one, the spoken text. The
same number of samples (Kokoro's durations are deterministic) and, chunk by chunk, spectrograms as alike as two
fresh syntheses of one text are (Kokoro adds random noise to its source signal, so samples never repeat exactly).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import torch
from kokoro import KPipeline

from adapters.kokoro import SAMPLE_RATE, KokoroConfig
from adapters.kokoro.synthesizer import KokoroSynthesizer
from adapters.loudness import LoudnessFinisher
from adapters.memory import InMemoryStorage
from adapters.reusing_synthesizer import ReusingSynthesizer
from adapters.speech_cache import SpeechCache
from adapters.system_clock import SystemClock
from bench.running_worker import RunningWorker
from entrypoints.memory_tuning import tune_process_memory
from tts_core.chat import ChatRules, IncomingChat, MessageType
from tts_core.model import Message
from tts_core.ports import Synthesizer
from tts_core.services import IngestService
from tts_core.speech import EngineStatus, Speech
from tts_core.voice_mix import VoiceMix, parse_voice_mix

RAID_CHAT = ["GG", "LETS GO", "raid hype!", "hi", "welcome raiders", "that was insane", "first time here, hi!", "W"]
"""What raiders send again and again (the @streamer mention is cleaned away, so "@streamer hi" reads "hi")."""
OTHER_CHAT = [
    "Thanks for the stream, see you tomorrow!",
    "What keyboard are you using? It sounds really nice on stream.",
    "My cat just walked over my keyboard while I was typing this message.",
    "Can we get a quick recap of what happened in the last hour?",
    "Wait, was that a secret room behind the waterfall?",
    "Hello from Germany!",
    "Big fan of the new overlay, who made it?",
    "I bet you cannot beat it on the first try.",
    "How long have you been streaming today? You must be tired.",
    "Don't forget to drink some water.",
    "Please play the song from yesterday again, it was so good.",
    "That was the cleanest run I have ever seen.",
]
SIMILARITY_FLOOR = 0.98
"""Log-spectrogram correlation two fresh syntheses of one text reach (≈ 0.997 measured); other words: ≈ 0.8–0.9."""


def raid(count: int, seed: int) -> list[IncomingChat]:
    """``count`` messages of a raid: 30 raiders, mostly short raid chat, some ordinary messages, ~1 in 8 a cheer."""
    rng = random.Random(seed)
    raiders = [f"raider_{name}" for name in ("ana", "bo", "cy", "dee", "eli", "fay", "gus", "hal", "ivy", "jo")]
    raiders += [f"{word}{number}" for word in ("pixel", "nova", "echo", "blaze") for number in (7, 42, 99, 2000, 5)]
    messages = []
    for _ in range(count):
        sender = rng.choice(raiders)
        body = rng.choice(RAID_CHAT) if rng.random() < 0.7 else rng.choice(OTHER_CHAT)
        if rng.random() < 0.12:
            messages.append(
                IncomingChat(sent_by=sender, text=f"Cheer100 {body}", message_type=MessageType.BITS, bits_amount=100)
            )
        else:
            messages.append(IncomingChat(sent_by=sender, text=f"@streamer {body}", message_type=MessageType.CHAT))
    return messages


def repeated_body_share(messages: list[Message]) -> float:
    """The share of messages whose body (the engine's last line) another viewer already sent."""
    senders_by_body: dict[str, set[str]] = {}
    repeats = 0
    for message in messages:
        body = (message.engine_text or message.spoken_text).split("\n")[-1]
        senders = senders_by_body.setdefault(body, set())
        repeats += bool(senders - {message.sent_by})
        senders.add(message.sent_by)
    return repeats / len(messages)


class Recording(Synthesizer):
    """Passes calls on and keeps the speech each text got (what the service was given, before the finisher)."""

    def __init__(self, inner: Synthesizer) -> None:
        self.inner = inner
        self.spoken: dict[str, Speech] = {}

    def synthesize(self, text: str, *, voice: VoiceMix | None = None, speed: float | None = None) -> Speech:
        speech = self.inner.synthesize(text, voice=voice, speed=speed)
        self.spoken[text] = speech
        return speech

    def synthesize_chunks(
        self, text: str, *, voice: VoiceMix | None = None, speed: float | None = None, wait: float | None = None
    ) -> Iterator[Speech]:
        return self.inner.synthesize_chunks(text, voice=voice, speed=speed, wait=wait)

    def status(self) -> EngineStatus:
        return self.inner.status()


def queue(storage: InMemoryStorage, messages: list[IncomingChat]) -> list[Message]:
    """Queue ``messages`` through IngestService with the default templates; the queued messages in order."""
    ingest = IngestService(storage=storage, clock=SystemClock(), rules=ChatRules(username="streamer"))
    queued = [ingest.add_message(incoming) for incoming in messages]
    assert all(isinstance(message, Message) for message in queued), queued
    return [message for message in queued if isinstance(message, Message)]


class RaidWorker:
    """The worker with a fresh reuse cache for one round, given the burst block by block (the cache lives on between
    blocks, as it would through the raid); started and warmed with one message first."""

    def __init__(self, kokoro: KokoroSynthesizer, cache_bytes: int) -> None:
        self.reusing = ReusingSynthesizer(kokoro, SpeechCache(cache_bytes))
        self.recording = Recording(self.reusing)
        self.running = RunningWorker(kokoro, self.recording, LoudnessFinisher())
        warmup = IncomingChat(sent_by="warmup", text="@streamer Hello chat.", message_type=MessageType.CHAT)
        self.running.block(lambda storage: len(queue(storage, [warmup])))  # not timed
        self.done: list[Message] = []
        self.wall = 0.0

    def block(self, messages: list[IncomingChat]) -> None:
        """Queue ``messages`` and wait until they are stored; their time adds to the round's."""
        done, wall = self.running.block(lambda storage: len(queue(storage, messages)))
        self.done += done
        self.wall += wall

    def finish(self) -> dict[str, Any]:
        self.running.stop()
        audio = sum(m.audio.duration_seconds for m in self.done if m.audio is not None)
        return {
            "wall": self.wall,
            "audio": audio,
            "stats": self.reusing.cache.stats(),
            "done": self.done,
            "spoken": self.recording.spoken,
        }


def bare_round(pipeline: KPipeline, voice: str, texts: list[str], speed: float) -> dict[str, Any]:
    """The seed's loop over KPipeline on ``texts``."""
    samples = 0
    started = time.perf_counter()
    for text in texts:
        pieces = [r.audio.numpy() for r in pipeline(text, voice=voice, speed=speed, split_pattern=r"\n+")]
        samples += len(np.concatenate(pieces)) if pieces else 0
    return {"wall": time.perf_counter() - started, "audio": samples / SAMPLE_RATE}


def _samples(speech: Speech) -> npt.NDArray[np.float64]:
    return np.frombuffer(speech.pcm, dtype="<i2").astype(np.float64) / 32767


def similarity(a: npt.NDArray[np.float64], b: npt.NDArray[np.float64]) -> float:
    """Correlation of two log-magnitude spectrograms (32 ms Hann frames, 10 ms hop) of equal length."""

    def spectrogram(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        frames = np.lib.stride_tricks.sliding_window_view(x, 768)[::240] * np.hanning(768)
        logs: npt.NDArray[np.float64] = np.log(np.abs(np.fft.rfft(frames, axis=1)) + 1e-3)
        centred: npt.NDArray[np.float64] = logs - logs.mean()
        return centred

    if len(a) < 768:
        return 1.0 if np.allclose(a, b, atol=0.01) else 0.0
    sa, sb = spectrogram(a), spectrogram(b)
    return float(np.sum(sa * sb) / np.sqrt(np.sum(sa * sa) * np.sum(sb * sb)))


def check_whole(kokoro: KokoroSynthesizer, round_: dict[str, Any]) -> tuple[int, float, list[str]]:
    """(messages matching a fresh synthesis of what was read, lowest chunk similarity, the ones that do not)."""
    matching, lowest, wrong = 0, 1.0, []
    for message in round_["done"]:
        text = message.engine_text or message.spoken_text
        composed = _samples(round_["spoken"][text])
        score = max(resemblance(kokoro, composed, reading) for reading in (text, " ".join(text.split("\n"))))
        lowest = min(lowest, score)
        matching += score >= SIMILARITY_FLOOR
        if score < SIMILARITY_FLOOR:
            wrong.append(text)
    return matching, lowest, wrong


def resemblance(kokoro: KokoroSynthesizer, composed: npt.NDArray[np.float64], reading: str) -> float:
    """The lowest similarity of ``composed`` to a fresh synthesis of ``reading``, chunk by chunk; 0.0 when their
    lengths differ (another reading of the text)."""
    fresh = [_samples(chunk) for chunk in kokoro.synthesize_chunks(reading)]
    if len(composed) != sum(map(len, fresh)):
        return 0.0
    lowest, start = 1.0, 0
    for chunk in fresh:
        lowest = min(lowest, similarity(composed[start : start + len(chunk)], chunk))
        start += len(chunk)
    return lowest


def machine(kokoro: KokoroSynthesizer) -> dict[str, Any]:
    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg()[0],
        "torch": torch.__version__,
        "torch_threads": torch.get_num_threads(),
        "device": kokoro.engine.device if kokoro.engine is not None else None,
    }


def result(metric: str, value: float, unit: str, target: float | None, met: bool | None) -> dict[str, Any]:
    return {"metric": metric, "value": round(value, 4), "unit": unit, "target": target, "met": met}


def alternate(
    kokoro: KokoroSynthesizer,
    pipeline: KPipeline,
    burst: list[IncomingChat],
    spoken: list[str],
    *,
    rounds: int,
    cache_mb: float,
    block: int,
) -> tuple[dict[str, list[float]], list[float], dict[str, Any]]:
    """Worker and bare rounds, taking turns every ``block`` messages (which goes first alternating), so the machine's
    drift hits both alike: ({side: [wall s, audio s]}, ratios, last worker round)."""
    totals = {"worker": [0.0, 0.0], "bare": [0.0, 0.0]}
    ratios, last = [], {}
    for number in range(rounds):
        worker = RaidWorker(kokoro, int(cache_mb * 1024 * 1024))
        bare = {"wall": 0.0, "audio": 0.0}
        for index, start in enumerate(range(0, len(burst), block)):
            for side in ("worker", "bare") if (number + index) % 2 == 0 else ("bare", "worker"):
                if side == "worker":
                    worker.block(burst[start : start + block])
                else:
                    done = bare_round(pipeline, "bench_mix", spoken[start : start + block], kokoro.config.speed)
                    bare["wall"] += done["wall"]
                    bare["audio"] += done["audio"]
        last = worker.finish()
        stats = last["stats"]
        reused = f", lines reused {stats.hits}/{stats.hits + stats.misses} ({stats.size_bytes / 1e6:.1f} MB)"
        rates = {}
        for side, done in (("worker", last), ("bare", bare)):
            totals[side][0] += done["wall"]
            totals[side][1] += done["audio"]
            rates[side] = len(burst) / done["wall"]
            print(
                f"round {number + 1} {side:6}: {len(burst)} messages ({done['audio']:6.1f} s audio) "
                f"in {done['wall']:6.1f} s = {rates[side]:5.2f} msg/s{reused if side == 'worker' else ''}"
            )
        ratios.append(rates["worker"] / rates["bare"])
    return totals, ratios, last


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--model-dir", type=Path, default=os.environ.get("TTS_TEST_KOKORO_MODEL_DIR"))
    parser.add_argument("--messages", type=int, default=60, help="messages in the raid burst")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per side")
    parser.add_argument("--block", type=int, default=6, help="messages a side reads before the other side's turn")
    parser.add_argument("--seed", type=int, default=7, help="seed of the raid's senders and bodies")
    parser.add_argument("--cache-mb", type=float, default=32.0, help="the reuse cache (TTS_REUSE_CACHE_MB)")
    parser.add_argument("--voice", default="am_adam50_am_michael50")
    parser.add_argument("--threads", type=int, default=None, help="torch CPU threads (default: torch's choice)")
    parser.add_argument("--device", choices=["auto", "cuda", "cpu"], default="auto")
    parser.add_argument("--json", type=Path, default=None, help="also write the results as JSON to this file")
    args = parser.parse_args()
    tune_process_memory()  # as tts-server serve does, for both sides (the worker side trims after each text)
    if args.model_dir is None:
        parser.error("--model-dir (or TTS_TEST_KOKORO_MODEL_DIR) is required")
    config = KokoroConfig(
        voice=args.voice, model_dir=Path(args.model_dir).expanduser(), device=args.device, cpu_threads=args.threads
    )
    kokoro = KokoroSynthesizer(config)
    kokoro.load()
    if not kokoro.status().ready or kokoro.engine is None:
        print(f"engine not ready: {kokoro.status().detail}", file=sys.stderr)
        return 1
    pipeline = KPipeline(lang_code=config.lang_code, repo_id=config.repo_id, model=kokoro.engine.model)
    pipeline.voices["bench_mix"] = kokoro.engine.voices.mixed(parse_voice_mix(args.voice))
    burst = raid(args.messages, args.seed)
    queued = queue(InMemoryStorage(), burst)
    spoken = [message.spoken_text for message in queued]
    share = repeated_body_share(queued)
    bare_round(pipeline, "bench_mix", spoken[:2], config.speed)  # warm the bare pipeline's G2P too
    print(kokoro.status().detail)
    print(
        f"torch threads {torch.get_num_threads()}; {len(burst)} messages, {share:.0%} of bodies sent before by another"
    )
    totals, ratios, last = alternate(
        kokoro, pipeline, burst, spoken, rounds=args.rounds, cache_mb=args.cache_mb, block=args.block
    )
    worker_rate = args.rounds * len(burst) / totals["worker"][0]
    bare_rate = args.rounds * len(burst) / totals["bare"][0]
    ratio = worker_rate / bare_rate
    print(f"worker: {worker_rate:.3f} msg/s ({totals['worker'][1] / totals['worker'][0]:.2f} audio s per wall s)")
    print(f"bare:   {bare_rate:.3f} msg/s ({totals['bare'][1] / totals['bare'][0]:.2f} audio s per wall s)")
    print(f"ratio worker/bare: {ratio:.3f} overall, median of rounds {statistics.median(ratios):.3f}")
    matching, lowest, wrong = check_whole(kokoro, last)
    print(
        f"whole text: {matching}/{len(last['done'])} messages match a fresh synthesis of what was read "
        f"(same length, lowest chunk similarity {lowest:.4f}, floor {SIMILARITY_FLOOR})"
    )
    for text in wrong:
        print(f"  differs: {text!r}")
    stats = last["stats"]
    results = [
        result("worker_vs_bare_throughput_ratio", ratio, "x", 1.3, ratio >= 1.3),
        result("worker_vs_bare_median_round_ratio", statistics.median(ratios), "x", None, None),
        result("worker_messages_per_second", worker_rate, "msg/s", None, None),
        result("bare_messages_per_second", bare_rate, "msg/s", None, None),
        result("repeated_body_share", share, "fraction", 0.3, share >= 0.3),
        result("reused_line_share", stats.hits / max(1, stats.hits + stats.misses), "fraction", None, None),
        result("messages_matching_fresh_synthesis", matching / len(last["done"]), "fraction", 1.0, not wrong),
    ]
    if args.json is not None:
        args.json.write_text(
            json.dumps({"bench": "raid_burst", "machine": machine(kokoro), "results": results}, indent=2)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
