"""Twitch chat's IRC lines (tokenised by ``irctokens``) as neutral chat events, or :class:`MalformedLine`."""

from __future__ import annotations

import attrs
from irctokens.line import Line, tokenise

from tts_core.chat import IncomingChat, MessageType

MAX_TWITCH_ID_CHARS = 64
_ACTION = ("\x01ACTION ", "\x01")
_MODERATOR_BADGES = frozenset({"moderator", "broadcaster"})


class MalformedLine(ValueError):
    """A line that is not IRC, or a Twitch command without what it must carry; it is skipped."""


@attrs.frozen(kw_only=True)
class ChatReceived:
    """A chat message (``PRIVMSG``), as the App would have sent it."""

    incoming: IncomingChat


@attrs.frozen(kw_only=True)
class MessageDeleted:
    """A moderator deleted one message (``CLEARMSG``)."""

    twitch_message_id: str


@attrs.frozen(kw_only=True)
class UserCleared:
    """A sender was timed out (``duration_seconds``) or banned (``None``) (``CLEARCHAT`` naming a user)."""

    login: str
    duration_seconds: int | None


@attrs.frozen(kw_only=True)
class ChatCleared:
    """A moderator cleared the whole chat (``CLEARCHAT`` without a user)."""


ChatEvent = ChatReceived | MessageDeleted | UserCleared | ChatCleared
"""What the reader hands on: the events the queues care about."""


@attrs.frozen(kw_only=True)
class Ping:
    """The server checks we are alive: answer ``PONG`` with ``token``."""

    token: str


@attrs.frozen(kw_only=True)
class Welcome:
    """Login accepted (``001``): the channel can be joined."""


@attrs.frozen(kw_only=True)
class Joined:
    """Our own ``JOIN`` of the channel came back: chat flows from now on."""


@attrs.frozen(kw_only=True)
class Reconnect:
    """Twitch is about to restart this server (``RECONNECT``): connect again."""


@attrs.frozen(kw_only=True)
class Notice:
    """A ``NOTICE`` or a refused capability: kept as the last error when the connection then fails."""

    text: str


Control = Ping | Welcome | Joined | Reconnect | Notice
"""Lines the connection itself acts on."""


def parse_line(raw: str, *, channel: str, nick: str) -> ChatEvent | Control | None:
    """What ``raw`` (one line, without CR LF) means for a reader of ``#channel`` logged in as ``nick``.

    ``None`` for lines that matter to neither (other commands, other channels). Raises :class:`MalformedLine`.
    """
    try:
        line = tokenise(raw)
    except (ValueError, IndexError):
        raise MalformedLine("not an IRC line") from None
    control = _control(line)
    if control is not None:
        return control
    command, params, tags = line.command, line.params, line.tags or {}
    if command not in ("PRIVMSG", "CLEARMSG", "CLEARCHAT", "JOIN"):
        return None
    if not params:
        raise MalformedLine(f"{command} without a channel")
    if params[0].lower() != f"#{channel}":
        return None
    if command == "JOIN":
        return Joined() if _nick(line) == nick.lower() else None
    if command == "CLEARMSG":
        target = tags.get("target-msg-id", "").strip()
        if not target:
            raise MalformedLine("CLEARMSG without target-msg-id")
        return MessageDeleted(twitch_message_id=target)
    if command == "CLEARCHAT":
        if len(params) < 2 or not params[1].strip():
            return ChatCleared()
        return UserCleared(login=params[1].strip().lower(), duration_seconds=_ban_duration(tags))
    return _chat(line, tags, channel)


def _control(line: Line) -> Control | None:
    command, params = line.command, line.params
    if command == "PING":
        return Ping(token=params[0] if params else "tmi.twitch.tv")
    if command == "RECONNECT":
        return Reconnect()
    if command == "001":
        return Welcome()
    if command == "NOTICE":
        return Notice(text=params[-1] if params else "notice without text")
    if command == "CAP" and len(params) >= 3 and params[1] == "NAK":
        return Notice(text=f"Twitch refused the capabilities {params[2]}")
    return None


def _chat(line: Line, tags: dict[str, str], channel: str) -> ChatReceived:
    if len(line.params) < 2:
        raise MalformedLine("PRIVMSG without text")
    login = _nick(line)
    text = line.params[1]
    if text.startswith(_ACTION[0]):  # "/me waves"
        text = text.removeprefix(_ACTION[0]).removesuffix(_ACTION[1])
    bits = _bits(tags)
    badges = {badge.partition("/")[0] for badge in tags.get("badges", "").split(",")}
    twitch_id = tags.get("id", "").strip()
    incoming = IncomingChat(
        sent_by=_display_name(tags, login),
        text=text,
        message_type=MessageType.BITS if bits else MessageType.CHAT,
        bits_amount=bits,
        twitch_message_id=twitch_id if 0 < len(twitch_id) <= MAX_TWITCH_ID_CHARS else None,
        is_moderator=bool(badges & _MODERATOR_BADGES) or login == channel,
    )
    return ChatReceived(incoming=incoming)


def _nick(line: Line) -> str:
    if not line.source:
        raise MalformedLine(f"{line.command} without a sender")
    return str(line.hostmask.nickname).lower()


def _display_name(tags: dict[str, str], login: str) -> str:
    # Localised display names (say, in Japanese) are not the login: mutes and !tts commands name senders by
    # login, and the English voices cannot read them, so only a display name that is the login in other
    # capitals is used.
    shown = tags.get("display-name", "").strip()
    return shown if shown.lower() == login else login


def _bits(tags: dict[str, str]) -> int | None:
    value = tags.get("bits", "").strip()
    if not value:
        return None
    if not value.isdigit() or not value.isascii():
        raise MalformedLine(f"bits tag is not a number: {value[:20]!r}")
    return int(value) or None


def _ban_duration(tags: dict[str, str]) -> int | None:
    value = tags.get("ban-duration", "").strip()
    if not value:
        return None
    if not value.isdigit() or not value.isascii() or int(value) < 1:
        raise MalformedLine(f"ban-duration is not a number of seconds: {value[:20]!r}")
    return int(value)
