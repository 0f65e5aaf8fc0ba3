"""Ingest on a real server: ``tts-server serve`` (tone engine, worker running) against a bare Litestar + SQLite handler.

Usage: ``PYTHONPATH=src:. python bench/ingest_vs_bare.py [--rounds 3] [--seconds 8] [--quick] [--json OUT]``.

Every measurement starts a fresh server process on loopback (so a backlog left by one cannot slow the next) and the
rounds alternate the order of the sides. Load: Debian's ``wrk`` (16 connections, ``bench/add_message.lua``) for
throughput and p99, an open-loop asyncio client for a fixed rate, and one WebSocket connection sending the
``add_message`` command (a window of commands in flight, like an App forwarding a busy chat). See ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from websockets.asyncio.client import connect

from bench.machine import describe

ROOT = Path(__file__).resolve().parent.parent
LUA = ROOT / "bench" / "add_message.lua"
WRK = shutil.which("wrk") or "/usr/bin/wrk"
CONNECTIONS = 16
Sample = dict[str, float]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


SOURCE = [ROOT / "src"]
"""The ``src`` directory our server runs from (``--src`` measures another checkout, e.g. main before a change)."""


@contextmanager
def server(side: str, data: Path) -> Iterator[str]:
    """Run ``side`` (``ours`` or ``bare``) with its data under ``data``; yields the base URL."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TTS_")}
    env["PYTHONPATH"] = os.pathsep.join([str(SOURCE[0]), str(ROOT)])
    if side == "ours":
        env |= {
            "TTS_USERNAME": "streamer",
            "TTS_ENGINE": "tone",
            "TTS_DATABASE_URL": f"sqlite:///{data / 'tts.db'}",
            "TTS_AUDIO_DIR": str(data / "audio"),
        }
        command = [sys.executable, "-m", "entrypoints.cli", "serve", "--port", str(port)]
    else:
        command = [sys.executable, str(ROOT / "bench" / "bare_ingest_app.py"), "--port", str(port)]
        command += ["--db", str(data / "bare.db")]
    url = f"http://127.0.0.1:{port}"
    with (data / f"{side}.log").open("ab") as log:
        process = subprocess.Popen(command, env=env, cwd=data, stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 60
        while not _answers(url, side):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{side} server did not start: {(data / f'{side}.log').read_text()[-2000:]}")
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _answers(url: str, side: str) -> bool:
    try:
        if side == "ours":
            return httpx.get(f"{url}/health", timeout=2, trust_env=False).status_code == 200
        body = {"sent_by": "warmup", "text": "@streamer warm up"}
        return httpx.post(f"{url}/api/tts/add_message", json=body, timeout=2, trust_env=False).status_code == 201
    except httpx.TransportError:
        return False


def wrk(url: str, seconds: float, mode: str, connections: int = CONNECTIONS) -> Sample:
    """Requests per second and latency percentiles (ms) of a closed-loop ``wrk`` run."""
    threads = min(2, connections)
    command = [WRK, f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", "--latency", "-s", str(LUA), url]
    result = subprocess.run(command, env={**os.environ, "WRK_MODE": mode}, capture_output=True, text=True, check=True)
    line = next(line for line in result.stdout.splitlines() if line.startswith("JSON "))
    summary = json.loads(line[5:])
    if summary["non2xx"] or summary["errors"]:
        print(f"  warning: {summary['non2xx']} non-2xx answers, {summary['errors']} socket errors", file=sys.stderr)
    return {
        "rps": summary["requests"] / (summary["duration_us"] / 1e6),
        "p50_ms": summary["p50_us"] / 1000,
        "p99_ms": summary["p99_us"] / 1000,
    }


async def _open_loop(url: str, rate: float, seconds: float) -> Sample:
    """Send at fixed times regardless of answers; latency counts from the planned send time (no coordinated
    omission)."""
    count = int(rate * seconds)
    latencies: list[float] = []
    limits = httpx.Limits(max_connections=32, max_keepalive_connections=32)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=10, trust_env=False) as client:

        async def one(i: int, planned: float) -> None:
            body = {"sent_by": f"steady{i % 500}", "text": f"@streamer steady chat line {i}"}
            response = await client.post("/api/tts/add_message", json=body)
            response.raise_for_status()
            latencies.append(time.perf_counter() - planned)

        for i in range(20):  # open the connections and warm the path before the clock starts
            await one(-i - 1, time.perf_counter())
        latencies.clear()
        start = time.perf_counter()
        tasks = []
        for i in range(count):
            planned = start + i / rate
            await asyncio.sleep(max(0.0, planned - time.perf_counter()))
            tasks.append(asyncio.create_task(one(i, planned)))
        await asyncio.gather(*tasks)
    ordered = sorted(latencies)
    return {
        "p50_ms": statistics.median(ordered) * 1000,
        "p99_ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000,
    }


def open_loop(url: str, rate: float, seconds: float) -> Sample:
    return asyncio.run(_open_loop(url, rate, seconds))


async def _websocket(url: str, count: int, window: int) -> Sample:
    """Messages per second through one WebSocket: ``add_message`` commands with up to ``window`` unanswered."""
    answered = 0
    done = asyncio.Event()
    free = asyncio.Semaphore(window)
    async with connect(url.replace("http://", "ws://") + "/api/tts/ws", max_size=None) as socket_:
        json.loads(await socket_.recv())  # the snapshot

        async def read() -> None:
            nonlocal answered
            async for raw in socket_:
                frame = json.loads(raw)
                if frame.get("type") in ("ok", "error") and frame.get("command") == "add_message":
                    if frame["type"] == "error":
                        raise RuntimeError(frame)
                    answered += 1
                    free.release()
                    if answered == count:
                        done.set()
                        return

        reader = asyncio.create_task(read())
        start = time.perf_counter()
        for i in range(count):
            await free.acquire()
            command = {"type": "add_message", "request_id": i, "sent_by": f"ws{i}", "text": f"@streamer ws line {i}"}
            await socket_.send(json.dumps(command))
        await asyncio.wait_for(done.wait(), 120)
        elapsed = time.perf_counter() - start
        reader.cancel()
    return {"rps": count / elapsed}


def websocket(url: str, seconds: float) -> Sample:
    asyncio.run(_websocket(url, 200, 32))  # warm-up
    probe = asyncio.run(_websocket(url, 500, 32))
    return asyncio.run(_websocket(url, max(500, int(probe["rps"] * seconds)), 32))


def prefill(template: Path, rows: int) -> None:
    """A migrated database holding ``rows`` played messages (a long stream's history)."""
    from adapters.sql import create_sql_engine, upgrade_to_head

    engine = create_sql_engine(f"sqlite:///{template}")
    upgrade_to_head(engine)
    engine.dispose()
    start = datetime.now(UTC) - timedelta(hours=8)
    with sqlite3.connect(template) as db:
        db.executemany(
            "INSERT INTO message (queue, sent_by, text, spoken_text, status, created_at, ready_at, played_at,"
            " sender, attempts, failures, is_moderator, skipped)"
            " VALUES ('mentions', ?, ?, ?, 'played', ?, ?, ?, ?, 1, 0, 0, 0)",
            (
                (
                    f"viewer{i % 3000}",
                    f"@streamer chat line {i}",
                    f"viewer {i % 3000} says: chat line {i}",
                    (when := (start + timedelta(seconds=i * 0.25)).isoformat(sep=" ")),
                    when,
                    when,
                    f"viewer{i % 3000}",
                )
                for i in range(rows)
            ),
        )
        db.execute("UPDATE queue_counter SET played = played + ? WHERE queue = 'mentions'", (rows,))


Measure = Callable[[str], Sample]


def measure(side: str, root: Path, run: Measure, template: Path | None = None) -> Sample:
    data = Path(tempfile.mkdtemp(dir=root))
    if template is not None:
        shutil.copy(template, data / "tts.db")
    try:
        with server(side, data) as url:
            return run(url)
    finally:
        shutil.rmtree(data, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=8.0, help="length of each wrk run")
    parser.add_argument("--rate", type=float, default=50.0, help="open-loop rate (messages/s)")
    parser.add_argument("--steady-seconds", type=float, default=20.0)
    parser.add_argument("--rows", type=int, default=100_000, help="history rows for the full-database scenario")
    parser.add_argument("--quick", action="store_true", help="1 round, 3 s runs, 6 s open loop, 20,000 rows")
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--src", type=Path, default=SOURCE[0], help="run our server from this src directory")
    args = parser.parse_args()
    SOURCE[0] = args.src.resolve()
    if args.quick:
        args.rounds, args.seconds, args.steady_seconds, args.rows = 1, 3.0, 6.0, 20_000
    seconds = args.seconds

    def warm_then(mode: str) -> Measure:
        def run(url: str) -> Sample:
            wrk(url, 1, mode)
            return wrk(url, seconds, mode)

        return run

    with tempfile.TemporaryDirectory(prefix="ingest-bench-") as directory:
        root = Path(directory)
        template = root / "history.db"
        prefill(template, args.rows)
        scenarios: list[tuple[str, str, Measure, Path | None]] = [
            ("ours mentions", "ours", warm_then("mention"), None),
            ("bare mentions", "bare", warm_then("mention"), None),
            ("ours plain", "ours", warm_then("plain"), None),
            ("ours full db", "ours", warm_then("mention"), template),
            ("ours websocket", "ours", lambda url: websocket(url, seconds), None),
            ("ours steady", "ours", lambda url: open_loop(url, args.rate, args.steady_seconds), None),
            ("bare steady", "bare", lambda url: open_loop(url, args.rate, args.steady_seconds), None),
        ]
        samples: dict[str, list[Sample]] = {name: [] for name, *_ in scenarios}
        for round_ in range(args.rounds):
            order = scenarios if round_ % 2 == 0 else scenarios[::-1]
            for name, side, run, db in order:
                sample = measure(side, root, run, db)
                samples[name].append(sample)
                shown = ", ".join(f"{key} {value:8.1f}" for key, value in sample.items())
                print(f"round {round_ + 1} {name:15s}: {shown}", flush=True)
    results = summarize(samples, args.rate, args.rows)
    print_results(results)
    if args.json:
        args.json.write_text(json.dumps({"bench": "ingest", "machine": describe(), "results": results}, indent=2))


def _median(samples: list[Sample], key: str) -> float:
    return statistics.median(sample[key] for sample in samples)


def _ratio(samples: dict[str, list[Sample]], top: str, bottom: str, key: str = "rps") -> float:
    """The median of the per-round ratios (both sides of a round ran minutes apart at most)."""
    return statistics.median(a[key] / b[key] for a, b in zip(samples[top], samples[bottom], strict=True))


def _result(metric: str, value: float, unit: str, target: str | None = None, met: bool | None = None) -> dict[str, Any]:
    return {"metric": metric, "value": round(value, 3), "unit": unit, "target": target, "met": met}


def summarize(samples: dict[str, list[Sample]], rate: float, rows: int) -> list[dict[str, Any]]:
    mentions = _ratio(samples, "ours mentions", "bare mentions")
    plain = _ratio(samples, "ours plain", "bare mentions")
    full = _ratio(samples, "ours full db", "ours mentions")
    ws = _ratio(samples, "ours websocket", "ours mentions")
    p99 = _median(samples["ours mentions"], "p99_ms")
    steady = _median(samples["ours steady"], "p99_ms")
    return [
        _result("HTTP ingest, mentions, 16 connections: ours", _median(samples["ours mentions"], "rps"), "req/s"),
        _result("HTTP ingest, mentions, 16 connections: bare", _median(samples["bare mentions"], "rps"), "req/s"),
        _result("HTTP ingest, mentions: ours / bare", mentions, "x", "≥ 0.5", mentions >= 0.5),
        _result("HTTP ingest, mentions, 16 connections: ours p99", p99, "ms", "≤ 20", p99 <= 20),
        _result("HTTP ingest, mentions, 16 connections: bare p99", _median(samples["bare mentions"], "p99_ms"), "ms"),
        _result("HTTP ingest, plain chat: ours", _median(samples["ours plain"], "rps"), "req/s"),
        _result("HTTP ingest, plain chat: ours / bare", plain, "x", "≥ 0.8", plain >= 0.8),
        _result(f"steady {rate:g} mentions/s: add_message p50", _median(samples["ours steady"], "p50_ms"), "ms"),
        _result(f"steady {rate:g} mentions/s: add_message p99", steady, "ms", "≤ 10", steady <= 10),
        _result(f"steady {rate:g} mentions/s: bare p99", _median(samples["bare steady"], "p99_ms"), "ms"),
        _result(f"HTTP ingest with {rows:,} rows: ours", _median(samples["ours full db"], "rps"), "req/s"),
        _result(f"HTTP ingest with {rows:,} rows / empty", full, "x", "≥ 0.9", full >= 0.9),
        _result("WebSocket ingest, one connection: ours", _median(samples["ours websocket"], "rps"), "msg/s"),
        _result("WebSocket ingest (1 connection) / HTTP (16)", ws, "x", "≥ 2", ws >= 2),
    ]


def print_results(results: list[dict[str, Any]]) -> None:
    print("\n| metric | value | target | met |\n|---|---|---|---|")
    for row in results:
        met = "" if row["met"] is None else ("yes" if row["met"] else "**no**")
        print(f"| {row['metric']} | {row['value']:,.2f} {row['unit']} | {row['target'] or ''} | {met} |")


if __name__ == "__main__":
    main()
