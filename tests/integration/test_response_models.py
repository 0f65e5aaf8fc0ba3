"""Typed response models: the schema documents every answer, and the JSON on the wire keeps its exact shape."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from entrypoints.http.schemas import add_result_json, message_json, play_json, stats_json
from tts_core.counts import QueueCounts
from tts_core.model import Message, MessageStatus, QueueKind, StoredAudio
from tts_core.services import NotQueued, PlayOutcome, QueueStats

NOW = datetime(2026, 1, 1, tzinfo=UTC)
PLAYING = Message(
    id=7,
    queue=QueueKind.MENTIONS,
    sent_by="viewer",
    text="@streamer hi",
    spoken_text="viewer says: hi",
    status=MessageStatus.PLAYING,
    audio=StoredAudio(ref="7.wav", size_bytes=4410, duration_seconds=1.23456),
    created_at=NOW,
    playing_at=NOW,
)
MESSAGE_JSON = (
    '{"id": 7, "queue": "mentions", "status": "playing", "sent_by": "viewer", "text": "@streamer hi", '
    '"spoken_text": "viewer says: hi", "voice": null, "bits_amount": null, "audio_url": "/audio/7.wav", '
    '"audio_size_bytes": 4410, "duration_seconds": 1.235, "created_at": "2026-01-01T00:00:00+00:00", '
    '"ready_at": null, "playing_at": "2026-01-01T00:00:00+00:00", "played_at": null, "deleted_at": null, '
    '"deletion_reason": null, "error": null, "twitch_message_id": null, "skipped": false}'
)
TYPED_ELSEWHERE = {"/v1/audio/speech"}
"""Owned by the OpenAI speech endpoint, which documents itself."""


def test_frames_keep_their_exact_json() -> None:
    """Frames built from the Structs serialize to the same bytes as before: same keys, order, values and nulls."""
    assert json.dumps(message_json(PLAYING)) == MESSAGE_JSON
    assert json.dumps(add_result_json(PLAYING)) == '{"queued": true, ' + MESSAGE_JSON[1:]
    assert add_result_json(NotQueued(reason="no_mention", detail="d")) == {
        "queued": False,
        "reason": "no_mention",
        "detail": "d",
    }
    started = play_json(PlayOutcome(autoplay=False, started=PLAYING, detail="playing"), running=False)
    assert json.dumps(started) == (
        '{"autoplay": false, "running": false, "message": ' + MESSAGE_JSON + ', "detail": "playing"}'
    )
    counts = QueueCounts(queue=QueueKind.MENTIONS, by_status={MessageStatus.READY: 2}, audio_bytes=9)
    stats = QueueStats(
        active_queue=QueueKind.BITS, active=counts, mentions=counts, bits=counts, mentions_budget_bytes=5, autoplay=True
    )
    one = {"queue_size": 2, "pending": 0, "synthesizing": 0, "ready": 2, "playing": 0, "audio_bytes": 9}
    assert list(stats_json(stats).items()) == [
        ("active_queue", "bits"),
        ("queue_size", 2),
        ("pending", 0),
        ("synthesizing", 0),
        ("ready", 2),
        ("playing", 0),
        ("audio_bytes", 9),
        ("mentions_audio_bytes", 9),
        ("mentions_audio_budget_bytes", 5),
        ("autoplay", True),
        ("queues", {"mentions": one, "bits": one}),
    ]


def test_every_answer_is_documented_with_a_model(running_app: Any) -> None:
    """Each status code of each operation in ``/schema`` names a component schema (no bare objects)."""
    with running_app() as client:
        schema = client.get("/schema/openapi.json").json()
    untyped = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                for media_type, content in (response.get("content") or {}).items():
                    typed = "$ref" in content["schema"] or media_type == "audio/wav"
                    if not typed and path not in TYPED_ELSEWHERE:
                        untyped.append(f"{method.upper()} {path} {status}")
                # /health answers its usual body with 503 ("down")
                if int(status) >= 400 and path not in {*TYPED_ELSEWHERE, "/health"}:
                    assert response["content"]["application/json"]["schema"] == {
                        "$ref": "#/components/schemas/ErrorBody"
                    }
    assert untyped == []
    add = schema["paths"]["/api/tts/add_message"]["post"]["responses"]
    assert set(add) >= {"200", "201", "400", "413"}
    assert add["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/NotQueuedBody")
    assert add["201"]["content"]["application/json"]["schema"]["$ref"].endswith("/QueuedMessage")
    played = schema["paths"]["/api/tts/mark_played/{message_id}"]["post"]
    assert set(played["responses"]) >= {"200", "400", "404", "409"}
    assert played["parameters"][0]["schema"]["minimum"] == 1
