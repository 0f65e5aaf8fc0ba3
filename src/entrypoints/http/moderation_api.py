"""Moderation under ``/api/tts``: delete a Twitch message, time out or ban a sender, lift a mute, and Skip."""

from __future__ import annotations

from litestar import Controller, get, post
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK

from entrypoints.http.deps import AutoplayDep, ModerationDep
from entrypoints.http.errors import error_responses
from entrypoints.http.responses import MutedBody, PurgeBody, RemovedBody, SkipBody, UnmuteBody
from entrypoints.http.schemas import (
    DeleteMessageBody,
    PurgeUserBody,
    UnmuteUserBody,
    muted_body,
    purge_body,
    skip_body,
)
from tts_core.moderation import sender_key


class ModerationController(Controller):
    """What the mods do: every call is idempotent and answers 200 with what it changed."""

    path = "/api/tts"
    tags = ("moderation",)

    @post(
        "/moderation/delete_message",
        sync_to_thread=True,
        status_code=HTTP_200_OK,
        responses=error_responses(400, 404, 413, 503),
    )
    def delete_message(self, data: JSONBody[DeleteMessageBody], moderation: ModerationDep) -> RemovedBody:
        """A moderator deleted a message (by ``twitch_message_id`` or our ``id``): it is not read (a playing one
        stops); a Twitch id that arrives later is not queued (``reason: "moderated"``)."""
        removed = moderation.delete_message(twitch_message_id=data.twitch_message_id, message_id=data.id)
        return RemovedBody(removed=list(removed))

    @post(
        "/moderation/purge_user",
        sync_to_thread=True,
        status_code=HTTP_200_OK,
        responses=error_responses(400, 413, 503),
    )
    def purge_user(self, data: JSONBody[PurgeUserBody], moderation: ModerationDep) -> PurgeBody:
        """A timeout (``duration_seconds``) or ban (``null``): the sender's unplayed messages go (a playing one
        stops) and their new ones are not queued (``reason: "muted"``) until it ends or they are unmuted."""
        return purge_body(moderation.purge_user(data.user, data.duration_seconds))

    @post(
        "/moderation/unmute_user",
        sync_to_thread=True,
        status_code=HTTP_200_OK,
        responses=error_responses(400, 413, 503),
    )
    def unmute_user(self, data: JSONBody[UnmuteUserBody], moderation: ModerationDep) -> UnmuteBody:
        """Lift a sender's timeout or ban; ``unmuted`` says whether one was in force."""
        unmuted = moderation.unmute_user(data.user)
        return UnmuteBody(user=sender_key(data.user), unmuted=unmuted)

    @get("/moderation/muted", sync_to_thread=True, responses=error_responses(503))
    def muted(self, moderation: ModerationDep) -> MutedBody:
        """The timeouts and bans in force, by user."""
        return muted_body(moderation.muted())

    @post("/skip", sync_to_thread=True, status_code=HTTP_200_OK, responses=error_responses(503))
    def skip(self, autoplay: AutoplayDep) -> SkipBody:
        """The playing message ends now (``played``, ``skipped: true``); a running autoplay loop goes on after
        its cooldown (Stop is what stops the loop)."""
        return skip_body(autoplay.skip(), running=autoplay.running)
