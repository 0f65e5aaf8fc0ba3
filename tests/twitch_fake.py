"""A fake Twitch chat server on loopback: answers login, capabilities, JOIN and PING as Twitch does, records
what clients send, and lets a test send any line, drop a connection or stop answering."""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
import time
from collections.abc import Callable

import attrs

WAIT = 5.0
"""Longest wait for something that should happen; never a timed assertion."""


@attrs.define(eq=False)
class FakeConnection:
    """One client connection: the lines it sent (without CR LF) and a way to send it lines."""

    sock: socket.socket
    server: FakeTwitchServer
    received: list[str] = attrs.Factory(list)
    nick: str = ""
    joined: str | None = None
    closed: bool = False

    def send(self, line: str) -> None:
        """Send one line (CR LF added); raw bytes are sent with :meth:`send_bytes`."""
        self.send_bytes(line.encode() + b"\r\n")

    def send_bytes(self, data: bytes) -> None:
        try:
            self.sock.sendall(data)
        except OSError:
            self.closed = True

    def drop(self) -> None:
        """Close the connection abruptly, as a network failure would."""
        self.closed = True
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()

    def _serve(self, tls: ssl.SSLContext | None) -> None:
        if tls is not None:
            try:
                self.sock = tls.wrap_socket(self.sock, server_side=True)
            except (ssl.SSLError, OSError):
                self.drop()  # the client refused our certificate
                return
        buffer = b""
        while not self.closed:
            try:
                data = self.sock.recv(4096)
            except OSError:
                break
            if not data:
                break
            buffer += data
            while b"\r\n" in buffer:
                raw, buffer = buffer.split(b"\r\n", 1)
                self._answer(raw.decode(errors="replace"))
        self.closed = True

    def _answer(self, line: str) -> None:
        with self.server.changed:
            self.received.append(line)
            self.server.changed.notify_all()
        command, _, rest = line.partition(" ")
        if command == "CAP" and rest.startswith("REQ"):
            self.send(f":tmi.twitch.tv CAP * ACK :{rest.partition(':')[2]}")
        elif command == "NICK":
            self.nick = rest.strip()
            if self.server.login_notice is not None:
                self.send(f":tmi.twitch.tv NOTICE * :{self.server.login_notice}")
                self.drop()
                return
            self.send(f":tmi.twitch.tv 001 {self.nick} :Welcome, GLHF!")
            self.send(f":tmi.twitch.tv 376 {self.nick} :>")
        elif command == "JOIN" and self.server.echo_join:
            channel = rest.strip()
            self.send(f":{self.nick}!{self.nick}@{self.nick}.tmi.twitch.tv JOIN {channel}")
            self.send(f"@emote-only=0;room-id=1 :tmi.twitch.tv ROOMSTATE {channel}")
            with self.server.changed:
                self.joined = channel.lstrip("#")
                self.server.changed.notify_all()
        elif command == "PING" and self.server.answer_pings:
            self.send(f":tmi.twitch.tv PONG tmi.twitch.tv {rest}")


@attrs.define(eq=False)
class FakeTwitchServer:
    """Listens on 127.0.0.1 (a free port); use as a context manager."""

    answer_pings: bool = True
    echo_join: bool = True
    login_notice: str | None = None
    """When set, NICK is answered with this NOTICE and the connection closed (as a bad token is)."""
    tls: ssl.SSLContext | None = None
    """When set, connections speak TLS with this context (``url`` is then ``ircs://``)."""
    connections: list[FakeConnection] = attrs.Factory(list)
    changed: threading.Condition = attrs.Factory(threading.Condition)
    _listener: socket.socket | None = None

    @property
    def port(self) -> int:
        assert self._listener is not None
        return int(self._listener.getsockname()[1])

    @property
    def url(self) -> str:
        return f"{'ircs' if self.tls else 'irc'}://127.0.0.1:{self.port}"

    def __enter__(self) -> FakeTwitchServer:
        self._listener = socket.create_server(("127.0.0.1", 0))
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def __exit__(self, *_: object) -> None:
        assert self._listener is not None
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept(); close alone would not
        self._listener.close()
        for connection in list(self.connections):
            connection.drop()

    def _accept(self) -> None:
        assert self._listener is not None
        while True:
            try:
                sock, _ = self._listener.accept()
            except OSError:
                return
            connection = FakeConnection(sock=sock, server=self)
            with self.changed:
                self.connections.append(connection)
                self.changed.notify_all()
            threading.Thread(target=connection._serve, args=(self.tls,), daemon=True).start()

    def wait_for(self, condition: Callable[[], bool], timeout: float = WAIT) -> None:
        """Block until ``condition`` holds (checked on every change), or fail after ``timeout``."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while not condition():
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError("the fake Twitch server did not see it in time")
                self.changed.wait(min(left, 0.05))

    def joined(self, count: int = 1, timeout: float = WAIT) -> FakeConnection:
        """The ``count``-th connection once it has joined a channel."""
        self.wait_for(
            lambda: len(self.connections) >= count and self.connections[count - 1].joined is not None, timeout
        )
        return self.connections[count - 1]

    @property
    def all_received(self) -> list[str]:
        with self.changed:
            return [line for connection in self.connections for line in connection.received]


def closed_port_url() -> str:
    """An irc:// URL on loopback where nothing listens (a port just bound and released, never listened on)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"irc://127.0.0.1:{sock.getsockname()[1]}"


def privmsg(login: str, text: str, *, channel: str = "streamer", **tags: str) -> str:
    """A chat line as Twitch sends it with tags (tag names with ``_`` become ``-``)."""
    tag_text = ";".join(f"{name.replace('_', '-')}={value}" for name, value in tags.items())
    prefix = f"@{tag_text} " if tag_text else ""
    return f"{prefix}:{login}!{login}@{login}.tmi.twitch.tv PRIVMSG #{channel} :{text}"
