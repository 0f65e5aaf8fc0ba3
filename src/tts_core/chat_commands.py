"""Moderators' chat commands: ``!tts skip``, ``!tts clear``, ``!tts mute USER [MINUTES]``, ``!tts unmute USER``."""

from __future__ import annotations

import re

import attrs

from tts_core.moderation import MAX_MUTE_SECONDS, sender_key

CHAT_MUTE_MINUTES = 10
"""``!tts mute USER`` without minutes times the user out for this long, like Twitch's ``/timeout``."""


@attrs.frozen(kw_only=True)
class SkipCommand:
    """``!tts skip``: the playing message ends now."""


@attrs.frozen(kw_only=True)
class ClearCommand:
    """``!tts clear``: the active queue is cleared."""


@attrs.frozen(kw_only=True)
class MuteCommand:
    """``!tts mute USER [MINUTES]``: a timeout (:data:`CHAT_MUTE_MINUTES` without minutes)."""

    user: str
    minutes: int


@attrs.frozen(kw_only=True)
class UnmuteCommand:
    """``!tts unmute USER``."""

    user: str


ChatCommand = SkipCommand | ClearCommand | MuteCommand | UnmuteCommand
_CHAT_COMMAND = re.compile(r"\s*!tts\s+(\w+)(?:\s+@?(\w+))?(?:\s+(\d{1,6}))?\s*$", flags=re.IGNORECASE)


def parse_chat_command(text: str) -> ChatCommand | None:
    """The moderator command in ``text`` (``!tts skip``, ``!tts clear``, ``!tts mute USER [MINUTES]``,
    ``!tts unmute USER``), or ``None`` when it is none of them, or is malformed."""
    match = _CHAT_COMMAND.fullmatch(text)
    if match is None:
        return None
    verb, user, minutes = match.group(1).lower(), match.group(2), match.group(3)
    if verb in ("skip", "clear") and user is None and minutes is None:
        return SkipCommand() if verb == "skip" else ClearCommand()
    if verb == "mute" and user is not None:
        amount = int(minutes) if minutes is not None else CHAT_MUTE_MINUTES
        if 1 <= amount <= MAX_MUTE_SECONDS // 60:
            return MuteCommand(user=sender_key(user), minutes=amount)
        return None
    if verb == "unmute" and user is not None and minutes is None:
        return UnmuteCommand(user=sender_key(user))
    return None
