"""The connection to Twitch chat: log in, request tags and commands, join, keep alive, reconnect with back-off."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import ssl
from collections.abc import Awaitable, Callable
from typing import Literal

import attrs

from adapters.twitch_irc.endpoint import IrcEndpoint
from adapters.twitch_irc.lines import (
    ChatEvent,
    Control,
    Joined,
    MalformedLine,
    Notice,
    Ping,
    Reconnect,
    Welcome,
    parse_line,
)
from adapters.twitch_irc.timings import ReaderTimings

log = logging.getLogger(__name__)

ConnectionState = Literal["connecting", "connected"]
MAX_LINE_BYTES = 64 * 1024
"""Twitch's lines are at most a few KiB with tags; longer ones are skipped as malformed."""
CAPABILITIES = "twitch.tv/tags twitch.tv/commands"


class ConnectionLost(Exception):
    """The connection ended or could not be made; the message says why, for people (never the token)."""


@attrs.define(kw_only=True)
class TwitchIrcClient:
    """Reads ``#channel`` until cancelled, reconnecting on any failure; never raises but ``CancelledError``.

    Every chat event goes to ``on_event`` in the order received (awaited before the next line is read, so a
    slow queue holds the socket rather than reordering). ``on_state`` hears ``connecting`` (with the error that
    ended the last attempt, if any) and ``connected`` (once our ``JOIN`` came back).
    """

    endpoint: IrcEndpoint
    channel: str
    on_event: Callable[[ChatEvent], Awaitable[None]]
    on_state: Callable[[ConnectionState, str | None], None]
    token: str | None = attrs.field(default=None, repr=False)
    """An OAuth token (with or without ``oauth:``); ``None`` logs in anonymously."""
    login: str | None = None
    """The account of ``token``; ignored without one."""
    timings: ReaderTimings = attrs.field(factory=ReaderTimings)
    tls_context: ssl.SSLContext | None = attrs.field(default=None, repr=False)
    """For ``ircs://``: ``None`` verifies the server against the system's trusted certificates."""
    malformed: int = 0
    """Lines skipped as malformed since start."""
    _nick: str = attrs.field(init=False, default="")

    async def run(self) -> None:
        """Connect, read, and connect again after a drop, a dead connection or ``RECONNECT``; until cancelled."""
        failures = 0
        self.on_state("connecting", None)
        while True:
            session = _Session()
            error: str
            try:
                await self._session(session)
                error = "Twitch asked to reconnect (RECONNECT)"
            except ConnectionLost as lost:
                error = str(lost)
            except Exception as unexpected:  # a bug must not end the reader: say it, and connect again
                log.exception("Twitch chat #%s: unexpected error", self.channel)
                error = f"unexpected error: {type(unexpected).__name__}"
            if session.notice and not session.joined:
                error = f"{error} (Twitch said: {session.notice})"
            failures = 0 if session.joined else failures + 1
            delay = self.timings.backoff(max(failures - 1, 0))
            log.warning("Twitch chat #%s: %s; connecting again in %.1f s", self.channel, error, delay)
            self.on_state("connecting", error)
            await asyncio.sleep(delay)

    async def _session(self, session: _Session) -> None:
        """One connection, until the server asks to reconnect (returns) or it fails (:class:`ConnectionLost`)."""
        reader, writer = await self._open()
        try:
            await self._login(writer)
            while True:
                parsed = self._parse(await self._next_line(reader, writer, session), session)
                if isinstance(parsed, Reconnect):
                    return
                if isinstance(parsed, Ping):
                    await self._send(writer, f"PONG :{parsed.token}")
                elif isinstance(parsed, Welcome):
                    await self._send(writer, f"JOIN #{self.channel}")
                elif isinstance(parsed, Joined):
                    self._joined(session)
                elif isinstance(parsed, Notice):
                    session.notice = parsed.text
                    log.info("Twitch chat #%s notice: %s", self.channel, parsed.text)
                elif parsed is not None:
                    await self._deliver(parsed)
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                async with asyncio.timeout(self.timings.pong_timeout):
                    await writer.wait_closed()

    async def _open(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        context = (self.tls_context or ssl.create_default_context()) if self.endpoint.tls else None
        try:
            async with asyncio.timeout(self.timings.connect_timeout):
                return await asyncio.open_connection(
                    self.endpoint.host, self.endpoint.port, ssl=context, limit=MAX_LINE_BYTES
                )
        except TimeoutError:
            raise ConnectionLost(f"cannot connect to {self.endpoint}: no answer in time") from None
        except OSError as error:  # refused, unreachable, name not found, TLS failure
            raise ConnectionLost(f"cannot connect to {self.endpoint}: {error.strerror or error}") from None

    async def _login(self, writer: asyncio.StreamWriter) -> None:
        await self._send(writer, f"CAP REQ :{CAPABILITIES}")
        if self.token:
            self._nick = (self.login or "").lower()
            secret = self.token if self.token.startswith("oauth:") else f"oauth:{self.token}"
            await self._send(writer, f"PASS {secret}", shown="PASS ***")
        else:
            self._nick = f"justinfan{random.randint(10_000, 99_999)}"  # a name, not a secret
        await self._send(writer, f"NICK {self._nick}")

    async def _next_line(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, session: _Session) -> str:
        """The next line; sends our ``PING`` after ``idle_seconds`` of silence and gives up without an answer."""
        pinged = False
        while True:
            wait = self.timings.pong_timeout if pinged else self.timings.idle_seconds
            try:
                async with asyncio.timeout(wait):
                    data = await reader.readline()
            except TimeoutError:
                if pinged:
                    raise ConnectionLost(f"no answer to PING for {wait:g} s: the connection is dead") from None
                await self._send(writer, "PING :tts-server")
                pinged = True
                continue
            except ValueError:  # longer than MAX_LINE_BYTES: asyncio dropped it
                self._skip("(overlong line)", "longer than 64 KiB", session)
                continue
            except OSError as error:
                raise ConnectionLost(f"the connection broke: {error.strerror or error}") from None
            if not data:
                raise ConnectionLost("the server closed the connection")
            return data.decode("utf-8", errors="replace").rstrip("\r\n")

    def _parse(self, raw: str, session: _Session) -> ChatEvent | Control | None:
        if not raw.strip():
            return None
        try:
            return parse_line(raw, channel=self.channel, nick=self._nick)
        except MalformedLine as error:
            self._skip(raw, str(error), session)
            return None

    def _joined(self, session: _Session) -> None:
        if not session.joined:
            session.joined = True
            log.info("Twitch chat: joined #%s on %s", self.channel, self.endpoint)
            self.on_state("connected", None)

    async def _deliver(self, event: ChatEvent) -> None:
        try:
            await self.on_event(event)
        except Exception:  # one bad event must not end the connection
            log.exception("Twitch chat #%s: could not handle %s", self.channel, type(event).__name__)

    async def _send(self, writer: asyncio.StreamWriter, line: str, *, shown: str | None = None) -> None:
        log.debug("Twitch chat → %s", shown or line)
        try:
            writer.write(line.encode() + b"\r\n")
            async with asyncio.timeout(self.timings.pong_timeout):
                await writer.drain()
        except TimeoutError:
            raise ConnectionLost("the server does not take what we send") from None
        except OSError as error:
            raise ConnectionLost(f"the connection broke: {error.strerror or error}") from None

    def _skip(self, raw: str, why: str, session: _Session) -> None:
        self.malformed += 1
        # once per connection at WARNING: a server that sends garbage would otherwise flood the log
        level = logging.DEBUG if session.warned else logging.WARNING
        session.warned = True
        log.log(level, "Twitch chat: skipped a malformed line (%s): %.200r", why, raw)


@attrs.define
class _Session:
    joined: bool = False
    notice: str | None = None
    warned: bool = False
