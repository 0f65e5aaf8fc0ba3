"""Builds the domain's ChatRules from the settings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tts_core.chat import DEFAULT_BLOCKED_BOTS, ChatRules

if TYPE_CHECKING:
    from entrypoints.settings import Settings


def comma_list(value: str) -> list[str]:
    """``"a, b,,c"`` → ``["a", "b", "c"]``."""
    return [part.strip() for part in value.split(",") if part.strip()]


def chat_rules_from(settings: Settings) -> ChatRules:
    """The chat pipeline's rules as configured. Raises ``InvalidInput`` naming the field of a bad value, and
    ``SettingsError`` without a username."""
    from entrypoints.settings import require_username

    return ChatRules(
        username=require_username(settings),
        min_bits=settings.min_bits,
        blocked_users=DEFAULT_BLOCKED_BOTS | set(comma_list(settings.blocked_users)),
        banned_words=tuple(comma_list(settings.banned_words)),
        banned_word_action=settings.banned_word_action,
        link_action=settings.link_action,
        link_word=settings.link_word,
        max_chars=settings.max_chars,
        message_template=settings.message_template,
        bits_template=settings.bits_template,
        user_voices=settings.user_voices,
    )
