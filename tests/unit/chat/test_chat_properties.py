"""Invariants of the chat pipeline, checked on generated chat-like text."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from tts_core.chat import (
    Accepted,
    ChatRules,
    IncomingChat,
    MessageType,
    clean_text,
    mentions,
    readable_name,
    screen_chat,
    spoken_message,
)
from tts_core.chat.characters import normalize_any_characters, normalize_characters
from tts_core.chat.limits import cut_at_word
from tts_core.chat.names import MAX_NAME_CHARS

NOISE = [
    *("@streamer", "@Streamer,", "(@streamer)", "@streamer's", "@xX_g4mer_42_Xx", "@", "\uff20streamer", "me@mail.com"),
    *("https://x.com/a?b=c.", "www.twitch.tv/foo", "discord.gg/abc", "://", "bit.ly/x)", "foo.comedy", "e.g."),
    *("Kappa", "LUL", ":)", "D:", "D", ":", "<3", "Cheer100", "kappa5", "Cheer0", "cheer"),
    *("hahahahaha", "nooooooo", "spam", "!!!!!", "...", " , ", "?", "(", ")", "[]", "!lurk"),
    *("😀", "🇫🇷", "👍🏽", "❤️", "1️⃣", "°", "ﬁ", "①", "\uff28\uff45\uff4c\uff4c\uff4f"),
    *("\u200b", "\x00", "\n", "\t", "\u202e"),
    *("Z̷̢̛a̵l̶g̸o̴", "क्षि", "e\u0301", "\u0316\u0301", "가", "\u1100", "\u1161", "日本語", "bad", "BAAAD", "b a d"),
]
chat_text = st.one_of(
    st.text(max_size=60),
    st.lists(st.one_of(st.sampled_from(NOISE), st.sampled_from([" ", " ", ""]), st.text(max_size=4)), max_size=25).map(
        "".join
    ),
)
rules_strategy = st.builds(
    ChatRules,
    username=st.just("streamer"),
    banned_words=st.sampled_from([(), ("bad",), ("bad", "b a d")]),
    banned_word_action=st.sampled_from(["drop", "mask"]),
    mask_word=st.sampled_from(["bleep", "", "Kappa"]),
    link_action=st.sampled_from(["replace", "remove"]),
    link_word=st.sampled_from(["link", "a link", "spam"]),
    max_chars=st.integers(min_value=1, max_value=80),
    message_template=st.sampled_from(["", "{user} says: {text}"]),
    bits_template=st.sampled_from(["", "{user} cheered {bits} bits: {text}"]),
)
incoming_strategy = st.builds(
    IncomingChat,
    sent_by=st.one_of(st.text(min_size=1, max_size=30), st.sampled_from(["xX_g4mer_42_Xx", "nightbot", "___"])),
    text=chat_text.filter(str.strip),
    message_type=st.sampled_from(MessageType),
    bits_amount=st.integers(min_value=1, max_value=10_000),
)


def unreadable(text: str) -> bool:
    return "@" in text or "://" in text or any(unicodedata.category(char)[0] == "C" for char in text)


@given(text=chat_text, rules=rules_strategy, bits=st.booleans())
def test_cleaning_is_idempotent(text: str, rules: ChatRules, bits: bool) -> None:
    """Cleaning cleaned text gives the same text again."""
    once = clean_text(text, rules=rules, bits=bits)
    assert clean_text(once, rules=rules, bits=bits) == once


@given(text=chat_text, rules=rules_strategy, bits=st.booleans())
def test_spoken_message_is_idempotent_and_within_the_limit(text: str, rules: ChatRules, bits: bool) -> None:
    """The message part is never longer than max_chars, and preparing it again changes nothing."""
    once = spoken_message(text, rules=rules, bits=bits)
    assert len(once) <= rules.max_chars
    assert spoken_message(once, rules=rules, bits=bits) == once
    assert once == once.strip()


@given(text=st.text(max_size=200), max_chars=st.integers(min_value=1, max_value=100))
def test_cut_at_word_is_a_short_idempotent_prefix(text: str, max_chars: int) -> None:
    """A cut is a prefix of the text, fits the limit, and cutting it again changes nothing."""
    cut = cut_at_word(text, max_chars=max_chars)
    assert text.startswith(cut)
    assert len(cut) <= max_chars
    assert cut_at_word(cut, max_chars=max_chars) == cut


@given(
    username=st.from_regex(r"[A-Za-z0-9_]{1,25}", fullmatch=True),
    before=st.text(max_size=20).filter(lambda text: not text or not (text[-1].isalnum() or text[-1] in "_@")),
    after=st.text(max_size=20).filter(lambda text: not text or not (text[0].isalnum() or text[0] == "_")),
)
def test_a_whole_at_name_is_always_a_mention(username: str, before: str, after: str) -> None:
    """@username is found in any case whatever surrounds it, as long as it is not glued to a longer name."""
    assert mentions(f"{before}@{username.upper()}{after}", username)


@given(name=st.text(max_size=60))
def test_readable_names_are_short_and_plain(name: str) -> None:
    """A readable name fits in 25 characters and holds no @ or control character."""
    readable = readable_name(name)
    assert len(readable) <= MAX_NAME_CHARS
    assert not unreadable(readable)


@given(incoming=incoming_strategy, rules=rules_strategy)
def test_screen_chat_never_raises_and_reads_plain_text(incoming: IncomingChat, rules: ChatRules) -> None:
    """Any validated message is accepted with plain, non-empty text or rejected with a reason."""
    decision = screen_chat(incoming, rules)
    if isinstance(decision, Accepted):
        assert decision.spoken_text.strip()
        assert not unreadable(decision.spoken_text)
        # the engine reads the same words, the template's part before the text on a line of its own
        engine = decision.engine_text or decision.spoken_text
        assert engine.count("\n") <= 1
        assert engine.replace("\n", " ") == decision.spoken_text.replace("[", "(").replace("]", ")")
    else:
        assert decision.reason
        assert decision.detail


@given(incoming=incoming_strategy, rules=rules_strategy)
def test_screen_chat_text_without_template_fits_the_limit(incoming: IncomingChat, rules: ChatRules) -> None:
    """With empty templates the spoken text is the message part, at most max_chars long."""
    plain = ChatRules(
        username=rules.username,
        banned_words=rules.banned_words,
        banned_word_action=rules.banned_word_action,
        max_chars=rules.max_chars,
        message_template="",
        bits_template="",
    )
    decision = screen_chat(incoming, plain)
    if isinstance(decision, Accepted):
        assert len(decision.spoken_text) <= plain.max_chars


@given(text=st.text(alphabet=st.characters(max_codepoint=127), max_size=200))
def test_plain_ascii_chat_is_cleaned_as_any_text_would_be(text: str) -> None:
    """The ASCII shortcut (most chat) gives exactly what the character-by-character clean-up gives."""
    assert normalize_characters(text) == normalize_any_characters(text)
