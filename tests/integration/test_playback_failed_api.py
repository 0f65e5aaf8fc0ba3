"""``POST /api/tts/playback_failed/{id}`` and ``GET /api/tts/rejected`` over real HTTP."""

from __future__ import annotations

from pathlib import Path

from tests.integration.live import live_server, wait_until


def test_a_failed_playback_makes_the_message_ready_again_and_first(tmp_path: Path) -> None:
    """Playing → ready with its audio; Play starts the same message again; an unknown id is 404."""
    with live_server(tmp_path / "data", playback_grace_seconds=600) as server:
        first = server.post_chat("@streamer one")["id"]
        second = server.post_chat("@streamer two")["id"]
        wait_until(lambda: server.message(second)["status"] == "ready", "not synthesized")
        assert server.http.post("/api/tts/play").json()["message"]["id"] == first

        failed = server.http.post(f"/api/tts/playback_failed/{first}", json={"reason": "NotAllowedError"})
        assert failed.status_code == 200
        assert (failed.json()["status"], failed.json()["audio_url"]) == ("ready", f"/audio/{first}.wav")
        assert server.http.post("/api/tts/play").json()["message"]["id"] == first
        assert server.http.post("/api/tts/playback_failed/999", json={}).status_code == 404


def test_rejected_lists_the_messages_not_queued_newest_first(tmp_path: Path) -> None:
    """A chat line without a mention and a !command are listed with their reasons, newest first."""
    with live_server(tmp_path / "data") as server:
        for text in ("just chatting", "!lurk"):
            response = server.http.post("/api/tts/add_message", json={"sent_by": "viewer", "text": text})
            assert response.json()["queued"] is False
        body = server.http.get("/api/tts/rejected").json()
        assert body["count"] == 2
        assert [m["text"] for m in body["messages"]] == ["!lurk", "just chatting"]
        assert body["messages"][0]["reason"] == "command"
        assert body["messages"][1]["reason"] == "no_mention"
