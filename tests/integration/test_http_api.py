"""The seed-compatible HTTP API on the real app, real SQLite, real files and the tone engine."""

from __future__ import annotations

import resource
from pathlib import Path
from typing import Any

import pytest

from tests.integration.conftest import settled, wait_until

API = "/api/tts"


def post_chat(client: Any, text: str, **extra: Any) -> Any:
    return client.post(f"{API}/add_message", json={"sent_by": "viewer", "text": text, **extra})


def test_message_lifecycle_post_ready_play_played(running_app: Any, data_dir: Path) -> None:
    """A posted mention becomes a WAV, plays, and once played its file is gone but its row stays."""
    with running_app() as client:
        created = post_chat(client, "hey @streamer how is the run going")
        assert created.status_code == 201
        body = created.json()
        assert (body["queued"], body["queue"], body["status"]) == (True, "mentions", "pending")
        message_id = body["id"]
        wait_until(lambda: client.get(f"{API}/messages/{message_id}").json()["status"] == "ready")
        stats = client.get(f"{API}/active_queue_stats").json()
        assert (stats["queue_size"], stats["ready"], stats["active_queue"]) == (1, 1, "mentions")
        wav = data_dir / "audio" / f"{message_id}.wav"
        assert stats["mentions_audio_bytes"] == wav.stat().st_size

        played = client.post(f"{API}/play_next")
        assert played.status_code == 200
        assert played.json()["status"] == "playing"
        audio = client.get(played.json()["audio_url"])
        assert audio.status_code == 200
        assert audio.headers["content-type"] == "audio/wav"
        assert audio.content[:4] == b"RIFF"

        done = client.post(f"{API}/mark_played/{message_id}")
        assert done.json()["status"] == "played"
        assert not wav.exists()
        assert client.get(played.json()["audio_url"]).status_code == 404
        row = client.get(f"{API}/messages/{message_id}").json()
        assert row["played_at"] is not None
        assert row["audio_url"] is None
        assert client.post(f"{API}/play_next").status_code == 204


def test_not_a_mention_is_not_queued(running_app: Any) -> None:
    """Ordinary chat gets 200 queued:false with the reason; nothing is stored."""
    with running_app() as client:
        response = post_chat(client, "just chatting @streamer_fan")
        assert response.status_code == 200
        assert response.json()["queued"] is False
        assert response.json()["reason"] == "no_mention"
        assert client.get(f"{API}/messages").json()["count"] == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"sent_by": "v", "text": 5}, "text"),
        ({"sent_by": "v"}, "text"),
        ({"text": "@streamer hi"}, "sent_by"),
        ({"sent_by": "v", "text": "hi", "message_type": "shout"}, "message_type"),
        ({"sent_by": "v", "text": "hi", "message_type": "bits"}, "bits_amount"),
        ({"sent_by": "v", "text": "hi", "message_type": "bits", "bits_amount": 0}, "bits_amount"),
        ({"sent_by": "v", "text": "hi", "message_type": "bits", "bits_amount": "many"}, "bits_amount"),
        ({"sent_by": "v", "text": "   "}, "text"),
    ],
)
def test_bad_input_is_400_naming_the_field(running_app: Any, body: dict[str, Any], field: str) -> None:
    """Bad bodies get 400 with the field named, and nothing is queued."""
    with running_app() as client:
        response = client.post(f"{API}/add_message", json=body)
        assert response.status_code == 400
        assert response.json()["field"] == field
        assert field in response.json()["detail"]
        assert client.get(f"{API}/messages").json()["count"] == 0


def test_malformed_json_is_400(running_app: Any) -> None:
    """A body that is not JSON is a client error, not a crash."""
    with running_app() as client:
        response = client.post(f"{API}/add_message", content=b"{not json", headers={"content-type": "application/json"})
        assert response.status_code == 400


def test_mark_played_unknown_is_404_and_wrong_state_is_409(running_app: Any) -> None:
    """Unknown ids are 404; a message that is not playing is 409 with its status."""
    with running_app() as client:
        assert client.post(f"{API}/mark_played/4242").status_code == 404
        message_id = post_chat(client, "@streamer hi").json()["id"]
        wait_until(lambda: settled(client))
        conflict = client.post(f"{API}/mark_played/{message_id}")
        assert conflict.status_code == 409
        assert conflict.json()["current_status"] == "ready"
        assert client.get(f"{API}/messages/4242").status_code == 404


def test_clear_soft_deletes_with_files_removed(running_app: Any, data_dir: Path) -> None:
    """Clear removes the active queue's waiting messages and files; rows stay with reason and time."""
    with running_app() as client:
        ids = [post_chat(client, f"@streamer message {i}").json()["id"] for i in range(3)]
        bits = post_chat(client, "cheer", message_type="bits", bits_amount=100).json()["id"]
        wait_until(lambda: settled(client))
        assert len(list((data_dir / "audio").glob("*.wav"))) == 4
        cleared = client.post(f"{API}/clear_active_queue").json()
        assert (cleared["queue"], cleared["cleared"]) == ("mentions", 3)
        for message_id in ids:
            row = client.get(f"{API}/messages/{message_id}").json()
            assert (row["status"], row["deletion_reason"]) == ("deleted", "cleared")
            assert row["deleted_at"] is not None
            assert not (data_dir / "audio" / f"{message_id}.wav").exists()
        assert (data_dir / "audio" / f"{bits}.wav").exists()
        assert client.get(f"{API}/active_queue_stats").json()["queue_size"] == 0


def test_eviction_with_tiny_budget(running_app: Any, data_dir: Path) -> None:
    """With a 0.25 MiB budget the oldest ready mentions are evicted and the budget holds."""
    budget = int(0.25 * 1024 * 1024)
    with running_app(mentions_audio_budget_mb=0.25) as client:
        ids = [
            post_chat(client, f"@streamer this is chat message number {i} with some words").json()["id"]
            for i in range(8)
        ]
        wait_until(lambda: settled(client))
        rows = [client.get(f"{API}/messages/{i}").json() for i in ids]
        evicted = [r["id"] for r in rows if r["status"] == "deleted"]
        kept = [r["id"] for r in rows if r["status"] == "ready"]
        assert evicted
        assert evicted == ids[: len(evicted)]
        assert kept == ids[len(evicted) :]
        assert all(r["deletion_reason"] == "evicted" for r in rows if r["status"] == "deleted")
        on_disk = sum(p.stat().st_size for p in (data_dir / "audio").glob("*.wav"))
        stats = client.get(f"{API}/active_queue_stats").json()
        assert stats["mentions_audio_bytes"] == on_disk <= budget
        assert stats["mentions_audio_budget_bytes"] == budget


def test_switch_queue_survives_restart(running_app: Any) -> None:
    """The active queue is persisted: after a restart bits are still active."""
    with running_app() as client:
        assert client.post(f"{API}/switch_active_queue", json={"queue_type": "bits"}).json() == {"active_queue": "bits"}
        bad = client.post(f"{API}/switch_active_queue", json={"queue_type": "everything"})
        assert bad.status_code == 400
        assert bad.json()["field"] == "queue_type"
    with running_app() as client:
        assert client.get(f"{API}/active_queue_stats").json()["active_queue"] == "bits"


def test_messages_survive_restart(running_app: Any) -> None:
    """Queued and ready messages are still there, with their audio, after a restart."""
    with running_app() as client:
        first = post_chat(client, "@streamer remember me").json()["id"]
        wait_until(lambda: settled(client))
    with running_app() as client:
        row = client.get(f"{API}/messages/{first}").json()
        assert row["status"] == "ready"
        assert client.get(row["audio_url"]).status_code == 200
        assert client.get(f"{API}/active_queue_stats").json()["queue_size"] == 1


def test_autoplay_toggle_and_config(running_app: Any) -> None:
    """Autoplay start/stop answer the toggle; config shows settings and no secrets."""
    with running_app(autoplay_cooldown=3) as client:
        assert client.post(f"{API}/autoplay/start").json() == {"autoplay": True}
        assert client.get(f"{API}/active_queue_stats").json()["autoplay"] is True
        assert client.post(f"{API}/autoplay/stop").json() == {"autoplay": False}
        config = client.get(f"{API}/config").json()
        assert config["username"] == "streamer"
        assert config["autoplay_cooldown"] == 3
        assert config["engine"] == "tone"
        assert config["mentions_audio_budget_bytes"] == 200 * 1024 * 1024


def test_messages_listing_filters(running_app: Any) -> None:
    """Listing filters by queue and status; a bad filter is a 400."""
    with running_app() as client:
        post_chat(client, "@streamer a")
        post_chat(client, "cheer", message_type="bits", bits_amount=5)
        wait_until(lambda: settled(client))
        bits = client.get(f"{API}/messages", params={"queue": "bits"}).json()
        assert [m["queue"] for m in bits["messages"]] == ["bits"]
        ready = client.get(f"{API}/messages", params={"status": "ready"}).json()
        assert ready["count"] == 2
        assert client.get(f"{API}/messages", params={"status": "nope"}).status_code == 400


def test_health_and_openapi(running_app: Any) -> None:
    """Health reports database, engine and worker; the OpenAPI schema is served."""
    with running_app() as client:
        health = client.get("/health").json()
        assert health["status"] == "ok"
        assert health["database"]["ok"] is True
        assert health["engine"]["ready"] is True
        assert health["worker"]["running"] is True
        schema = client.get("/schema/openapi.json").json()
        assert f"{API}/add_message" in schema["paths"]


def test_health_reports_the_process_memory(running_app: Any) -> None:
    """``memory.resident_bytes`` is the server's RSS: it rises when the process takes more RAM; no CUDA figures on
    the CPU."""
    with running_app() as client:
        before = client.get("/health").json()["memory"]
        ballast = bytearray(300 * 1024 * 1024)  # zero-filled and written, so every page is resident
        ballast[:: resource.getpagesize()] = b"x" * len(ballast[:: resource.getpagesize()])
        during = client.get("/health").json()["memory"]
        del ballast
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB
    assert 10 * 1024 * 1024 < before["resident_bytes"] <= peak
    assert during["resident_bytes"] - before["resident_bytes"] > 250 * 1024 * 1024
    assert before["cuda_allocated_bytes"] is None
    assert before["cuda_reserved_bytes"] is None


def test_audio_route_rejects_paths_outside_the_store(running_app: Any) -> None:
    """Only message WAVs are served."""
    with running_app() as client:
        assert client.get("/audio/..%2Ftts.db").status_code == 404
        assert client.get("/audio/tts.db").status_code == 404
