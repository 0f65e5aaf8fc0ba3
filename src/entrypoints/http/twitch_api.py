"""The built-in Twitch chat reader under ``/api/tts/twitch``: its state, and turning it on and off."""

from __future__ import annotations

from litestar import Controller, Response, get, post
from litestar.openapi import ResponseSpec
from litestar.status_codes import HTTP_200_OK, HTTP_409_CONFLICT

from entrypoints.http.deps import TwitchReaderDep
from entrypoints.http.responses import ChatConnectionBody, ErrorBody
from entrypoints.twitch import ChatNotConfigured, ChatStatus


def chat_body(status: ChatStatus) -> ChatConnectionBody:
    """The body for ``status``."""
    return ChatConnectionBody(
        state=status.state, channel=status.channel, last_error=status.last_error, revision=status.revision
    )


class TwitchController(Controller):
    """Read the channel's chat without the App (``TTS_TWITCH_CHANNEL``); runtime only, a restart follows settings."""

    path = "/api/tts/twitch"
    tags = ("twitch",)

    @get("/")
    async def state(self, twitch: TwitchReaderDep) -> ChatConnectionBody:
        """``connected``, ``connecting`` (``last_error`` says why after a failure) or ``off``, and the channel."""
        return chat_body(twitch.status)

    @post(
        "/connect",
        status_code=HTTP_200_OK,
        responses={
            HTTP_200_OK: ResponseSpec(ChatConnectionBody, description="On: `connecting` until the channel is joined"),
            HTTP_409_CONFLICT: ResponseSpec(ErrorBody, description="No channel is set (`TTS_TWITCH_CHANNEL`)"),
        },
    )
    async def connect(self, twitch: TwitchReaderDep) -> Response[ChatConnectionBody | ErrorBody]:
        """Start reading chat (idempotent); answers at once, with ``connecting`` until the channel is joined."""
        try:
            status = await twitch.start()
        except ChatNotConfigured as error:
            body = ErrorBody(status_code=HTTP_409_CONFLICT, detail=str(error), current_status="off")
            return Response(body, status_code=HTTP_409_CONFLICT)
        return Response(chat_body(status), status_code=HTTP_200_OK)

    @post("/disconnect", status_code=HTTP_200_OK)
    async def disconnect(self, twitch: TwitchReaderDep) -> ChatConnectionBody:
        """Stop reading chat (idempotent); messages already queued stay."""
        return chat_body(await twitch.stop())
