"""The scale-out proof: one API process (``--no-worker``) and three ``worker`` processes on one database and one
audio directory; a worker killed with ``kill -9`` mid-job loses nothing; three workers are faster than one."""

from __future__ import annotations

import signal
import subprocess
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, create_engine, text

from tests.integration.fleet import Fleet, Listener, fleet
from tests.integration.process import wait_for
from tests.integration.shared_database import shared_database_url  # noqa: F401  (a fixture)

pytestmark = pytest.mark.slow

DELAY = 0.5
"""Seconds the tone engine takes per message (``TTS_TONE_DELAY``)."""
BURST = 60
SPEED_BURST_MANY, SPEED_BURST_ONE = 30, 10
LEASE_SECONDS = 5
SETTINGS = {
    "TTS_TONE_DELAY": str(DELAY),
    "TTS_WORKER_POLL_INTERVAL": "0.05",
    "TTS_EVENT_POLL_INTERVAL": "0.05",
    "TTS_SYNTHESIS_LEASE_SECONDS": str(LEASE_SECONDS),
    "TTS_RECONCILE_INTERVAL": "1",
    "TTS_LOUDNESS_LUFS": "off",  # the machine's few cores go to the processes under test, not to levelling
    "TTS_LOG_LEVEL": "WARNING",
}


_engines: dict[str, Engine] = {}


def rows(database_url: str) -> dict[int, tuple[str, str | None, int, int]]:
    """Each message's (status, audio_ref, attempts, failures), read from the shared database."""
    engine = _engines.get(database_url) or _engines.setdefault(database_url, create_engine(database_url))
    with engine.connect() as connection:
        query = text("SELECT id, status, audio_ref, attempts, failures FROM message")
        return {row[0]: (row[1], row[2], row[3], row[4]) for row in connection.execute(query)}


def until(condition: Callable[[], bool], what: str, timeout: float = 120.0) -> None:
    """Like ``wait_for``, but looking every 0.1 s: the database reads must not take the workers' CPU."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out after {timeout} s waiting for {what}"
        time.sleep(0.1)


def post_burst(http: httpx.Client, count: int, label: str) -> list[int]:
    ids = []
    for number in range(count):
        response = http.post(
            "/api/tts/add_message", json={"sent_by": "viewer", "text": f"@streamer {label} message {number}"}
        )
        assert response.status_code == 201, response.text
        ids.append(int(response.json()["id"]))
    return ids


def all_ready(database_url: str, ids: list[int]) -> bool:
    found = rows(database_url)
    return all(found[i][0] == "ready" for i in ids)


def rate(database_url: str, http: httpx.Client, count: int, label: str) -> float:
    """Messages made ready per second for a burst of ``count``, from the first post to the last ready."""
    started = time.monotonic()
    ids = post_burst(http, count, label)
    until(lambda: all_ready(database_url, ids), f"{label}: {count} messages ready")
    return count / (time.monotonic() - started)


def synthesizing(database_url: str) -> int:
    return sum(1 for status, *_ in rows(database_url).values() if status == "synthesizing")


def test_three_workers_share_a_burst_and_survive_a_kill(tmp_path: Path, shared_database_url: str) -> None:  # noqa: F811
    """Every message ready exactly once (one live file each, served by the API), the API's WebSocket sees every
    process's events in seq order with no gap, a killed worker's message is taken over, and three workers make
    audio at least 2.5× as fast as one."""
    url = shared_database_url
    with fleet(tmp_path / "fleet", url, **SETTINGS) as running:
        http = running.api()
        workers = [running.worker(f"worker-{n}") for n in range(3)]
        listener = Listener(http)
        warm_up = post_burst(http, 3, "warm-up")  # first messages pay for lazy imports: not part of the measure
        until(lambda: all_ready(url, warm_up), "the warm-up messages ready")
        many = rate(url, http, SPEED_BURST_MANY, "speed-many")

        ids = post_burst(http, BURST, "burst")
        # each worker holds at most one claim: with three claims out, every worker is mid-job
        until(lambda: synthesizing(url) == 3, "all three workers mid-job", timeout=30)
        victim = workers.pop()
        victim.send_signal(signal.SIGKILL)
        assert victim.wait(5) == -signal.SIGKILL
        until(lambda: all_ready(url, ids), "the burst ready")
        _check_burst(running, http, listener, url, ids)

        workers.pop().send_signal(signal.SIGTERM)  # a clean stop: exit 0
        assert workers[0].poll() is None
        one = rate(url, http, SPEED_BURST_ONE, "speed-one")
        assert many >= 2.5 * one, f"three workers: {many:.2f} messages/s, one: {one:.2f} messages/s"
        _check_graceful_stop(running, http, workers[0], url)
        listener.close()
    for engine in _engines.values():
        engine.dispose()
    _engines.clear()


def _check_burst(running: Fleet, http: httpx.Client, listener: Listener, url: str, ids: list[int]) -> None:
    found = rows(url)
    taken_over = [i for i in ids if found[i][3] >= 1]
    assert taken_over, "no message of the burst was taken back from the killed worker"
    assert all(found[i][1] is not None for i in ids)
    live_refs = {found[i][1] for i in ids}
    assert len(live_refs) == BURST  # one file per message
    # the reconcile pass deletes whatever the killed worker left: one file per live message, nothing else
    every_live = {ref for status, ref, *_ in found.values() if status == "ready"}
    # (a temporary ``.part`` file the victim may have left is swept only when it is old: it could be a live write)
    wait_for(lambda: _wav_files(running.audio_dir) == every_live, "only live files on disk")
    for i in ids:
        response = http.get(f"/audio/{found[i][1]}")
        assert response.status_code == 200 and response.content[:4] == b"RIFF"

    wait_for(lambda: {f["message"]["id"] for f in listener.of_type("message_ready")} >= set(ids), "every ready frame")
    frames = list(listener.frames)
    seqs = [f["seq"] for f in frames if "seq" in f]
    start = listener.snapshot["seq"]
    assert seqs == list(range(start + 1, start + 1 + len(seqs))), "events out of order, repeated or missing"
    ready = Counter(f["message"]["id"] for f in frames if f["type"] == "message_ready")
    assert all(ready[i] == 1 for i in ids), "a message was made ready twice"


def _wav_files(directory: Path) -> set[str]:
    return {path.name for path in directory.iterdir() if not path.name.startswith(".")}


def _check_graceful_stop(running: Fleet, http: httpx.Client, worker: subprocess.Popen[bytes], url: str) -> None:
    """SIGTERM mid-job: the worker finishes its message (no take-back needed) and exits 0."""
    (last,) = post_burst(http, 1, "last")
    wait_for(lambda: rows(url)[last][0] == "synthesizing", "the last message claimed")
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(LEASE_SECONDS * 2) == 0
    status, ref, attempts, failures = rows(url)[last]
    assert (status, attempts, failures) == ("ready", 1, 0)
    assert (running.audio_dir / str(ref)).exists()
