"""Server memory (RSS) over 1,000 chat-like messages through the worker and ``/v1/audio/speech`` (real Kokoro).

    PYTHONPATH=src:. .venv/bin/python bench/memory_flat.py --model-dir ~/.cache/tts-kokoro-offline \
        [--messages 1000] [--every 100] [--json OUT]

Starts the real server (``tts-server serve``: uvicorn on loopback, its own database and audio directory), waits for
the engine, warms up (a few messages each way), then sends chat-like lines of varied length and words: every
other one is queued through ``POST /api/tts/add_message`` (mentions and bits, drained by the worker) and the others
are asked of ``POST /v1/audio/speech`` (some streamed) while the worker runs, as on a stream with an OpenAI client
beside the chat. The server process's resident memory is read after warm-up, every ``--every`` messages (with the
worker's queue drained) and at the end. Target: end ≤ 1.2× warm.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from bench.results import result, write_json

TARGET_RATIO = 1.2
READY_TIMEOUT = 900
USERNAME = "streamer"
WORDS = (  # noqa: SIM905 - a sentence reads better than a list of 95 strings
    "gg hype lets go that was insane clutch play nice shot pog chat is wild today thanks for the stream "
    "love this song what game is next can you do a challenge run my cat says hi first time here long time lurker "
    "how many hours streamed already drink water please big raid incoming welcome everyone happy birthday mods "
    "boss fight secret room waterfall keyboard sounds amazing new overlay looks clean who made it tomorrow again "
    "five hundred bits for the best streamer ever cheer sub train no way he did it again one more try"
).split()
SPEECH_VOICES = ("af_heart", "am_adam", "am_adam50_am_michael50", "af_heart70_am_michael30")
DONE = {"ready", "playing", "played", "error", "deleted"}


def chat_line(rng: random.Random) -> str:
    """A short chat line of 2 to 14 words, sometimes with a number or an exclamation."""
    words = [rng.choice(WORDS) for _ in range(rng.randint(2, 14))]
    if rng.random() < 0.2:
        words.insert(rng.randrange(len(words)), str(rng.randint(2, 999)))
    return " ".join(words).capitalize() + rng.choice((".", "!", "?", "", "!!"))


def resident_bytes(pid: int) -> int:
    """The process's resident set size (Linux ``/proc``)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def server(args: argparse.Namespace, workdir: Path) -> Iterator[tuple[subprocess.Popen[bytes], httpx.Client]]:
    """``tts-server serve`` in a child process; yields it and a client once its engine is ready."""
    port = free_port()
    env = dict(os.environ)
    env.update(
        TTS_USERNAME=USERNAME,
        TTS_KOKORO_MODEL_DIR=str(args.model_dir),
        TTS_DATABASE_URL=f"sqlite:///{workdir / 'tts.db'}",
        TTS_AUDIO_DIR=str(workdir / "audio"),
        TTS_DEVICE=args.device,
        TTS_LOG_LEVEL="WARNING",
        TTS_SPEECH_WAIT_SECONDS="600",
    )
    if args.threads is not None:
        env["TTS_CPU_THREADS"] = str(args.threads)
    for item in args.server_env:
        name, _, value = item.partition("=")
        env[name] = value
    command = [sys.executable, "-m", "entrypoints.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(command, env=env, cwd=workdir)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=600, trust_env=False) as http:
            deadline = time.monotonic() + READY_TIMEOUT
            while True:
                if process.poll() is not None:
                    raise SystemExit(f"the server exited with code {process.returncode}")
                try:
                    if http.get("/health").json()["engine"]["ready"]:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise SystemExit(f"the engine was not ready within {READY_TIMEOUT} s")
                time.sleep(0.5)
            yield process, http
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()


class Load:
    """Sends the messages: odd ones to the worker's queues, even ones to the speech endpoint."""

    def __init__(self, http: httpx.Client, rng: random.Random) -> None:
        self.http, self.rng = http, rng
        self.pending: list[int] = []
        self.sent = 0
        self.audio_bytes = 0

    def one(self) -> None:
        text = chat_line(self.rng)
        if self.sent % 2 == 0:
            self._queue(text)
        else:
            self._speech(text)
        self.sent += 1

    def _queue(self, text: str) -> None:
        viewer = f"viewer{self.rng.randrange(40)}"
        if self.rng.random() < 0.5:
            body: dict[str, object] = {"sent_by": viewer, "text": f"@{USERNAME} {text}", "message_type": "mention"}
        else:
            body = {"sent_by": viewer, "text": text, "message_type": "bits", "bits_amount": self.rng.choice((1, 100))}
        answer = self.http.post("/api/tts/add_message", json=body)
        answer.raise_for_status()
        if answer.status_code == 201:
            self.pending.append(int(answer.json()["id"]))

    def _speech(self, text: str) -> None:
        body = {
            "model": "kokoro",
            "input": text,
            "voice": self.rng.choice(SPEECH_VOICES),
            "response_format": "wav",
            "stream": self.rng.random() < 0.3,
        }
        with self.http.stream("POST", "/v1/audio/speech", json=body) as answer:
            answer.raise_for_status()
            self.audio_bytes += sum(len(piece) for piece in answer.iter_raw())

    def drain(self, timeout: float = 900) -> None:
        """Wait until the worker has finished every queued message."""
        deadline = time.monotonic() + timeout
        while self.pending:
            status = self.http.get(f"/api/tts/messages/{self.pending[0]}").json()["status"]
            if status in DONE:
                self.pending.pop(0)
                continue
            if time.monotonic() > deadline:
                raise SystemExit(f"message {self.pending[0]} still {status} after {timeout:.0f} s")
            time.sleep(0.2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--model-dir", type=Path, default=os.environ.get("TTS_TEST_KOKORO_MODEL_DIR"))
    parser.add_argument("--messages", type=int, default=1000, help="messages after warm-up (half each way)")
    parser.add_argument("--every", type=int, default=100, help="read the memory every N messages")
    parser.add_argument("--warmup", type=int, default=20, help="messages before the warm figure")
    parser.add_argument("--threads", type=int, default=None, help="TTS_CPU_THREADS for the server")
    parser.add_argument("--device", choices=["auto", "cuda", "cpu"], default="cpu")
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--server-env", action="append", default=[], metavar="NAME=VALUE", help="extra server env")
    parser.add_argument("--json", type=Path, default=None, metavar="OUT", help="write the results as JSON")
    args = parser.parse_args()
    if args.model_dir is None:
        parser.error("--model-dir (or TTS_TEST_KOKORO_MODEL_DIR) is required")
    args.model_dir = Path(args.model_dir).expanduser().resolve()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the server too when this bench is stopped
    with tempfile.TemporaryDirectory(prefix="tts-memory-") as tmp, server(args, Path(tmp)) as (process, http):
        load = Load(http, random.Random(args.seed))
        loaded = resident_bytes(process.pid)
        started = time.perf_counter()
        for _ in range(args.warmup):
            load.one()
        load.drain()
        load.sent = 0
        warm = resident_bytes(process.pid)
        print(f"loaded {loaded / 1e9:.2f} GB, warm after {args.warmup} messages {warm / 1e9:.2f} GB")
        peak = warm
        rows = [result("rss_loaded", loaded, "bytes"), result("rss_warm", warm, "bytes")]
        while load.sent < args.messages:
            load.one()
            if load.sent % 10 == 0:
                load.drain()  # keep the worker's queue short, as in a chat that is read as it comes
            if load.sent % args.every == 0 or load.sent == args.messages:
                load.drain()
                rss = resident_bytes(process.pid)
                peak = max(peak, rss)
                elapsed = time.perf_counter() - started
                print(f"{load.sent:5d} messages: {rss / 1e9:.2f} GB = {rss / warm:.2f}x warm ({elapsed:.0f} s)")
                rows.append(result(f"rss_after_{load.sent}", rss, "bytes"))
        end = resident_bytes(process.pid)
    ratio = end / warm
    met = ratio <= TARGET_RATIO
    print(f"end/warm: {ratio:.2f}x (target <= {TARGET_RATIO}x: {'met' if met else 'MISSED'}), peak {peak / 1e9:.2f} GB")
    rows += [
        result("rss_end", end, "bytes"),
        result("rss_peak", peak, "bytes"),
        result("rss_end_over_warm", round(ratio, 3), "x", target=f"<= {TARGET_RATIO}x warm", met=met),
        result("messages", args.messages, "messages"),
    ]
    write_json(args.json, "memory_flat", rows, device=args.device)
    return 0


if __name__ == "__main__":
    sys.exit(main())
