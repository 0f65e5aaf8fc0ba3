"""Providers of the real app can be swapped for fakes: engine failures show on messages, nothing crashes."""

from __future__ import annotations

from typing import Any

from adapters.memory import FakeSynthesizer
from tests.integration.conftest import settled, wait_until


def test_engine_failure_is_recorded_on_the_message(running_app: Any) -> None:
    """With an engine that refuses one text, that message ends in error with the reason; others are spoken."""
    engine = FakeSynthesizer(fail_on={"forbidden"})
    with running_app(providers={"synthesizer": engine}) as client:
        bad = client.post("/api/tts/add_message", json={"sent_by": "v", "text": "@streamer say the forbidden thing"})
        good = client.post("/api/tts/add_message", json={"sent_by": "v", "text": "@streamer all good"})
        wait_until(lambda: settled(client))
        failed = client.get(f"/api/tts/messages/{bad.json()['id']}").json()
        assert failed["status"] == "error"
        assert "refuses" in failed["error"]
        assert failed["audio_url"] is None
        assert client.get(f"/api/tts/messages/{good.json()['id']}").json()["status"] == "ready"


def test_engine_not_ready_keeps_messages_pending(running_app: Any) -> None:
    """While the engine is not ready, messages wait as pending and /health says degraded; then they are spoken."""
    engine = FakeSynthesizer(ready=False)
    with running_app(providers={"synthesizer": engine}) as client:
        created = client.post("/api/tts/add_message", json={"sent_by": "v", "text": "@streamer patience"}).json()
        health = client.get("/health").json()
        assert (health["status"], health["engine"]["ready"]) == ("degraded", False)
        assert client.get(f"/api/tts/messages/{created['id']}").json()["status"] == "pending"
        engine.ready = True
        wait_until(lambda: client.get(f"/api/tts/messages/{created['id']}").json()["status"] == "ready")
