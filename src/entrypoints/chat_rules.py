"""Builds the domain's ChatRules from the settings."""

from __future__ import annotations

from entrypoints.settings import Settings
from tts_core.chat import ChatRules


def chat_rules_from(settings: Settings) -> ChatRules:
    """The chat pipeline's rules as configured."""
    return ChatRules(username=settings.username)
