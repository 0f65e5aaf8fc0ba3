"""Chat rules: the streamer's settings for what gets read and how it sounds."""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any, TypeVar

import attrs

from tts_core.chat.characters import normalize_characters
from tts_core.chat.known import DEFAULT_BLOCKED_BOTS, DEFAULT_CHEER_PREFIXES, DEFAULT_EMOTES
from tts_core.chat.templates import check_template
from tts_core.errors import InvalidInput
from tts_core.voice_mix import parse_voice_mix


class BannedWordAction(enum.StrEnum):
    """What a banned word does to its message."""

    DROP = "drop"
    """The message is not queued."""
    MASK = "mask"
    """The word is replaced by :attr:`ChatRules.mask_word`."""


class LinkAction(enum.StrEnum):
    """What happens to links in spoken text."""

    REPLACE = "replace"
    """Each link is read as :attr:`ChatRules.link_word`."""
    REMOVE = "remove"
    """Links are not read at all."""


DEFAULT_MESSAGE_TEMPLATE = "{user} says: {text}"
DEFAULT_BITS_TEMPLATE = "{user} cheered {bits} bits: {text}"


def login(name: str) -> str:
    """A Twitch name as rules compare it: trimmed, without a leading ``@``, in lower case."""
    return name.strip().lstrip("@").lower()


def _logins(names: Iterable[str]) -> frozenset[str]:
    return frozenset(filter(None, map(login, names)))


def _words(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(" ".join(word.split()).casefold() for word in words if word.strip()))


def _voices(voices: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType({login(user): mix.strip() for user, mix in voices.items()})


def _prefixes(prefixes: Iterable[str]) -> frozenset[str]:
    return frozenset(prefix.strip().lower() for prefix in prefixes if prefix.strip())


def _emotes(emotes: Iterable[str]) -> frozenset[str]:
    return frozenset(emote.strip() for emote in emotes if emote.strip())


def _banned_word_action(value: str) -> BannedWordAction:
    return _choice(BannedWordAction, value, "banned_word_action")


def _link_action(value: str) -> LinkAction:
    return _choice(LinkAction, value, "link_action")


_Choice = TypeVar("_Choice", bound=enum.StrEnum)


def _choice(kind: type[_Choice], value: str, field: str) -> _Choice:
    try:
        return kind(value.strip().lower())
    except ValueError:
        choices = " or ".join(member.value for member in kind)
        raise InvalidInput(field, f"must be {choices}, not {value!r}") from None


def _check_username(_: Any, attribute: attrs.Attribute[str], value: str) -> None:
    if not re.fullmatch(r"\w+", value):
        raise InvalidInput(attribute.name, f"must be a Twitch login (letters, digits, underscores), not {value!r}")


def _check_at_least(minimum: int) -> Callable[[Any, attrs.Attribute[int], int], None]:
    def check(_: Any, attribute: attrs.Attribute[int], value: int) -> None:
        if value < minimum:
            raise InvalidInput(attribute.name, f"must be at least {minimum}, not {value}")

    return check


def _check_plain_word(_: Any, attribute: attrs.Attribute[str], value: str) -> None:
    if not re.fullmatch(r"[\w' -]*", value) or normalize_characters(value) != value:
        raise InvalidInput(attribute.name, f"must be plain words (letters, digits, spaces), not {value!r}")


def _check_template(_: Any, attribute: attrs.Attribute[str], value: str) -> None:
    check_template(value, attribute.name)


def _check_voices(_: Any, attribute: attrs.Attribute[Mapping[str, str]], value: Mapping[str, str]) -> None:
    for user, mix in value.items():
        if not user:
            raise InvalidInput(attribute.name, "a user name is empty")
        try:
            parse_voice_mix(mix)
        except InvalidInput as error:
            raise InvalidInput(attribute.name, f"{user}: {error.message}") from None


@attrs.frozen(kw_only=True)
class ChatRules:
    """The streamer's settings for what gets read and how it sounds.

    Invalid values raise :class:`~tts_core.errors.InvalidInput` naming the field. Names are compared
    in lower case without a leading ``@``; banned words in any case.
    """

    username: str = attrs.field(converter=login, validator=_check_username)
    """The streamer's Twitch login (``TTS_USERNAME``): ``@username`` in chat is a mention."""
    min_bits: int = attrs.field(default=1, validator=_check_at_least(0))
    """Fewest bits a cheer needs to be read (``TTS_MIN_BITS``)."""
    blocked_users: frozenset[str] = attrs.field(default=DEFAULT_BLOCKED_BOTS, converter=_logins)
    """Senders never read (``TTS_BLOCKED_USERS`` plus :data:`DEFAULT_BLOCKED_BOTS`)."""
    banned_words: tuple[str, ...] = attrs.field(default=(), converter=_words)
    """Words or phrases matched whole, in any case, letters drawn out or not (``TTS_BANNED_WORDS``)."""
    banned_word_action: BannedWordAction = attrs.field(default=BannedWordAction.DROP, converter=_banned_word_action)
    """Drop the message or mask the word (``TTS_BANNED_WORD_ACTION``)."""
    mask_word: str = attrs.field(default="bleep", validator=_check_plain_word)
    """What a masked word is read as; empty to leave it out."""
    link_action: LinkAction = attrs.field(default=LinkAction.REPLACE, converter=_link_action)
    """Read links as :attr:`link_word` or leave them out (``TTS_LINK_ACTION``)."""
    link_word: str = attrs.field(default="link", validator=_check_plain_word)
    """What a link is read as (``TTS_LINK_WORD``)."""
    max_chars: int = attrs.field(default=300, validator=_check_at_least(1))
    """Longest message text, before the template, cut at a word (``TTS_MAX_CHARS``)."""
    message_template: str = attrs.field(default=DEFAULT_MESSAGE_TEMPLATE, validator=_check_template)
    """How a mention is read (``TTS_MESSAGE_TEMPLATE``); empty for the text alone."""
    bits_template: str = attrs.field(default=DEFAULT_BITS_TEMPLATE, validator=_check_template)
    """How a cheer is read (``TTS_BITS_TEMPLATE``); empty for the text alone."""
    user_voices: Mapping[str, str] = attrs.field(factory=dict, converter=_voices, validator=_check_voices, hash=False)
    """Voice mix per sender, e.g. ``{"vip_fan": "jared50_lex50"}`` (``TTS_USER_VOICES``)."""
    emotes: frozenset[str] = attrs.field(default=DEFAULT_EMOTES, converter=_emotes, repr=False)
    """Emote names left out of spoken text when they stand alone, matched exactly (case counts)."""
    cheer_prefixes: frozenset[str] = attrs.field(default=DEFAULT_CHEER_PREFIXES, converter=_prefixes, repr=False)
    """Cheermote prefixes removed from bits text with their amount (``Cheer100``)."""
