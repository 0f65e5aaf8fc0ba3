"""Playback moves when its owner dies: two real API processes, the owner killed with ``kill -9`` while a message
plays; the other process takes the playback lease and ends the message by its timeout."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Any

import pytest

from tests.integration.fleet import fleet
from tests.integration.process import wait_for
from tests.integration.shared_database import shared_database_url  # noqa: F401  (a fixture)

pytestmark = pytest.mark.slow

OWNS = "now owns playback"
SETTINGS = {
    "TTS_PLAYBACK_LEASE_SECONDS": "2",
    "TTS_PLAYBACK_GRACE_SECONDS": "0",
    "TTS_WORKER_POLL_INTERVAL": "0.05",
    "TTS_EVENT_POLL_INTERVAL": "0.05",
    "TTS_LOG_LEVEL": "INFO",
}
LONG_TEXT = "@streamer " + " ".join(["a message long enough to be still playing when its owner dies"] * 2)


def test_a_message_playing_when_its_owner_dies_is_ended_by_the_next_owner(
    tmp_path: Path,
    shared_database_url: str,  # noqa: F811
) -> None:
    """Only the first API process owns playback; after it is killed the second takes over and the message that
    was playing ends (played) by the new owner's timeout instead of playing forever."""
    with fleet(tmp_path / "fleet", shared_database_url, **SETTINGS) as running:
        first = running.api("api-1")
        owner_log, other_log = running.root / "api-1.log", running.root / "api-2.log"
        wait_for(lambda: OWNS in owner_log.read_text(), "the first API process to own playback")
        second = running.api("api-2")
        running.worker("worker")
        response = second.post("/api/tts/add_message", json={"sent_by": "viewer", "text": LONG_TEXT})
        message_id = int(response.json()["id"])

        def message() -> dict[str, Any]:
            body: dict[str, Any] = second.get(f"/api/tts/messages/{message_id}").json()
            return body

        wait_for(lambda: message()["status"] == "ready", "the message ready")
        assert second.post("/api/tts/play").status_code == 200
        assert message()["status"] == "playing"
        assert message()["duration_seconds"] > 5
        assert OWNS not in other_log.read_text()

        owner = running.processes[0]
        owner.send_signal(signal.SIGKILL)
        assert owner.wait(5) == -signal.SIGKILL
        first.close()
        wait_for(lambda: OWNS in other_log.read_text(), "the second API process to take playback over", timeout=15)
        assert message()["status"] == "playing"  # its time has not run out yet
        wait_for(lambda: message()["status"] == "played", "the message ended by the new owner", timeout=30)
