"""What Twitch chat's IRC lines mean: chat, moderation and control lines, and malformed ones."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.twitch_irc import (
    ChatCleared,
    ChatReceived,
    MalformedLine,
    MessageDeleted,
    ReaderTimings,
    UserCleared,
    parse_irc_url,
    parse_line,
)
from adapters.twitch_irc.endpoint import IrcEndpoint
from adapters.twitch_irc.lines import Joined, Notice, Ping, Reconnect, Welcome
from tests.twitch_fake import privmsg
from tts_core.chat import IncomingChat, MessageType


def parse(raw: str) -> object:
    return parse_line(raw, channel="streamer", nick="justinfan123")


def chat(raw: str) -> IncomingChat:
    parsed = parse(raw)
    assert isinstance(parsed, ChatReceived), parsed
    return parsed.incoming


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        ({"display_name": "Viewer"}, "Viewer"),
        ({"display_name": ""}, "viewer"),
        ({}, "viewer"),
        ({"display_name": "ビューア"}, "viewer"),
        ({"display_name": "SomeoneElse"}, "viewer"),
        ({"display_name": r"Viewer\s"}, "Viewer"),
    ],
)
def test_the_sender_is_the_display_name_only_when_it_is_the_login(tags: dict[str, str], expected: str) -> None:
    """Empty, localised or unrelated display names fall back to the login (mutes and commands name logins)."""
    assert chat(privmsg("viewer", "hi", **tags)).sent_by == expected


def test_a_plain_message_carries_its_id_and_text() -> None:
    """A PRIVMSG: a chat message with Twitch's id; the server finds mentions itself."""
    incoming = chat(privmsg("viewer", "@streamer hi there :)", id="abc-1"))
    assert incoming == IncomingChat(
        sent_by="viewer", text="@streamer hi there :)", message_type=MessageType.CHAT, twitch_message_id="abc-1"
    )


def test_bits_make_a_bits_message() -> None:
    """The bits tag: a bits message with that amount."""
    incoming = chat(privmsg("cheerer", "Cheer250 hype", bits="250"))
    assert (incoming.message_type, incoming.bits_amount) == (MessageType.BITS, 250)


@pytest.mark.parametrize(
    ("badges", "login", "moderator"),
    [
        ("moderator/1,subscriber/12", "viewer", True),
        ("broadcaster/1", "streamer", True),
        ("subscriber/12,vip/1", "viewer", False),
        ("", "viewer", False),
        ("", "streamer", True),  # the channel's owner, even without the badge
    ],
)
def test_moderator_and_broadcaster_badges_make_a_moderator(badges: str, login: str, moderator: bool) -> None:
    """moderator/… or broadcaster/… (or being the channel) mark the sender as a moderator."""
    assert chat(privmsg(login, "!tts skip", badges=badges)).is_moderator is moderator


def test_me_actions_are_read_as_their_text() -> None:
    """``/me waves`` arrives wrapped in CTCP ACTION; the text is just ``waves``."""
    assert chat(privmsg("viewer", "\x01ACTION waves\x01")).text == "waves"


def test_overlong_ids_are_left_out() -> None:
    """An id over 64 characters is not Twitch's: the message is kept without it."""
    assert chat(privmsg("viewer", "hi", id="x" * 65)).twitch_message_id is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("@target-msg-id=abc :tmi.twitch.tv CLEARMSG #streamer :text", MessageDeleted(twitch_message_id="abc")),
        (
            "@ban-duration=600 :tmi.twitch.tv CLEARCHAT #streamer :Troll",
            UserCleared(login="troll", duration_seconds=600),
        ),
        (":tmi.twitch.tv CLEARCHAT #streamer :troll", UserCleared(login="troll", duration_seconds=None)),
        (":tmi.twitch.tv CLEARCHAT #streamer", ChatCleared()),
        ("PING :tmi.twitch.tv", Ping(token="tmi.twitch.tv")),
        (":tmi.twitch.tv RECONNECT", Reconnect()),
        (":tmi.twitch.tv 001 justinfan123 :Welcome, GLHF!", Welcome()),
        (":justinfan123!justinfan123@justinfan123.tmi.twitch.tv JOIN #streamer", Joined()),
        (":tmi.twitch.tv NOTICE * :Login authentication failed", Notice(text="Login authentication failed")),
        (":tmi.twitch.tv CAP * NAK :twitch.tv/tags", Notice(text="Twitch refused the capabilities twitch.tv/tags")),
        (":someone!someone@someone.tmi.twitch.tv JOIN #streamer", None),
        (privmsg("viewer", "elsewhere", channel="other"), None),
        ("@target-msg-id=abc :tmi.twitch.tv CLEARMSG #other :text", None),
        ("@room-id=1 :tmi.twitch.tv ROOMSTATE #streamer", None),
        (":tmi.twitch.tv PONG tmi.twitch.tv :tts-server", None),
    ],
)
def test_moderation_and_control_lines(raw: str, expected: object) -> None:
    """CLEARMSG, CLEARCHAT with and without a user, PING, RECONNECT, welcome, our JOIN, notices; others ignored."""
    assert parse(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        ":only-a-source",
        "@a=b",
        "PRIVMSG",
        ":viewer!viewer@v PRIVMSG #streamer",
        "PRIVMSG #streamer :no sender",
        privmsg("viewer", "hi", bits="lots"),
        privmsg("viewer", "hi", bits="²"),
        "@ban-duration=soon :tmi.twitch.tv CLEARCHAT #streamer :troll",
        "@ban-duration=0 :tmi.twitch.tv CLEARCHAT #streamer :troll",
        ":tmi.twitch.tv CLEARMSG #streamer :no target",
        ":tmi.twitch.tv CLEARCHAT",
    ],
)
def test_malformed_lines_are_refused_with_a_reason(raw: str) -> None:
    """Lines that are not IRC, or Twitch commands without what they must carry, raise MalformedLine."""
    with pytest.raises(MalformedLine):
        parse(raw)


@given(st.text(max_size=300))
def test_any_text_parses_or_is_malformed(raw: str) -> None:
    """Whatever a server sends, parsing gives a meaning, nothing, or MalformedLine: never another error."""
    with contextlib.suppress(MalformedLine):
        parse(raw)


@given(st.dictionaries(st.sampled_from(["bits", "badges", "id", "display-name", "ban-duration"]), st.text(max_size=20)))
def test_any_tags_parse_or_are_malformed(tags: dict[str, str]) -> None:
    """Any values of the tags we read: a meaning or MalformedLine, for chat and CLEARCHAT alike."""
    escaped = ";".join(f"{k}={v.replace(' ', '').replace(';', '')}" for k, v in tags.items())
    for line in (f"@{escaped} :v!v@v PRIVMSG #streamer :hi", f"@{escaped} :tmi.twitch.tv CLEARCHAT #streamer :v"):
        with contextlib.suppress(MalformedLine):
            parse(line.replace("\r", "").replace("\n", ""))


@pytest.mark.parametrize(
    ("url", "endpoint"),
    [
        ("ircs://irc.chat.twitch.tv:6697", IrcEndpoint(host="irc.chat.twitch.tv", port=6697, tls=True)),
        ("irc://127.0.0.1:6667", IrcEndpoint(host="127.0.0.1", port=6667, tls=False)),
        ("ircs://irc.chat.twitch.tv", IrcEndpoint(host="irc.chat.twitch.tv", port=6697, tls=True)),
        ("irc://localhost/", IrcEndpoint(host="localhost", port=6667, tls=False)),
    ],
)
def test_irc_urls(url: str, endpoint: IrcEndpoint) -> None:
    """irc:// is plain TCP, ircs:// is TLS; the port defaults to 6667 and 6697."""
    assert parse_irc_url(url) == endpoint


@pytest.mark.parametrize(
    "url", ["http://x:1", "irc://", "ircs://:6697", "irc://h:99999", "irc://h:1/#chan", "irc://u:p@h:1", "h:6667"]
)
def test_other_urls_are_refused(url: str) -> None:
    """Anything but ircs://host:port or irc://host:port is a ValueError with a sentence."""
    with pytest.raises(ValueError, match="irc"):
        parse_irc_url(url)


def test_back_off_doubles_up_to_its_maximum() -> None:
    """The wait after n failures is base·2ⁿ, at most the maximum, however many failures."""
    timings = ReaderTimings(backoff_base=1.0, backoff_max=60.0)
    assert [timings.backoff(n) for n in range(8)] == [1, 2, 4, 8, 16, 32, 60, 60]
    assert timings.backoff(10_000) == 60
