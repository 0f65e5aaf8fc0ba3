"""Who may call the server: the pure decision on one request's Host, Origin, token and body type."""

from __future__ import annotations

import hmac
from collections.abc import Mapping

import attrs

from entrypoints.http.addresses import Origin, host_name, is_loopback, parse_origin
from entrypoints.settings import Settings

CHANGING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
OPEN_PATHS = frozenset({"/", "/health", "/panel"})
"""Answered without the token (with GET or HEAD): the health check and, below, the static panel pages."""
OPEN_PREFIX = "/panel/"
WILDCARD_HOSTS = frozenset({"", "0.0.0.0", "::"})
"""Addresses one listens on, never a name a request is sent to."""


@attrs.frozen(kw_only=True)
class Refusal:
    """Why a request is refused: the HTTP status and a sentence for the caller (never the token)."""

    status_code: int
    detail: str


@attrs.frozen(kw_only=True)
class RequestFacts:
    """What the decision needs to know about one HTTP request or WebSocket handshake."""

    websocket: bool
    method: str
    """``GET`` for a WebSocket handshake."""
    path: str
    headers: Mapping[str, str]
    """Lower-case names; a repeated header's values joined with ``", "``."""
    query_token: str | None
    """The ``token`` query parameter, if given."""
    served_port: int
    """The port the request arrived on."""


@attrs.frozen(kw_only=True)
class AccessPolicy:
    """The names the server answers to, the foreign origins it trusts, and its token."""

    hosts: frozenset[str] = frozenset()
    """Host names allowed besides loopback ones: ``TTS_HOST`` and ``TTS_ALLOWED_HOSTS``, lower case, no port."""
    origins: frozenset[Origin] = frozenset()
    """``TTS_ALLOWED_ORIGINS``."""
    token: bytes | None = None
    """``TTS_API_TOKEN``; None when no token is needed."""


def policy_from(settings: Settings) -> AccessPolicy:
    """The policy the settings describe."""
    names = {host_name(entry) for entry in [settings.host, *settings.hosts]}
    origins = {parse_origin(entry) for entry in settings.origins}
    token = settings.api_token.get_secret_value().encode() if settings.api_token is not None else None
    return AccessPolicy(
        hosts=frozenset(name for name in names if name is not None and name not in WILDCARD_HOSTS),
        origins=frozenset(origin for origin in origins if origin is not None),
        token=token,
    )


def decide(policy: AccessPolicy, request: RequestFacts) -> Refusal | None:
    """None when the request may go on; otherwise the first reason to refuse it, in this order:
    400 a Host that is not ours, 403 a foreign page, 401 no valid token, 415 a body that is not JSON."""
    host = host_name(request.headers.get("host", ""))
    if host is None or not (is_loopback(host) or host in policy.hosts):
        return Refusal(status_code=400, detail="this server answers only to localhost or TTS_ALLOWED_HOSTS")
    origin = request.headers.get("origin")
    if origin is not None and not _trusted(policy, origin, request.served_port):
        return Refusal(status_code=403, detail="requests from other web pages are refused (see TTS_ALLOWED_ORIGINS)")
    if request.headers.get("sec-fetch-site", "").strip().lower() == "cross-site":
        return Refusal(status_code=403, detail="requests from other web sites are refused")
    if policy.token is not None and not _open(request) and not _token_matches(policy.token, request):
        return Refusal(status_code=401, detail="a valid API token is needed (Authorization: Bearer, or ?token=)")
    if _changes_with_a_body(request) and _media_type(request.headers.get("content-type", "")) != "application/json":
        return Refusal(status_code=415, detail="the request body must be JSON (Content-Type: application/json)")
    return None


def _trusted(policy: AccessPolicy, header: str, served_port: int) -> bool:
    origin = parse_origin(header)  # "null" (sandboxed frames, files) is never trusted
    if origin is None:
        return False
    if origin in policy.origins:
        return True
    ours = is_loopback(origin.host) or origin.host in policy.hosts
    return ours and origin.scheme == "http" and origin.port == served_port


def _open(request: RequestFacts) -> bool:
    if request.websocket or request.method not in ("GET", "HEAD") or ".." in request.path:
        return False
    return request.path in OPEN_PATHS or request.path.startswith(OPEN_PREFIX)


def _token_matches(token: bytes, request: RequestFacts) -> bool:
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    given = credentials.strip() if scheme.lower() == "bearer" else request.query_token
    # compare_digest takes as long for any wrong token of a given length, so timing tells nothing
    return given is not None and hmac.compare_digest(given.encode(), token)


def _changes_with_a_body(request: RequestFacts) -> bool:
    if request.websocket or request.method not in CHANGING_METHODS:
        return False
    if "transfer-encoding" in request.headers:
        return True  # chunked: a body of unknown length
    length = request.headers.get("content-length", "0").strip()
    return not length.isdigit() or int(length) > 0


def _media_type(content_type: str) -> str:
    return content_type.partition(";")[0].strip().lower()
