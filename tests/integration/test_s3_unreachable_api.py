"""The API over an S3 audio store whose endpoint does not answer: it says so and keeps the messages."""

from __future__ import annotations

from typing import Any

from adapters.s3_audio_store import S3AudioStore, s3_client
from adapters.s3_location import S3Location
from tests.integration.conftest import AppFactory
from tests.integration.process import free_port


def test_an_unreachable_bucket_answers_503_degrades_health_and_keeps_messages_waiting(
    running_app: AppFactory, fake_aws_credentials: None
) -> None:
    """GET /audio is 503 (not a crash, nothing secret), /health is degraded naming the bucket, and a new
    message is still accepted and waits."""
    client = s3_client(endpoint_url=f"http://127.0.0.1:{free_port()}", region="us-east-1", addressing_style="path")
    store = S3AudioStore(client=client, location=S3Location("tts-unreachable", "live"))
    with running_app({"audio_store": store}) as app:
        audio = app.get("/audio/1.wav")
        assert audio.status_code == 503
        assert audio.json()["detail"] == "the audio store is unavailable now; try again"

        health: dict[str, Any] = app.get("/health").json()
        assert health["status"] == "degraded"
        assert health["audio_store"]["ok"] is False
        assert "bucket tts-unreachable cannot be reached" in health["audio_store"]["detail"]

        created = app.post("/api/tts/add_message", json={"sent_by": "viewer", "text": "@streamer still queued"})
        assert created.status_code == 201
        assert app.get(f"/api/tts/messages/{created.json()['id']}").json()["status"] in ("pending", "synthesizing")
