"""A real ``tts-server serve`` process with ``TTS_AUDIO_STORE=s3://…`` on moto's S3 server (loopback)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.integration.process import Served, serve, wait_for
from tests.integration.s3_emulator import FAKE_CREDENTIALS, S3Emulator, isolated_aws_environment

pytestmark = pytest.mark.slow

PREFIX = "channel/audio"


def _s3_env(emulator: S3Emulator, bucket: str, home: Path) -> dict[str, str]:
    return {
        "TTS_AUDIO_STORE": f"s3://{bucket}/{PREFIX}",
        "TTS_S3_ENDPOINT_URL": emulator.endpoint_url,
        **FAKE_CREDENTIALS,
        **isolated_aws_environment(home),
    }


def _audio_keys(emulator: S3Emulator, bucket: str) -> list[str]:
    return [key for key in emulator.keys(bucket) if key.endswith(".wav")]


def _ready(server: Served, ids: list[int]) -> list[dict[str, Any]]:
    return [m for m in server.messages() if m["id"] in ids and m["status"] == "ready"]


def test_audio_is_stored_in_the_bucket_served_by_the_api_and_cleared_from_it(
    tmp_path: Path, s3_emulator: S3Emulator
) -> None:
    """Ready messages' WAVs are objects under the prefix (nothing on the local disk), the API serves those
    very bytes, the byte count matches, and clearing the queue removes the objects."""
    bucket = s3_emulator.new_bucket()
    with serve(tmp_path, **_s3_env(s3_emulator, bucket, tmp_path)) as server:
        ids = [server.add(f"@streamer message {i} kept in a bucket") for i in range(3)]
        wait_for(lambda: len(_ready(server, ids)) == 3, "three ready messages")
        ready = _ready(server, ids)
        names = sorted(m["audio_url"].rsplit("/", 1)[1] for m in ready)
        assert _audio_keys(s3_emulator, bucket) == sorted(f"{PREFIX}/{name}" for name in names)
        assert not server.audio_dir.exists() or not any(server.audio_dir.iterdir())

        raw = s3_emulator.client()
        for message in ready:
            served = server.http.get(message["audio_url"])
            key = f"{PREFIX}/{message['audio_url'].rsplit('/', 1)[1]}"
            assert served.status_code == 200
            assert served.headers["content-type"] == "audio/wav"
            assert served.content == raw.get_object(Bucket=bucket, Key=key)["Body"].read()
            assert len(served.content) == message["audio_size_bytes"]
        assert server.stats()["audio_bytes"] == sum(m["audio_size_bytes"] for m in ready)
        assert server.http.get("/health").json()["status"] == "ok"

        assert server.http.post("/api/tts/clear_active_queue").status_code == 200
        wait_for(lambda: _audio_keys(s3_emulator, bucket) == [], "the objects removed from the bucket")
        assert server.http.get(ready[0]["audio_url"]).status_code == 404


def test_a_missing_bucket_degrades_health_and_its_creation_resumes_synthesis(
    tmp_path: Path, s3_emulator: S3Emulator
) -> None:
    """The server starts without its bucket: /health is degraded naming it and messages wait; once the
    bucket exists, without a restart, health is ok and every message is ready with its object."""
    bucket = f"tts-later-{uuid.uuid4().hex[:12]}"
    with serve(tmp_path, **_s3_env(s3_emulator, bucket, tmp_path)) as server:
        ids = [server.add(f"@streamer message {i} waiting for a bucket") for i in range(3)]
        health: dict[str, Any] = {}

        def degraded_and_paused() -> bool:
            health.update(server.http.get("/health").json())
            return health["status"] == "degraded" and health["worker"]["problem"] is not None

        wait_for(degraded_and_paused, "health degraded and the worker paused")
        assert any(f"bucket {bucket} does not exist" in reason for reason in health["reasons"]), health
        assert health["audio_store"]["ok"] is False
        assert set(server.statuses(ids).values()) <= {"pending", "synthesizing"}

        s3_emulator.client().create_bucket(Bucket=bucket)
        wait_for(lambda: len(_ready(server, ids)) == 3, "every message ready once the bucket exists")
        wait_for(lambda: server.http.get("/health").json()["status"] == "ok", "health ok again")
        assert len(_audio_keys(s3_emulator, bucket)) == 3
