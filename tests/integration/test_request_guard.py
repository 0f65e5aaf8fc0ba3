"""The request guard on the real app (test client): foreign pages, unknown hosts, tokens and non-JSON bodies."""

from __future__ import annotations

import json
from typing import Any

import pytest
from litestar.exceptions import WebSocketDisconnect

API = "/api/tts"
TOKEN = "correct-horse-battery-staple"
MENTION = {"sent_by": "viewer", "text": "@streamer hello"}


def queue_size(client: Any, **headers: str) -> int:
    size: int = client.get(f"{API}/active_queue_stats", headers=headers).json()["queue_size"]
    return size


def assert_refused(response: Any, status: int) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["status_code"] == status
    assert body["detail"]


def test_text_plain_post_is_refused_and_nothing_is_queued(running_app: Any) -> None:
    """A no-cors style text/plain body gets 415 and no message is stored."""
    with running_app() as client:
        response = client.post(
            f"{API}/add_message", content=json.dumps(MENTION), headers={"content-type": "text/plain;charset=UTF-8"}
        )
        assert_refused(response, 415)
        assert client.get(f"{API}/messages").json()["count"] == 0


def test_bodyless_post_still_works(running_app: Any) -> None:
    """POST /play without a body or content type is answered as before."""
    with running_app() as client:
        assert client.post(f"{API}/play").status_code == 200


def test_foreign_origin_cannot_clear_the_queue(running_app: Any) -> None:
    """A POST from another page gets 403 and the queue is untouched."""
    with running_app() as client:
        assert client.post(f"{API}/add_message", json=MENTION).status_code == 201
        assert_refused(client.post(f"{API}/clear_active_queue", headers={"origin": "https://evil.example"}), 403)
        assert queue_size(client) == 1
        assert [m["deleted_at"] for m in client.get(f"{API}/messages").json()["messages"]] == [None]


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "https://evil.example"},
        {"origin": "null"},
        {"origin": "http://127.0.0.1:9999"},
        {"sec-fetch-site": "cross-site"},
    ],
)
def test_foreign_pages_are_refused_everywhere(running_app: Any, headers: dict[str, str]) -> None:
    """Reads, writes, unknown paths and the WebSocket all refuse a foreign page with 403."""
    with running_app() as client:
        assert_refused(client.get(f"{API}/config", headers=headers), 403)
        assert_refused(client.post(f"{API}/add_message", json=MENTION, headers=headers), 403)
        assert_refused(client.get("/no/such/path", headers=headers), 403)
        with pytest.raises(WebSocketDisconnect), client.websocket_connect(f"{API}/ws", headers=headers):
            pass
        assert queue_size(client) == 0


@pytest.mark.parametrize("origin", ["http://127.0.0.1:8008", "http://localhost:8008", "http://[::1]:8008"])
def test_own_origin_is_served(running_app: Any, origin: str) -> None:
    """The panel's own origin may post, read, and open the WebSocket."""
    with running_app() as client:
        assert client.post(f"{API}/add_message", json=MENTION, headers={"origin": origin}).status_code == 201
        assert queue_size(client, origin=origin, **{"sec-fetch-site": "same-origin"}) == 1
        with client.websocket_connect(f"{API}/ws", headers={"origin": origin}) as socket:
            assert socket.receive_json()["type"] == "snapshot"


def test_allowed_origin_is_served(running_app: Any) -> None:
    """An origin listed in TTS_ALLOWED_ORIGINS may post; others still may not."""
    with running_app(allowed_origins="https://dash.example, http://mypc:9000") as client:
        headers = {"origin": "https://dash.example"}
        assert client.post(f"{API}/add_message", json=MENTION, headers=headers).status_code == 201
        assert_refused(client.post(f"{API}/play", headers={"origin": "https://other.example"}), 403)


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8008", "192.168.1.20:8008"])
def test_unknown_host_gets_400(running_app: Any, host: str) -> None:
    """A Host that is not a loopback name (DNS rebinding) gets 400 for requests and the WebSocket."""
    with running_app() as client:
        assert_refused(client.get(f"{API}/active_queue_stats", headers={"host": host}), 400)
        assert_refused(client.post(f"{API}/add_message", json=MENTION, headers={"host": host}), 400)
        with pytest.raises(WebSocketDisconnect), client.websocket_connect(f"{API}/ws", headers={"host": host}):
            pass
        assert queue_size(client) == 0


@pytest.mark.parametrize(
    "host", ["localhost", "localhost:8008", "127.0.0.1", "127.0.0.1:8008", "[::1]", "[::1]:8008", "127.0.0.2:8008"]
)
def test_loopback_hosts_are_served(running_app: Any, host: str) -> None:
    """localhost, 127.x.x.x and [::1], with or without the port, are served."""
    with running_app() as client:
        assert client.get(f"{API}/active_queue_stats", headers={"host": host}).status_code == 200


def test_allowed_host_is_served(running_app: Any) -> None:
    """A name in TTS_ALLOWED_HOSTS is served, and the page it serves is an own origin."""
    with running_app(allowed_hosts="streampc.lan") as client:
        headers = {"host": "streampc.lan:8008", "origin": "http://streampc.lan:8008"}
        assert client.post(f"{API}/add_message", json=MENTION, headers=headers).status_code == 201


def test_token_is_needed_as_bearer_or_query(running_app: Any) -> None:
    """With TTS_API_TOKEN, calls without it get 401; Bearer and ?token= both work; a wrong one does not."""
    with running_app(api_token=TOKEN) as client:
        assert_refused(client.get(f"{API}/active_queue_stats"), 401)
        assert_refused(client.post(f"{API}/add_message", json=MENTION), 401)
        assert_refused(client.get(f"{API}/active_queue_stats", params={"token": "wrong"}), 401)
        assert_refused(client.get(f"{API}/config", headers={"authorization": "Bearer wrong"}), 401)
        bearer = {"authorization": f"Bearer {TOKEN}"}
        assert client.post(f"{API}/add_message", json=MENTION, headers=bearer).status_code == 201
        assert client.get(f"{API}/active_queue_stats", params={"token": TOKEN}).json()["queue_size"] == 1
        assert client.get(f"{API}/messages", params={"token": TOKEN, "queue": "mentions"}).json()["count"] == 1


def test_token_is_needed_for_the_websocket_and_audio(running_app: Any) -> None:
    """Without ?token= the handshake is refused before any frame; with it the snapshot comes; audio needs it."""
    with running_app(api_token=TOKEN) as client:
        with pytest.raises(WebSocketDisconnect), client.websocket_connect(f"{API}/ws"):
            pass
        with client.websocket_connect(f"{API}/ws?token={TOKEN}") as socket:
            assert socket.receive_json()["type"] == "snapshot"
        assert_refused(client.get("/audio/1.wav"), 401)
        assert client.get("/audio/1.wav", params={"token": TOKEN}).status_code == 404  # past the guard


def test_health_and_panel_pages_need_no_token(running_app: Any) -> None:
    """/health, / and the static panel pages are served without the token."""
    with running_app(api_token=TOKEN) as client:
        assert client.get("/health").status_code == 200
        assert client.get("/panel/").status_code == 200
        assert client.get("/panel/player.html").status_code == 200
        assert client.get("/panel/live.js").status_code == 200
        assert client.get("/", follow_redirects=False).status_code in (301, 302, 307, 308)


def test_token_is_never_echoed(running_app: Any) -> None:
    """Neither /config nor any error body holds the token."""
    with running_app(api_token=TOKEN) as client:
        bearer = {"authorization": f"Bearer {TOKEN}"}
        answers = [
            client.get(f"{API}/config", headers=bearer),
            client.get(f"{API}/config", params={"token": TOKEN}),
            client.get(f"{API}/messages/999", params={"token": TOKEN}),
            client.post(f"{API}/add_message", params={"token": TOKEN}, json={"sent_by": 1}),
            client.post(f"{API}/add_message", params={"token": TOKEN}, content=b"x", headers={"content-type": "a/b"}),
            client.get(f"{API}/config", params={"token": TOKEN}, headers={"origin": "https://evil.example"}),
            client.get(f"{API}/config", params={"token": TOKEN + "x"}),
        ]
        assert [a.status_code for a in answers] == [200, 200, 404, 400, 415, 403, 401]
        for answer in answers:
            assert TOKEN not in answer.text
