"""Host headers, origins and loopback names, parsed the way a browser writes them."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

import attrs

DEFAULT_PORTS = {"http": 80, "https": 443}


@attrs.frozen
class Origin:
    """A web origin, normalised: ``http://LOCALHOST`` and ``http://localhost:80`` are the same one."""

    scheme: str
    host: str
    """Lower case, IPv6 without brackets."""
    port: int


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a name or an address, IPv6 with or without brackets) can only mean this machine."""
    name = host.strip().strip("[]").rstrip(".").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def host_name(header: str) -> str | None:
    """The name of a ``Host`` header without its port (``[::1]:8008`` → ``::1``); None when it is malformed."""
    value = header.strip().lower()
    if value.startswith("["):
        name, bracket, rest = value[1:].partition("]")
        valid = bracket and (not rest or (rest[0] == ":" and rest[1:].isdigit()))
        return name if valid and name else None
    if value.count(":") > 1:
        return value if _is_ipv6(value) else None  # a bare IPv6 address, which some clients send
    name, colon, port = value.partition(":")
    if not name or (colon and not port.isdigit()) or any(c in name for c in " /@?#,\\"):
        return None
    return name.rstrip(".")


def parse_origin(value: str) -> Origin | None:
    """The origin in an ``Origin`` header or a ``TTS_ALLOWED_ORIGINS`` entry; None for ``null`` or anything
    that is not ``scheme://host[:port]``."""
    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname or parts.path not in ("", "/"):
        return None
    if parts.query or parts.fragment or parts.username is not None:
        return None
    return Origin(parts.scheme, parts.hostname.rstrip("."), port if port is not None else DEFAULT_PORTS[parts.scheme])


def _is_ipv6(value: str) -> bool:
    try:
        ipaddress.IPv6Address(value)
    except ValueError:
        return False
    return True
