"""The built-in Twitch chat reader in the running app, against a fake Twitch server on loopback."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from litestar.testing import TestClient

from adapters.twitch_irc import ReaderTimings
from tests.integration.conftest import wait_until
from tests.integration.live import live_server, ws_client
from tests.twitch_fake import FakeConnection, FakeTwitchServer, closed_port_url, privmsg

API = "/api/tts"
FAST = ReaderTimings(connect_timeout=2.0, idle_seconds=0.5, pong_timeout=0.5, backoff_base=0.05, backoff_max=0.2)
Client = TestClient[Any]


@contextmanager
def reading(running_app: Callable[..., Any], server: FakeTwitchServer, **settings: Any) -> Iterator[Client]:
    """The app reading #streamer from ``server``, with fast keep-alive and back-off."""
    options = {"twitch_channel": "streamer", "twitch_irc_url": server.url, **settings}
    with running_app({"twitch_timings": FAST}, **options) as client:
        yield client


def chat_state(client: Client) -> dict[str, Any]:
    body: dict[str, Any] = client.get(f"{API}/twitch").json()
    return body


def messages(client: Client, queue: str, status: str | None = None) -> list[dict[str, Any]]:
    params = {"queue": queue, **({"status": status} if status else {})}
    found: list[dict[str, Any]] = client.get(f"{API}/messages", params=params).json()["messages"]
    return sorted(found, key=lambda m: m["id"])


def joined(client: Client, server: FakeTwitchServer, count: int = 1) -> FakeConnection:
    connection = server.joined(count)
    wait_until(lambda: chat_state(client)["state"] == "connected")
    return connection


def test_chat_is_queued_through_the_same_rules_as_the_app(running_app: Callable[..., Any]) -> None:
    """A mention is queued with its Twitch id, other chat is not, a cheer goes to bits, a mod's !tts works."""
    with FakeTwitchServer() as server, reading(running_app, server) as client:
        connection = joined(client, server)
        health = client.get("/health").json()
        assert (health["status"], health["chat"]) == (
            "ok",
            {"state": "connected", "channel": "streamer", "last_error": None, "revision": 2},
        )
        connection.send(privmsg("viewer", "@streamer hello there", id="tw-1", display_name="Viewer"))
        connection.send(privmsg("viewer", "just chatting", id="tw-2"))
        connection.send(privmsg("cheerer", "Cheer100 hype", id="tw-3", bits="100"))
        connection.send(privmsg("amod", "!tts mute troll 5", badges="moderator/1"))
        connection.send(privmsg("viewer", "!tts mute viewer", badges="subscriber/3"))
        wait_until(lambda: len(messages(client, "bits")) == 1 and client.get(f"{API}/moderation/muted").json()["mutes"])
        mentions = messages(client, "mentions")
        assert [(m["sent_by"], m["text"], m["twitch_message_id"]) for m in mentions] == [
            ("Viewer", "@streamer hello there", "tw-1")
        ]
        assert messages(client, "bits")[0]["bits_amount"] == 100
        assert [m["user"] for m in client.get(f"{API}/moderation/muted").json()["mutes"]] == ["troll"]


def test_moderators_deletions_timeouts_bans_and_clears_are_followed(running_app: Callable[..., Any]) -> None:
    """CLEARMSG removes that message, CLEARCHAT a user's (timeout or ban), CLEARCHAT alone every unplayed mention."""
    with FakeTwitchServer() as server, reading(running_app, server) as client:
        connection = joined(client, server)
        for index, login in enumerate(["viewer", "viewer", "troll", "spammer", "viewer", "fan"]):
            connection.send(privmsg(login, f"@streamer message {index}", id=f"tw-{index}"))
        connection.send(privmsg("cheerer", "Cheer5 bits stay", bits="5"))
        wait_until(lambda: len(messages(client, "mentions")) == 6 and len(messages(client, "bits")) == 1)
        connection.send("@target-msg-id=tw-0 :tmi.twitch.tv CLEARMSG #streamer :@streamer message 0")
        connection.send("@ban-duration=600 :tmi.twitch.tv CLEARCHAT #streamer :troll")
        connection.send(":tmi.twitch.tv CLEARCHAT #streamer :spammer")
        wait_until(lambda: len(messages(client, "mentions", "deleted")) == 3)
        assert [m["twitch_message_id"] for m in messages(client, "mentions", "deleted")] == ["tw-0", "tw-2", "tw-3"]
        muted = {m["user"]: m["until"] for m in client.get(f"{API}/moderation/muted").json()["mutes"]}
        assert set(muted) == {"troll", "spammer"}
        assert muted["troll"] is not None and muted["spammer"] is None
        connection.send(":tmi.twitch.tv CLEARCHAT #streamer")
        wait_until(lambda: len(messages(client, "mentions", "deleted")) == 6)
        assert {m["deletion_reason"] for m in messages(client, "mentions", "deleted")} == {"moderated"}
        assert [m["status"] for m in messages(client, "bits")] != ["deleted"]


def test_the_panel_turns_the_reader_off_and_on(running_app: Callable[..., Any]) -> None:
    """disconnect closes the connection and says off (health stays ok); connect joins again; queued stays."""
    with FakeTwitchServer() as server, reading(running_app, server) as client:
        connection = joined(client, server)
        connection.send(privmsg("viewer", "@streamer kept"))
        wait_until(lambda: len(messages(client, "mentions")) == 1)
        off = client.post(f"{API}/twitch/disconnect")
        assert off.status_code == 200
        assert off.json() == {"state": "off", "channel": "streamer", "last_error": None, "revision": 3}
        server.wait_for(lambda: connection.closed)
        assert client.get("/health").json()["status"] == "ok"
        assert client.post(f"{API}/twitch/disconnect").json()["state"] == "off"
        assert client.post(f"{API}/twitch/connect").json()["state"] in ("connecting", "connected")
        joined(client, server, count=2)
        assert client.post(f"{API}/twitch/connect").json()["state"] == "connected"
        assert len(server.connections) == 2
        assert len(messages(client, "mentions")) == 1


def test_a_reader_that_cannot_connect_degrades_health(running_app: Callable[..., Any]) -> None:
    """Nothing listening: connecting with the error, and /health degraded with a reason naming the channel."""
    url = closed_port_url()
    with running_app({"twitch_timings": FAST}, twitch_channel="#Streamer", twitch_irc_url=url) as client:
        wait_until(lambda: client.get("/health").json()["status"] == "degraded")
        health = client.get("/health").json()
        assert health["chat"]["state"] == "connecting"
        assert health["chat"]["last_error"].startswith(f"cannot connect to {url}")
        assert any(reason.startswith("Twitch chat #streamer is not connected") for reason in health["reasons"])
        client.post(f"{API}/twitch/disconnect")
        assert client.get("/health").json()["status"] == "ok"


def test_the_token_is_shown_nowhere(running_app: Callable[..., Any]) -> None:
    """With a token: PASS carries it to Twitch, but /config, /health and the chat state show only the channel."""
    with (
        FakeTwitchServer(login_notice="Login authentication failed") as server,
        reading(running_app, server, twitch_oauth_token="oauth:sekrit-token-123") as client,
    ):
        server.wait_for(lambda: "PASS oauth:sekrit-token-123" in server.all_received)
        wait_until(lambda: chat_state(client)["last_error"] is not None)
        config = client.get(f"{API}/config")
        assert config.json()["twitch_channel"] == "streamer"
        for response in (config, client.get("/health"), client.get(f"{API}/twitch")):
            assert "sekrit" not in response.text
        assert "Login authentication failed" in chat_state(client)["last_error"]


def test_off_without_a_channel(running_app: Callable[..., Any]) -> None:
    """No TTS_TWITCH_CHANNEL: off, health ok, config null, and connect is refused with 409."""
    with running_app() as client:
        assert chat_state(client) == {"state": "off", "channel": None, "last_error": None, "revision": 0}
        health = client.get("/health").json()
        assert (health["status"], health["chat"]["state"]) == ("ok", "off")
        assert client.get(f"{API}/config").json()["twitch_channel"] is None
        refused = client.post(f"{API}/twitch/connect")
        assert refused.status_code == 409
        assert "TTS_TWITCH_CHANNEL" in refused.json()["detail"]


def test_live_clients_hear_the_chat_connection_change(tmp_path: Path) -> None:
    """chat_connection frames: off on disconnect, then connecting and connected on connect, with rising seq."""
    with (
        FakeTwitchServer() as twitch,
        live_server(tmp_path / "data", twitch_channel="streamer", twitch_irc_url=twitch.url) as server,
    ):
        twitch.joined()
        wait_until(lambda: server.http.get(f"{API}/twitch").json()["state"] == "connected")
        with ws_client(server) as client:
            server.http.post(f"{API}/twitch/disconnect")
            off = client.until("chat_connection")
            server.http.post(f"{API}/twitch/connect")
            connecting = client.until("chat_connection")
            connected = client.until("chat_connection")
    assert [(f["state"], f["channel"]) for f in (off, connecting, connected)] == [
        ("off", "streamer"),
        ("connecting", "streamer"),
        ("connected", "streamer"),
    ]
    assert off["seq"] < connecting["seq"] < connected["seq"]
    assert off["revision"] < connecting["revision"] < connected["revision"]
