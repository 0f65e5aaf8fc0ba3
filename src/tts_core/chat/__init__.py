"""The chat pipeline: decide whether a chat message is read, and what is spoken."""

from tts_core.chat.at_mentions import mentions
from tts_core.chat.cleaning import clean_text, spoken_message
from tts_core.chat.known import DEFAULT_BLOCKED_BOTS, DEFAULT_CHEER_PREFIXES, DEFAULT_EMOTES
from tts_core.chat.messages import REASONS, Accepted, IncomingChat, MessageType, Rejected
from tts_core.chat.names import readable_name
from tts_core.chat.rules import (
    DEFAULT_BITS_TEMPLATE,
    DEFAULT_MESSAGE_TEMPLATE,
    BannedWordAction,
    ChatRules,
    LinkAction,
)
from tts_core.chat.screening import screen_chat
from tts_core.chat.templates import PLACEHOLDERS, check_template
from tts_core.chat.voice_command import VOICE_REASONS, VoiceChoice, voice_command

__all__ = [
    "DEFAULT_BITS_TEMPLATE",
    "DEFAULT_BLOCKED_BOTS",
    "DEFAULT_CHEER_PREFIXES",
    "DEFAULT_EMOTES",
    "DEFAULT_MESSAGE_TEMPLATE",
    "PLACEHOLDERS",
    "REASONS",
    "VOICE_REASONS",
    "Accepted",
    "BannedWordAction",
    "ChatRules",
    "IncomingChat",
    "LinkAction",
    "MessageType",
    "Rejected",
    "VoiceChoice",
    "check_template",
    "clean_text",
    "mentions",
    "readable_name",
    "screen_chat",
    "spoken_message",
    "voice_command",
]
