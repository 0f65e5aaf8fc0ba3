"""Where the chat reader connects: ``ircs://host:port`` (TLS) or ``irc://host:port`` (plain TCP)."""

from __future__ import annotations

from urllib.parse import urlsplit

import attrs

DEFAULT_TWITCH_IRC_URL = "ircs://irc.chat.twitch.tv:6697"
_DEFAULT_PORTS = {"irc": 6667, "ircs": 6697}


@attrs.frozen(kw_only=True)
class IrcEndpoint:
    """A host and port, and whether to speak TLS to it."""

    host: str
    port: int
    tls: bool

    def __str__(self) -> str:
        return f"{'ircs' if self.tls else 'irc'}://{self.host}:{self.port}"


def parse_irc_url(url: str) -> IrcEndpoint:
    """The endpoint of ``url``; raises :class:`ValueError` with a sentence when it is not one."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise ValueError(f"{url!r} is not an irc:// or ircs:// URL") from None
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
        raise ValueError(f"{url!r} is not an irc:// or ircs:// URL with a host, such as {DEFAULT_TWITCH_IRC_URL}")
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError(f"{url!r}: only ircs://host:port or irc://host:port, nothing after the port")
    return IrcEndpoint(host=parts.hostname, port=port or _DEFAULT_PORTS[parts.scheme], tls=parts.scheme == "ircs")
