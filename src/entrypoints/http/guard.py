"""ASGI middleware in front of the whole app: refuses foreign pages, unknown Host names, missing tokens and
non-JSON bodies before routing, for HTTP requests and WebSocket handshakes alike."""

from __future__ import annotations

import json
from urllib.parse import unquote_plus

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send

from entrypoints.http.access_policy import AccessPolicy, Refusal, RequestFacts, decide

TOKEN_PARAMETER = "token"
CLOSE_POLICY_VIOLATION = 1008


class RequestGuard:
    """Applies :func:`~entrypoints.http.access_policy.decide` to every ``http`` and ``websocket`` scope.

    The ``token`` query parameter is taken out of the scope's query string before anything else sees it, so
    neither the handlers nor uvicorn's access log (which prints the query string) ever hold it.
    """

    def __init__(self, app: ASGIApp, policy: AccessPolicy, default_port: int) -> None:
        self.app = app
        self.policy = policy
        self.default_port = default_port
        """The port to assume when the server cannot tell which one a request arrived on (a Unix socket)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in (ScopeType.HTTP, ScopeType.WEBSOCKET):
            await self.app(scope, receive, send)
            return
        refusal = decide(self.policy, self._facts(scope))
        if refusal is None:
            await self.app(scope, receive, send)
        elif scope["type"] == ScopeType.WEBSOCKET:
            # closing before accepting makes the server answer the handshake with HTTP 403: no frame is sent
            await send({"type": "websocket.close", "code": CLOSE_POLICY_VIOLATION, "reason": refusal.detail})
        else:
            await _answer(refusal, send)

    def _facts(self, scope: Scope) -> RequestFacts:
        headers: dict[str, str] = {}
        for raw_name, raw_value in scope["headers"]:
            name, value = raw_name.decode("latin-1").lower(), raw_value.decode("latin-1")
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
        server = scope.get("server")
        port = server[1] if server and server[1] is not None else self.default_port
        return RequestFacts(
            websocket=scope["type"] == ScopeType.WEBSOCKET,
            method=str(scope.get("method", "GET")),
            path=scope["path"],
            headers=headers,
            query_token=_take_token(scope),
            served_port=int(port),
        )


def _take_token(scope: Scope) -> str | None:
    """The ``token`` query parameter, removed from ``scope["query_string"]`` (the same dict the server logs)."""
    query: bytes = scope.get("query_string", b"")
    if TOKEN_PARAMETER.encode() not in query:
        return None
    kept, tokens = [], []
    for part in query.split(b"&"):
        name, _, value = part.decode("latin-1").partition("=")
        if unquote_plus(name) == TOKEN_PARAMETER:
            tokens.append(unquote_plus(value))
        else:
            kept.append(part)  # the other parameters stay exactly as they came
    scope["query_string"] = b"&".join(kept)
    return tokens[-1] if tokens else None


async def _answer(refusal: Refusal, send: Send) -> None:
    body = json.dumps({"status_code": refusal.status_code, "detail": refusal.detail}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if refusal.status_code == 401:
        headers.append((b"www-authenticate", b"Bearer"))
    await send({"type": "http.response.start", "status": refusal.status_code, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})
