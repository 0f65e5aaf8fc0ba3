"""Twitch chat over IRC: the connection (``TwitchIrcClient``) and what its lines mean (``parse_line``)."""

from adapters.twitch_irc.client import ConnectionState, TwitchIrcClient
from adapters.twitch_irc.endpoint import DEFAULT_TWITCH_IRC_URL, IrcEndpoint, parse_irc_url
from adapters.twitch_irc.lines import (
    ChatCleared,
    ChatEvent,
    ChatReceived,
    MalformedLine,
    MessageDeleted,
    UserCleared,
    parse_line,
)
from adapters.twitch_irc.timings import ReaderTimings

__all__ = [
    "DEFAULT_TWITCH_IRC_URL",
    "ChatCleared",
    "ChatEvent",
    "ChatReceived",
    "ConnectionState",
    "IrcEndpoint",
    "MalformedLine",
    "MessageDeleted",
    "ReaderTimings",
    "TwitchIrcClient",
    "UserCleared",
    "parse_irc_url",
    "parse_line",
]
