"""Moderation and anti-spam rules, pure: mutes, moderators' chat commands, per-sender limits and expiry."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta

import attrs

from tts_core.chat import Rejected
from tts_core.chat.rules import login
from tts_core.errors import InvalidInput
from tts_core.model import Message

MAX_TWITCH_ID_CHARS = 64
"""Longest Twitch message id accepted (Twitch's are 36-character UUIDs)."""
MAX_MUTE_SECONDS = 14 * 24 * 3600
"""Longest timeout, as on Twitch (two weeks); longer is a ban."""
EARLY_DELETION_MEMORY = timedelta(minutes=5)
"""How long a deletion whose message has not arrived yet is remembered (the App may deliver them out of order)."""
_USER = re.compile(r"\w{1,100}")


def sender_key(name: str) -> str:
    """A sender as moderation compares them: the Twitch login in lower case, without ``@``."""
    return login(name)


def checked_user(name: str, field: str = "user") -> str:
    """``name`` as a sender key, or :class:`InvalidInput` naming ``field`` when it is no Twitch name."""
    key = sender_key(name)
    if not _USER.fullmatch(key):
        raise InvalidInput(field, f"must be a Twitch login (letters, digits, underscores), not {name!r}")
    return key


def checked_twitch_id(value: str, field: str = "twitch_message_id") -> str:
    """A Twitch message id, trimmed, or :class:`InvalidInput` when empty or longer than 64 characters."""
    trimmed = value.strip()
    if not trimmed:
        raise InvalidInput(field, "must not be empty")
    if len(trimmed) > MAX_TWITCH_ID_CHARS:
        raise InvalidInput(field, f"must be at most {MAX_TWITCH_ID_CHARS} characters")
    return trimmed


@attrs.frozen(kw_only=True)
class Mute:
    """A sender whose messages are not queued: timed out until ``until``, or banned (``until`` is ``None``)."""

    user: str
    """The sender key (:func:`sender_key`)."""
    since: datetime
    until: datetime | None = None
    """When the timeout ends; ``None`` for a ban (until unmuted)."""

    def active(self, now: datetime) -> bool:
        """Whether the mute still holds at ``now``."""
        return self.until is None or now < self.until


def mute_for(user: str, *, now: datetime, duration_seconds: int | None) -> Mute:
    """A timeout of ``duration_seconds`` (1 s to two weeks) from ``now``, or a ban for ``None``."""
    if duration_seconds is None:
        return Mute(user=user, since=now)
    if not 1 <= duration_seconds <= MAX_MUTE_SECONDS:
        raise InvalidInput("duration_seconds", f"must be 1 to {MAX_MUTE_SECONDS} seconds, or null for a ban")
    return Mute(user=user, since=now, until=now + timedelta(seconds=duration_seconds))


def muted_detail(mute: Mute) -> str:
    """Why a muted sender's message is not queued (no name, no words: it may be shown on stream)."""
    if mute.until is None:
        return "the sender is banned from text-to-speech"
    return f"the sender is timed out until {mute.until.isoformat(timespec='seconds')}"


@attrs.frozen(kw_only=True)
class AntiSpamRules:
    """Per-sender limits for mentions (and bits with :attr:`bits_too`); 0 turns a limit off."""

    user_cooldown: float = 0.0
    """Seconds after a sender's last queued message before the next one is queued (``TTS_USER_COOLDOWN``)."""
    max_pending_per_user: int = 0
    """Most messages of one sender waiting at once (``TTS_MAX_PENDING_PER_USER``)."""
    duplicate_window: float = 0.0
    """Seconds in which the same sender's same text is not queued again (``TTS_DUPLICATE_WINDOW``)."""
    bits_too: bool = False
    """Whether the limits also apply to bits (``TTS_ANTISPAM_BITS``); cheers are paid, so by default they do not."""

    @property
    def lookback(self) -> timedelta:
        """How far back a sender's messages matter for the cooldown and duplicate checks."""
        return timedelta(seconds=max(self.user_cooldown, self.duplicate_window))


def same_text(text: str) -> str:
    """The form two texts are compared in for duplicates: the cleaned text, case and spacing ignored."""
    return " ".join(text.casefold().split())


def check_spam(
    rules: AntiSpamRules, *, now: datetime, spoken_text: str, recent: Iterable[Message], waiting: int
) -> Rejected | None:
    """Whether a sender's new message breaks a limit; ``None`` when it may be queued.

    ``recent`` are the sender's messages of the same queue created within :attr:`AntiSpamRules.lookback`
    (any status), ``waiting`` how many of theirs wait to be played there. Details never quote the text.
    """
    recent = list(recent)
    if rules.user_cooldown > 0 and recent:
        last = max(m.created_at for m in recent)
        left = (last + timedelta(seconds=rules.user_cooldown) - now).total_seconds()
        if left > 0:
            wait = max(1, round(left))
            return Rejected(reason="user_cooldown", detail=f"the sender must wait {wait} s before their next message")
    if rules.max_pending_per_user > 0 and waiting >= rules.max_pending_per_user:
        return Rejected(
            reason="user_queue_full",
            detail=f"the sender already has {waiting} messages waiting (at most {rules.max_pending_per_user})",
        )
    if rules.duplicate_window > 0:
        window_start = now - timedelta(seconds=rules.duplicate_window)
        key = same_text(spoken_text)
        if any(m.created_at > window_start and same_text(m.spoken_text) == key for m in recent):
            return Rejected(reason="duplicate", detail="the sender sent the same text a moment ago")
    return None


def is_expired(message: Message, *, now: datetime, max_age_seconds: float) -> bool:
    """Whether a waiting message is older than ``max_age_seconds`` (0: messages never expire)."""
    return max_age_seconds > 0 and now - message.created_at > timedelta(seconds=max_age_seconds)
