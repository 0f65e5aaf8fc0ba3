"""Faults on a real ``tts-server serve`` process: audio directory lost and back, SIGTERM and kill -9 mid-synthesis.

Whatever happens, no message is stranded: each ends ``ready`` exactly once, and the files on disk are exactly
the ready messages' files.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any

import pytest

from tests.integration.process import Served, database_rows, database_statuses, serve, wait_for

pytestmark = pytest.mark.slow

LEASE_SECONDS = 5
RECONCILE_SECONDS = 1
EXIT_SECONDS = 20.0


def _texts(count: int, tag: str) -> list[str]:
    return [f"@streamer {tag} message number {i}, with a few more words to say" for i in range(count)]


def _files(audio_dir: Path) -> list[str]:
    """Every name in the audio directory (a probe's short-lived temporary file aside)."""
    return sorted(p.name for p in audio_dir.iterdir() if not p.name.startswith(".probe-"))


def _ready_files(server: Served, ids: list[int]) -> list[str]:
    rows = [m for m in server.messages() if m["id"] in ids]
    assert [m["status"] for m in rows] == ["ready"] * len(ids), [(m["id"], m["status"]) for m in rows]
    return sorted(m["audio_url"].rsplit("/", 1)[1] for m in rows)


def _in_flight(server: Served) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = server.http.get("/api/tts/messages", params={"status": "synthesizing"}).json()[
        "messages"
    ]
    return found


def _replace_by_a_file(audio: Path, away: Path) -> None:
    """Move the directory away and put a plain file in its place (again, if the server recreated it between)."""
    audio.rename(away)
    while True:
        try:
            os.close(os.open(audio, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            return
        except FileExistsError:
            for leftover in audio.iterdir():  # the server made the directory again in between
                leftover.rename(away / leftover.name)
            audio.rmdir()


def _restore(audio: Path, away: Path) -> None:
    """Remove the file and move the directory back (over an empty directory the server may have made)."""
    audio.unlink()
    while True:
        try:
            away.rename(audio)
            return
        except OSError:
            for leftover in audio.iterdir():
                leftover.rename(away / leftover.name)
            audio.rmdir()


def test_an_unusable_audio_directory_pauses_synthesis_and_its_return_resumes_it(tmp_path: Path) -> None:
    """While the audio directory is a plain file: degraded, messages wait (none error, none held past its lease);
    once it is back, without a restart, every message is ready, health is ok, and the files are the ready ones."""
    env = {
        "TTS_TONE_DELAY": "0.3",
        "TTS_SYNTHESIS_LEASE_SECONDS": str(LEASE_SECONDS),
        "TTS_RECONCILE_INTERVAL": str(RECONCILE_SECONDS),
    }
    with serve(tmp_path, **env) as server:
        audio, away = server.audio_dir, tmp_path / "audio.away"
        ids = [server.add(text) for text in _texts(12, "disk")]
        wait_for(lambda: any(s == "ready" for s in server.statuses(ids).values()), "a first ready message")
        _replace_by_a_file(audio, away)
        waiting = [i for i, s in server.statuses(ids).items() if s in ("pending", "synthesizing")]
        assert waiting, "the directory went away with no work left: nothing was tested"

        health: dict[str, Any] = {}

        def degraded_and_paused() -> bool:
            health.update(server.http.get("/health").json())
            return health["status"] == "degraded" and health["worker"]["problem"] is not None

        wait_for(degraded_and_paused, "health degraded and the worker paused")
        assert any(str(audio) in reason for reason in health["reasons"]), health["reasons"]
        assert str(audio) in health["worker"]["problem"]

        # a claim cut short by the disk goes back to pending; none is held past its lease, none is given up
        wait_for(lambda: server.stats()["synthesizing"] == 0, "no claim left", LEASE_SECONDS + 3 * RECONCILE_SECONDS)
        during = server.statuses(ids)
        assert set(during.values()) <= {"pending", "ready"}, during
        assert all(during[i] == "pending" for i in waiting), during
        assert server.http.get("/health").json()["status"] == "degraded"

        _restore(audio, away)
        wait_for(lambda: set(server.statuses(ids).values()) == {"ready"}, "every message ready", 40)
        wait_for(lambda: server.http.get("/health").json()["status"] == "ok", "health ok again")
        assert server.process.poll() is None, "the fault was repaired without a restart"
        wait_for(lambda: _files(audio) == _ready_files(server, ids), "the files being exactly the ready ones", 5)


def test_sigterm_during_synthesis_exits_cleanly_and_strands_nothing(tmp_path: Path) -> None:
    """SIGTERM while a message is synthesized: exit code 0; no row left synthesizing, no partial file; the message
    in flight is either ready with its whole file or pending, and ready after the restart."""
    with serve(tmp_path, TTS_TONE_DELAY="1") as server:
        ids = [server.add(text) for text in _texts(4, "sigterm")]
        wait_for(lambda: bool(_in_flight(server)), "a message being synthesized")
        in_flight = _in_flight(server)[0]["id"]
        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(EXIT_SECONDS) == 0

    rows = database_rows(tmp_path)
    assert database_statuses(tmp_path)["synthesizing"] == 0, rows
    status, ref, size = rows[in_flight]
    assert status in ("ready", "pending"), rows[in_flight]
    for status, ref, size in rows.values():
        if status == "ready":
            assert ref is not None
            assert (tmp_path / "audio" / ref).stat().st_size == size
    assert not [p.name for p in (tmp_path / "audio").iterdir() if p.name.endswith(".part")]

    with serve(tmp_path) as server:
        wait_for(server.quiet, "the queue drained after the restart")
        assert _files(server.audio_dir) == _ready_files(server, ids)


def test_kill_9_during_synthesis_is_repaired_on_restart(tmp_path: Path) -> None:
    """kill -9 while a message is synthesized: after a restart each message is ready exactly once, the files are
    exactly the ready messages' files and the stats equal a recount of the messages."""
    with serve(tmp_path, TTS_TONE_DELAY="1") as server:
        ids = [server.add(text) for text in _texts(5, "kill")]
        wait_for(lambda: bool(_in_flight(server)), "a message being synthesized")
        server.process.send_signal(signal.SIGKILL)
        server.process.wait(EXIT_SECONDS)
    # what the database held at the moment of the kill: the work really was in flight
    assert database_statuses(tmp_path)["synthesizing"] == 1

    with serve(tmp_path, TTS_TONE_DELAY="0.05") as server:
        wait_for(server.quiet, "the queue drained after the restart")
        ready = _ready_files(server, ids)
        assert len(set(ready)) == len(ids)
        assert _files(server.audio_dir) == ready

        stats = server.stats()
        listed = server.messages(queue="mentions")
        counted = {s: sum(m["status"] == s for m in listed) for s in ("pending", "synthesizing", "ready", "playing")}
        assert {k: stats[k] for k in counted} == counted
        assert stats["queue_size"] == counted["pending"] + counted["synthesizing"] + counted["ready"]
        on_disk = sum(m["audio_size_bytes"] for m in listed if m["status"] in ("ready", "playing"))
        assert stats["audio_bytes"] == on_disk == sum((server.audio_dir / f).stat().st_size for f in ready)
