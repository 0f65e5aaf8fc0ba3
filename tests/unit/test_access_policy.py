"""The pure access decision: Host, Origin, Sec-Fetch-Site, token and body type, in that order."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from hypothesis import given
from hypothesis import strategies as st

from entrypoints.http.access_policy import AccessPolicy, RequestFacts, decide, policy_from
from entrypoints.http.addresses import Origin, host_name, parse_origin
from entrypoints.settings import load_settings

PORT = 8008
TOKEN = "s3cret-token"
JSON = {"content-type": "application/json", "content-length": "2"}


def facts(
    method: str = "GET",
    path: str = "/api/tts/config",
    *,
    websocket: bool = False,
    token: str | None = None,
    headers: Mapping[str, str] | None = None,
    **named: str,
) -> RequestFacts:
    """A request to the server on PORT with ``headers`` and ``named`` ones (underscores for dashes); Host
    127.0.0.1:PORT unless given."""
    spelled = {name.replace("_", "-"): value for name, value in named.items()}
    return RequestFacts(
        websocket=websocket,
        method=method,
        path=path,
        headers={"host": f"127.0.0.1:{PORT}", **(headers or {}), **spelled},
        query_token=token,
        served_port=PORT,
    )


def status(request: RequestFacts, policy: AccessPolicy | None = None) -> int | None:
    refusal = decide(policy or AccessPolicy(), request)
    return None if refusal is None else refusal.status_code


@pytest.mark.parametrize(
    "host",
    [
        "localhost",
        "localhost:8008",
        "LOCALHOST:8008",
        "127.0.0.1",
        "127.0.0.1:8008",
        "127.4.5.6:1",
        "[::1]",
        "[::1]:8008",
    ],
)
def test_loopback_hosts_are_served(host: str) -> None:
    """localhost, any 127.x.x.x and ::1, with or without a port, pass the Host check."""
    assert status(facts(host=host)) is None


@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:8008", "192.168.1.5:8008", "localhost.evil.example", "", "[::1", "a b"]
)
def test_other_hosts_get_400(host: str) -> None:
    """A name that is not ours (DNS rebinding) or a malformed Host is refused with 400."""
    assert status(facts(host=host)) == 400


def test_configured_hosts_are_served() -> None:
    """TTS_HOST and TTS_ALLOWED_HOSTS names are served too; a wildcard listen address names nothing."""
    policy = policy_from(load_settings(host="192.168.1.5", api_token=TOKEN, allowed_hosts="streampc.lan, 10.0.0.2:80"))
    assert policy.hosts == {"192.168.1.5", "streampc.lan", "10.0.0.2"}
    assert status(facts(host="StreamPC.lan:8008", token=TOKEN), policy) is None
    assert "0.0.0.0" not in policy_from(load_settings(host="0.0.0.0", api_token=TOKEN)).hosts


@pytest.mark.parametrize(
    "origin",
    ["http://127.0.0.1:8008", "http://localhost:8008", "http://[::1]:8008", "http://LOCALHOST:8008"],
)
def test_own_origins_pass(origin: str) -> None:
    """The server's own pages (loopback names at the served port) may change things."""
    assert status(facts("POST", "/api/tts/clear_active_queue", origin=origin)) is None


@pytest.mark.parametrize(
    "origin",
    [
        "https://evil.example",
        "null",
        "http://localhost:3000",
        "http://localhost",
        "https://127.0.0.1:8008",
        "http://127.0.0.1:8008.evil.example",
        "http://127.0.0.1:8008, https://evil.example",
        "not an origin",
    ],
)
def test_foreign_origins_get_403(origin: str) -> None:
    """Another page (another port counts), a sandboxed frame (null) or a garbled Origin is refused with 403."""
    assert status(facts("POST", "/api/tts/clear_active_queue", origin=origin)) == 403
    assert status(facts("GET", "/api/tts/messages", origin=origin)) == 403
    assert status(facts(path="/api/tts/ws", websocket=True, origin=origin)) == 403


def test_allowed_origins_pass() -> None:
    """An origin in TTS_ALLOWED_ORIGINS passes, in any spelling of the same origin."""
    policy = policy_from(load_settings(allowed_origins="https://dash.example, http://mypc:9000"))
    assert status(facts("POST", origin="https://DASH.example:443"), policy) is None
    assert status(facts("POST", origin="http://mypc:9000"), policy) is None
    assert status(facts("POST", origin="http://mypc:9001"), policy) == 403


def test_cross_site_fetch_metadata_gets_403() -> None:
    """Sec-Fetch-Site: cross-site is refused even without an Origin; same-origin and none pass."""
    assert status(facts(sec_fetch_site="cross-site")) == 403
    assert status(facts(sec_fetch_site="same-origin")) is None
    assert status(facts(sec_fetch_site="none")) is None


@pytest.mark.parametrize(
    ("method", "headers", "expected"),
    [
        ("POST", {"content-type": "text/plain", "content-length": "2"}, 415),
        ("POST", {"content-type": "application/x-www-form-urlencoded", "content-length": "3"}, 415),
        ("POST", {"content-type": "multipart/form-data; boundary=x", "transfer-encoding": "chunked"}, 415),
        ("POST", {"content-length": "2"}, 415),
        ("DELETE", {"content-type": "text/plain", "content-length": "1"}, 415),
        ("PUT", {"content-length": "x"}, 415),
        ("POST", JSON, None),
        ("PATCH", {"content-type": "Application/JSON; charset=utf-8", "content-length": "2"}, None),
        ("POST", {}, None),
        ("POST", {"content-length": "0", "content-type": "text/plain"}, None),
        ("GET", {"content-type": "text/plain", "content-length": "2"}, None),
    ],
)
def test_bodies_of_changing_requests_must_be_json(method: str, headers: dict[str, str], expected: int | None) -> None:
    """A POST/PUT/PATCH/DELETE with a body that is not application/json gets 415; bodyless ones pass."""
    assert status(facts(method, "/api/tts/add_message", headers=headers)) == expected


@pytest.mark.parametrize(
    ("request_facts", "expected"),
    [
        (facts(), 401),
        (facts(token="wrong"), 401),
        (facts(authorization="Bearer wrong"), 401),
        (facts(authorization=f"Basic {TOKEN}"), 401),
        (facts(token=TOKEN), None),
        (facts(authorization=f"Bearer {TOKEN}"), None),
        (facts(authorization=f"bearer  {TOKEN}"), None),
        (facts(path="/api/tts/ws", websocket=True), 401),
        (facts(path="/api/tts/ws", websocket=True, token=TOKEN), None),
        (facts(path="/audio/1.wav"), 401),
        (facts(path="/schema"), 401),
        (facts("POST", "/health"), 401),
        (facts(path="/health"), None),
        (facts(path="/"), None),
        (facts(path="/panel"), None),
        (facts(path="/panel/"), None),
        (facts("HEAD", "/panel/player.html"), None),
        (facts(path="/panel/../api/tts/config"), 401),
    ],
)
def test_token_is_needed_except_for_health_and_panel_pages(request_facts: RequestFacts, expected: int | None) -> None:
    """With a token set, everything but GET /health and the static pages needs it, as Bearer or ?token=."""
    assert status(request_facts, AccessPolicy(token=TOKEN.encode())) == expected


def test_checks_run_in_order_host_origin_token_body() -> None:
    """The first failed check answers: 400 before 403 before 401 before 415."""
    policy = AccessPolicy(token=TOKEN.encode())
    text = {"content-type": "text/plain", "content-length": "2"}
    assert status(facts("POST", host="evil.example", origin="https://evil.example", headers=text), policy) == 400
    assert status(facts("POST", origin="https://evil.example", headers=text), policy) == 403
    assert status(facts("POST", headers=text), policy) == 401
    assert status(facts("POST", token=TOKEN, headers=text), policy) == 415


def test_refusals_never_hold_the_token() -> None:
    """No refusal's detail repeats the token that was sent."""
    policy = AccessPolicy(token=TOKEN.encode())
    for request in (facts(token=TOKEN + "x"), facts(authorization=f"Bearer {TOKEN}x", origin="https://e.example")):
        refusal = decide(policy, request)
        assert refusal is not None
        assert TOKEN not in refusal.detail


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("http://localhost:8008", Origin("http", "localhost", 8008)),
        ("https://Example.COM", Origin("https", "example.com", 443)),
        ("http://[::1]:8008/", Origin("http", "::1", 8008)),
        ("null", None),
        ("ftp://example.com", None),
        ("http://example.com/path", None),
        ("http://user@example.com", None),
        ("http://example.com:99999", None),
    ],
)
def test_origins_are_parsed_and_normalised(value: str, expected: Origin | None) -> None:
    """scheme://host[:port] becomes one normal form; anything else is not an origin."""
    assert parse_origin(value) == expected


@given(st.text())
def test_parsers_never_raise(value: str) -> None:
    """Any header value is parsed or refused, never an exception."""
    host_name(value)
    parse_origin(value)
    decide(AccessPolicy(), facts(host=value, origin=value))
