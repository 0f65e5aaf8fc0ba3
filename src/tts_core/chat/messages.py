"""Chat messages in and decisions out: what the App sends, and whether it is read."""

from __future__ import annotations

import enum

import attrs

from tts_core.model import QueueKind


class MessageType(enum.StrEnum):
    """What the App says a message is."""

    CHAT = "chat"
    MENTION = "mention"
    BITS = "bits"


@attrs.frozen(kw_only=True)
class IncomingChat:
    """A message as the App sent it, already validated by the caller."""

    sent_by: str
    """The sender's Twitch login or display name."""
    text: str
    """The chat text as typed, 1 to 2000 characters."""
    message_type: MessageType
    bits_amount: int | None = None
    """Bits cheered; at least 1 on a bits message."""
    twitch_message_id: str | None = None
    """Twitch's id of the message (at most 64 characters), so a moderator's deletion can find it."""
    is_moderator: bool = False
    """The sender is a moderator or the broadcaster: their ``!tts`` commands are carried out."""


@attrs.frozen(kw_only=True)
class Accepted:
    """The message goes to ``queue`` and the engine reads ``spoken_text``."""

    queue: QueueKind
    spoken_text: str
    """The cleaned text put into its template: never empty; no ``@``, URL or control character but the template's."""
    voice: str | None = None
    """The sender's voice mix (stored per user); ``None`` for the default voice."""
    engine_text: str | None = None
    """What the engine reads when it differs from ``spoken_text``: with misaki phoneme markup
    (``[gg](/ɡˈʊd ɡˈAm/)``) for words the pronunciation dictionary gives phonemes."""


@attrs.frozen(kw_only=True)
class Rejected:
    """The message is not queued; ``reason`` is a stable code, ``detail`` a sentence for people."""

    reason: str
    """One of :data:`REASONS`."""
    detail: str


SCREENING_REASONS = (
    "blocked_user",
    "command",
    "below_min_bits",
    "no_mention",
    "banned_word",
    "emote_only",
    "nothing_to_say",
)
"""Every ``Rejected.reason`` of the chat pipeline (``screen_chat``), in the order the rules are applied."""
REASONS = (
    "moderator_command",
    *SCREENING_REASONS,
    "moderated",
    "muted",
    "user_cooldown",
    "user_queue_full",
    "duplicate",
)
"""Every reason a message is not queued, in the order they are decided: a moderator's ``!tts`` command is carried
out instead; then the chat pipeline; then moderation (a deleted Twitch message, a muted sender) and the per-sender
anti-spam limits (``tts_core.moderation``)."""
