"""The limits on what clients send: huge integers, large bodies and large frames get their own clear error."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from entrypoints.http.limits import MAX_BODY_BYTES, MAX_FRAME_BYTES, MAX_INT
from tests.integration.live import live_server, ws_client

API = "/api/tts"
HUGE = 6102638602770407149866806293823488


@pytest.mark.parametrize(
    ("method", "url", "field"),
    [
        # the two 500s schemathesis found
        ("GET", f"{API}/messages?before_id=9735686447510931709355884544", "before_id"),
        ("POST", f"{API}/mark_played/{HUGE}", "message_id"),
        ("GET", f"{API}/messages/{HUGE}", "message_id"),
        ("GET", f"{API}/messages/{MAX_INT + 1}", "message_id"),
        ("GET", f"{API}/messages?before_id={MAX_INT + 1}", "before_id"),
        ("GET", f"{API}/messages?limit={HUGE}", "limit"),
        ("GET", f"{API}/messages/0", "message_id"),
    ],
)
def test_integers_beyond_64_bits_are_400_naming_the_field(running_app: Any, method: str, url: str, field: str) -> None:
    """An id, ``before_id`` or ``limit`` SQLite cannot hold is a 400 naming it, never a 500."""
    with running_app() as client:
        response = client.request(method, url)
        assert response.status_code == 400, response.text
        assert response.json()["field"] == field
        assert field in response.json()["detail"]


def test_the_largest_64_bit_id_is_simply_not_found(running_app: Any) -> None:
    """The bound is SQLite's: the largest id it can hold is looked up (and not there), not refused."""
    with running_app() as client:
        assert client.get(f"{API}/messages/{MAX_INT}").status_code == 404
        assert client.post(f"{API}/mark_played/{MAX_INT}").status_code == 404
        assert client.get(f"{API}/messages", params={"before_id": MAX_INT}).json()["count"] == 0


def test_huge_bits_amount_is_400_and_nothing_is_queued(running_app: Any) -> None:
    """A bits amount beyond 64 bits either way is refused before it reaches the database."""
    with running_app() as client:
        for amount in (HUGE, -HUGE):
            body = {"sent_by": "v", "text": "cheer", "message_type": "bits", "bits_amount": amount}
            response = client.post(f"{API}/add_message", json=body)
            assert response.status_code == 400, response.text
            assert response.json()["field"] == "bits_amount"
        assert client.get(f"{API}/messages").json()["count"] == 0


@pytest.mark.parametrize("path", [f"{API}/add_message", f"{API}/switch_active_queue", "/v1/audio/speech"])
def test_a_body_over_the_limit_is_413_naming_it(running_app: Any, path: str) -> None:
    """Every route refuses a body over 64 KiB with 413 and says what the limit is."""
    with running_app() as client:
        body = json.dumps({"sent_by": "v", "text": "@streamer " + "a" * MAX_BODY_BYTES})
        response = client.post(path, content=body, headers={"content-type": "application/json"})
        assert response.status_code == 413
        assert response.json()["limit_bytes"] == MAX_BODY_BYTES
        assert str(MAX_BODY_BYTES) in response.json()["detail"]
        assert client.get(f"{API}/messages").json()["count"] == 0


def test_a_chat_message_of_the_longest_allowed_text_fits_the_body_limit(running_app: Any) -> None:
    """2,000 characters, even all escaped emoji, stay under the body limit."""
    with running_app() as client:
        body = json.dumps({"sent_by": "v", "text": "@streamer " + "😀" * 1990})
        assert len(body) < MAX_BODY_BYTES
        assert client.post(f"{API}/add_message", content=body, headers={"content-type": "application/json"}).is_success


def test_websocket_limits_answer_with_error_frames_and_keep_the_socket(data_dir: Path) -> None:
    """Huge integers are ``invalid_input`` naming the field; a frame over 64 KiB is ``too_large``; the socket
    stays open and answers the next command."""
    with live_server(data_dir) as server, ws_client(server) as app:
        bits = app.command("add_message", sent_by="v", text="cheer", message_type="bits", bits_amount=HUGE)
        assert (bits["type"], bits["code"], bits["field"]) == ("error", "invalid_input", "bits_amount")
        for message_id in (HUGE, -HUGE):
            played = app.command("played", id=message_id)
            assert (played["type"], played["code"], played["field"]) == ("error", "invalid_input", "id")
        negative = app.command("add_message", sent_by="v", text="cheer", message_type="bits", bits_amount=-HUGE)
        assert (negative["code"], negative["field"]) == ("invalid_input", "bits_amount")

        app.send_raw(json.dumps({"type": "stats", "padding": "x" * MAX_FRAME_BYTES}))
        too_large = app.until("error")
        assert (too_large["code"], too_large["limit_bytes"]) == ("too_large", MAX_FRAME_BYTES)
        assert str(MAX_FRAME_BYTES) in too_large["detail"]
        assert app.command("stats")["type"] == "ok"
        assert server.http.get(f"{API}/messages").json()["count"] == 0
