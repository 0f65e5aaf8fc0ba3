"""The built-in Twitch chat reader: its lifecycle, status and what chat events do to the queues."""

from entrypoints.twitch.dispatch import ChatDispatcher
from entrypoints.twitch.reader import ChatNotConfigured, ChatState, ChatStatus, TwitchChatReader

__all__ = ["ChatDispatcher", "ChatNotConfigured", "ChatState", "ChatStatus", "TwitchChatReader"]
