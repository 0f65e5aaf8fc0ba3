"""The Twitch chat connection against a fake Twitch server on loopback: login, join, keep-alive, reconnects."""

from __future__ import annotations

import asyncio
import logging
import re
import shutil
import ssl
import subprocess
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import attrs
import pytest

from adapters.twitch_irc import (
    ChatCleared,
    ChatEvent,
    ChatReceived,
    MessageDeleted,
    ReaderTimings,
    TwitchIrcClient,
    UserCleared,
    parse_irc_url,
)
from tests.twitch_fake import WAIT, FakeTwitchServer, closed_port_url, privmsg
from tts_core.chat import MessageType

FAST = ReaderTimings(connect_timeout=2.0, idle_seconds=0.2, pong_timeout=0.2, backoff_base=0.05, backoff_max=0.2)
SLOW_PING = attrs.evolve(FAST, idle_seconds=30.0)
"""For tests that count lines: no keep-alive PING of ours among them."""


@attrs.define
class Reader:
    """A running client and what it reported."""

    client: TwitchIrcClient
    events: list[ChatEvent] = attrs.Factory(list)
    states: list[tuple[str, str | None]] = attrs.Factory(list)

    async def until(self, condition: Callable[[], bool]) -> None:
        """Poll ``condition`` (the client runs meanwhile) until it holds; fail after ``WAIT`` seconds."""
        deadline = time.monotonic() + WAIT
        while not condition():
            assert time.monotonic() < deadline, "the reader did not get there in time"
            await asyncio.sleep(0.01)

    async def connected(self, times: int = 1) -> None:
        await self.until(lambda: [s for s, _ in self.states].count("connected") >= times)


def read(
    server: FakeTwitchServer | str,
    body: Callable[[Reader], Awaitable[None]],
    *,
    timings: ReaderTimings = FAST,
    fail_on: type[ChatEvent] | None = None,
    **options: Any,
) -> Reader:
    """Run a client against ``server`` (or a URL) while ``body`` runs, then cancel it."""
    url = server if isinstance(server, str) else server.url

    async def main() -> Reader:
        reader: Reader

        async def on_event(event: ChatEvent) -> None:
            if fail_on is not None and isinstance(event, fail_on):
                raise RuntimeError("the queue is broken")
            reader.events.append(event)

        client = TwitchIrcClient(
            endpoint=parse_irc_url(url),
            channel="streamer",
            on_event=on_event,
            on_state=lambda state, error: reader.states.append((state, error)),
            timings=timings,
            **options,
        )
        reader = Reader(client=client)
        task = asyncio.create_task(client.run())
        try:
            await body(reader)
        finally:
            task.cancel()
            done, _ = await asyncio.wait({task}, timeout=WAIT)
            assert done, "the client did not end when cancelled"
        assert task.cancelled()
        return reader

    return asyncio.run(main())


def test_logs_in_anonymously_requests_capabilities_and_joins() -> None:
    """Anonymous login as justinfan…, both capabilities requested, JOIN after the welcome, then connected."""

    async def body(reader: Reader) -> None:
        await reader.connected()

    with FakeTwitchServer() as server:
        reader = read(server, body, timings=SLOW_PING)
        lines = server.connections[0].received
    assert lines[0] == "CAP REQ :twitch.tv/tags twitch.tv/commands"
    assert re.fullmatch(r"NICK justinfan\d+", lines[1])
    assert lines[2] == "JOIN #streamer"
    assert not any(line.startswith("PASS") for line in lines)
    assert reader.states == [("connecting", None), ("connected", None)]


def test_a_token_is_sent_as_pass_and_never_logged(caplog: pytest.LogCaptureFixture) -> None:
    """With a token: PASS oauth:… before NICK of the login; the token appears in no log record."""
    caplog.set_level(logging.DEBUG)

    async def body(reader: Reader) -> None:
        await reader.connected()

    with FakeTwitchServer() as server:
        read(server, body, token="s3cr3tt0k3n", login="StreamerBot")
        lines = server.connections[0].received
    assert lines[1:3] == ["PASS oauth:s3cr3tt0k3n", "NICK streamerbot"]
    assert "s3cr3tt0k3n" not in caplog.text


def test_chat_lines_become_events_in_order() -> None:
    """PRIVMSG (plain, bits, moderator), CLEARMSG and CLEARCHAT both ways arrive as events, in order."""

    async def body(reader: Reader) -> None:
        await reader.connected()
        connection = server.connections[0]
        connection.send(privmsg("viewer", "@streamer hello", id="m-1", display_name="Viewer"))
        connection.send(privmsg("cheerer", "Cheer100 go", bits="100", id="m-2"))
        connection.send(privmsg("amod", "!tts skip", badges="moderator/1,subscriber/12"))
        connection.send("@target-msg-id=m-1 :tmi.twitch.tv CLEARMSG #streamer :@streamer hello")
        connection.send("@ban-duration=600 :tmi.twitch.tv CLEARCHAT #streamer :troll")
        connection.send(":tmi.twitch.tv CLEARCHAT #streamer :spammer")
        connection.send(":tmi.twitch.tv CLEARCHAT #streamer")
        await reader.until(lambda: len(reader.events) == 7)

    with FakeTwitchServer() as server:
        reader = read(server, body)
    chat = [e.incoming for e in reader.events[:3] if isinstance(e, ChatReceived)]
    assert [(c.sent_by, c.text, c.twitch_message_id) for c in chat] == [
        ("Viewer", "@streamer hello", "m-1"),
        ("cheerer", "Cheer100 go", "m-2"),
        ("amod", "!tts skip", None),
    ]
    assert (chat[1].message_type, chat[1].bits_amount) == (MessageType.BITS, 100)
    assert [c.is_moderator for c in chat] == [False, False, True]
    assert reader.events[3:] == [
        MessageDeleted(twitch_message_id="m-1"),
        UserCleared(login="troll", duration_seconds=600),
        UserCleared(login="spammer", duration_seconds=None),
        ChatCleared(),
    ]


def test_answers_the_servers_ping() -> None:
    """A PING from the server gets a PONG with the same token."""

    async def body(reader: Reader) -> None:
        await reader.connected()
        server.connections[0].send("PING :tmi.twitch.tv")
        await reader.until(lambda: "PONG :tmi.twitch.tv" in server.connections[0].received)

    with FakeTwitchServer() as server:
        read(server, body, timings=SLOW_PING)


def test_a_quiet_connection_is_pinged_and_kept_when_it_answers() -> None:
    """After idle_seconds of silence the client sends PING; with PONGs coming back it stays on one connection."""

    async def body(reader: Reader) -> None:
        await reader.connected()
        await reader.until(lambda: server.connections[0].received.count("PING :tts-server") >= 3)

    with FakeTwitchServer() as server:
        reader = read(server, body)
        assert len(server.connections) == 1
    assert reader.states == [("connecting", None), ("connected", None)]


def test_a_dead_connection_is_noticed_and_replaced() -> None:
    """No answer to our PING: the client says why, reconnects and joins the channel again."""

    async def body(reader: Reader) -> None:
        await reader.connected()
        server.answer_pings = False
        await reader.until(lambda: len(server.connections) >= 2)
        server.answer_pings = True
        await reader.connected(times=2)

    with FakeTwitchServer() as server:
        reader = read(server, body)
        assert server.connections[1].joined == "streamer"
    errors = [error for state, error in reader.states if state == "connecting" and error]
    assert errors and "no answer to PING" in errors[0]


def test_a_dropped_connection_reconnects_and_chat_goes_on() -> None:
    """After a drop the client reconnects with back-off, rejoins, and chat after it arrives."""

    async def body(reader: Reader) -> None:
        await reader.connected()
        server.connections[0].send(privmsg("viewer", "before"))
        await reader.until(lambda: len(reader.events) == 1)
        server.connections[0].drop()
        await reader.connected(times=2)
        server.connections[1].send(privmsg("viewer", "after"))
        await reader.until(lambda: len(reader.events) == 2)

    with FakeTwitchServer() as server:
        reader = read(server, body)
    assert [e.incoming.text for e in reader.events if isinstance(e, ChatReceived)] == ["before", "after"]
    assert ("connecting", "the server closed the connection") in reader.states


def test_reconnect_command_moves_to_a_new_connection() -> None:
    """RECONNECT: the client leaves and connects and joins again, saying why."""

    async def body(reader: Reader) -> None:
        await reader.connected()
        server.connections[0].send(":tmi.twitch.tv RECONNECT")
        await reader.connected(times=2)

    with FakeTwitchServer() as server:
        reader = read(server, body, timings=SLOW_PING)
        assert server.joined(2).joined == "streamer"
    assert ("connecting", "Twitch asked to reconnect (RECONNECT)") in reader.states


def test_malformed_lines_are_skipped_and_logged_once(caplog: pytest.LogCaptureFixture) -> None:
    """Garbage, half lines, bad tags and bad bytes are skipped (one warning), and the chat after them arrives."""
    caplog.set_level(logging.WARNING, logger="adapters.twitch_irc")

    async def body(reader: Reader) -> None:
        await reader.connected()
        connection = server.connections[0]
        for line in (":only-a-source", "@a=b", ":x!x@x PRIVMSG", privmsg("v", "hi", bits="lots")):
            connection.send(line)
        connection.send("@ban-duration=soon :tmi.twitch.tv CLEARCHAT #streamer :troll")
        connection.send("CLEARMSG #streamer :no target")
        connection.send_bytes(b"\xff\xfe\x00garbage\r\n" + b"x" * 70_000 + b"\r\n")
        connection.send(privmsg("viewer", "still here"))
        await reader.until(lambda: len(reader.events) == 1)

    with FakeTwitchServer() as server:
        reader = read(server, body, timings=SLOW_PING)
    assert isinstance(reader.events[0], ChatReceived)
    assert reader.events[0].incoming.text == "still here"
    assert reader.client.malformed >= 7
    warnings = [r for r in caplog.records if "malformed" in r.getMessage()]
    assert len(warnings) == 1
    assert len(server.connections) == 1


def test_a_failing_handler_does_not_end_the_connection() -> None:
    """An event the queues cannot take is logged; the next one still arrives on the same connection."""

    async def body(reader: Reader) -> None:
        await reader.connected()
        server.connections[0].send(":tmi.twitch.tv CLEARCHAT #streamer")
        server.connections[0].send(privmsg("viewer", "next"))
        await reader.until(lambda: len(reader.events) == 1)

    with FakeTwitchServer() as server:
        reader = read(server, body, fail_on=ChatCleared, timings=SLOW_PING)
        assert len(server.connections) == 1
    assert isinstance(reader.events[0], ChatReceived)


def test_a_refused_login_is_reported_and_retried_with_back_off() -> None:
    """A NOTICE then a close (a bad token): the notice is the error, and attempts are spaced further apart."""

    async def body(reader: Reader) -> None:
        await reader.until(lambda: len(server.connections) >= 4 and server.connections[3].closed)

    with FakeTwitchServer(login_notice="Login authentication failed") as server:
        started = time.monotonic()
        reader = read(server, body, token="bad", login="streamer")
        assert time.monotonic() - started >= 0.05 + 0.1 + 0.2  # the waits between four attempts
    assert ("connected", None) not in reader.states
    errors = {error for state, error in reader.states if error}
    assert errors == {"the server closed the connection (Twitch said: Login authentication failed)"}


def test_nothing_listening_is_reported_and_retried() -> None:
    """A refused connection: connecting, with an error that names the endpoint, and tried again."""
    url = closed_port_url()

    async def body(reader: Reader) -> None:
        await reader.until(lambda: len([error for _, error in reader.states if error]) >= 2)

    reader = read(url, body)
    error = reader.states[-1][1]
    assert error is not None and error.startswith(f"cannot connect to {url}")
    assert ("connected", None) not in reader.states


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key, made by the openssl command."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("needs the openssl command to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def tls_server(certificate: tuple[Path, Path]) -> FakeTwitchServer:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    return FakeTwitchServer(tls=context)


def test_ircs_speaks_tls_and_reads_chat(certificate: tuple[Path, Path]) -> None:
    """ircs://: the connection is TLS, verified against the trusted certificate, and chat flows over it."""

    async def body(reader: Reader) -> None:
        await reader.connected()
        server.connections[0].send(privmsg("viewer", "over tls"))
        await reader.until(lambda: len(reader.events) == 1)

    trusted = ssl.create_default_context(cafile=str(certificate[0]))
    with tls_server(certificate) as server:
        assert server.url.startswith("ircs://")
        reader = read(server, body, timings=SLOW_PING, tls_context=trusted)
        assert isinstance(server.connections[0].sock, ssl.SSLSocket)
    assert isinstance(reader.events[0], ChatReceived)
    assert reader.events[0].incoming.text == "over tls"


def test_an_untrusted_certificate_is_refused_and_reported(certificate: tuple[Path, Path]) -> None:
    """With the system's trust store a self-signed server is refused: connecting, the TLS error, tried again."""

    async def body(reader: Reader) -> None:
        await reader.until(lambda: len([error for _, error in reader.states if error]) >= 2)

    with tls_server(certificate) as server:
        reader = read(server, body)
    error = reader.states[-1][1]
    assert error is not None and "certificate verify failed" in error
    assert ("connected", None) not in reader.states
