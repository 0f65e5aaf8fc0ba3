"""screen_chat: which messages are queued, where, and what is read."""

from __future__ import annotations

import pytest

from tts_core.chat import REASONS, Accepted, ChatRules, IncomingChat, MessageType, Rejected, screen_chat
from tts_core.model import QueueKind

RULES = ChatRules(username="streamer", banned_words=("darn",), message_template="", bits_template="")


def chat(text: str, *, sent_by: str = "viewer", kind: str = "chat", bits: int | None = None) -> IncomingChat:
    return IncomingChat(sent_by=sent_by, text=text, message_type=MessageType(kind), bits_amount=bits)


@pytest.mark.parametrize(
    ("incoming", "rules", "reason"),
    [
        (chat("@streamer hi", sent_by="Nightbot"), RULES, "blocked_user"),
        (chat("@streamer hi", sent_by="@StreamElements"), RULES, "blocked_user"),
        (
            chat("Cheer5 hi", sent_by="troll", kind="bits", bits=5),
            ChatRules(username="s", blocked_users={"Troll"}),
            "blocked_user",
        ),
        (chat("!lurk"), RULES, "command"),
        (chat("  !so @streamer"), RULES, "command"),
        (chat("Cheer5 hi", kind="bits", bits=5), ChatRules(username="s", min_bits=100), "below_min_bits"),
        (chat("hello streamer"), RULES, "no_mention"),
        (chat("@streamer_fan hi"), RULES, "no_mention"),
        (
            chat("hi all", kind="mention"),
            RULES,
            "no_mention",
        ),
        (chat("@streamer darn it"), RULES, "banned_word"),
        (chat("@streamer DAAARN it"), RULES, "banned_word"),
        (chat("@streamer d\u200barn it"), RULES, "banned_word"),
        (chat("@streamer darn_it"), RULES, "banned_word"),
        (chat("@streamer hi", sent_by="darn_it"), RULES, "banned_word"),
        (chat("@streamer Kappa LUL"), RULES, "emote_only"),
        (chat("@streamer 😂😂😂"), RULES, "emote_only"),
        (chat("Cheer100", kind="bits", bits=100), RULES, "emote_only"),
        (chat("@streamer"), RULES, "nothing_to_say"),
        (chat("@streamer ?!?!"), RULES, "nothing_to_say"),
        (chat("@streamer https://x.com"), ChatRules(username="streamer", link_action="remove"), "nothing_to_say"),
    ],
)
def test_rejected_messages_say_why(incoming: IncomingChat, rules: ChatRules, reason: str) -> None:
    """A message that is not queued comes back with its stable reason code and a sentence."""
    decision = screen_chat(incoming, rules)
    assert isinstance(decision, Rejected)
    assert decision.reason == reason
    assert decision.reason in REASONS
    assert decision.detail


@pytest.mark.parametrize(
    ("incoming", "queue", "spoken"),
    [
        (chat("@streamer hello there!"), QueueKind.MENTIONS, "hello there!"),
        (chat("hey @Streamer, how are you?"), QueueKind.MENTIONS, "hey, how are you?"),
        (chat("(@STREAMER) hi", kind="mention"), QueueKind.MENTIONS, "hi"),
        (chat("@streamer @other_fan @streamer hi"), QueueKind.MENTIONS, "other fan hi"),
        (chat("@@streamer hi"), QueueKind.MENTIONS, "hi"),
        (chat("Cheer100 great stream!", kind="bits", bits=100), QueueKind.BITS, "great stream!"),
        (chat("no mention needed Kappa100", kind="bits", bits=100), QueueKind.BITS, "no mention needed"),
        (chat("!so great stream", kind="bits", bits=10), QueueKind.BITS, "so great stream"),
        (chat("@streamer Kappa that was funny LUL"), QueueKind.MENTIONS, "that was funny"),
        (chat("@streamer hahahahahaha nooooooo"), QueueKind.MENTIONS, "hahaha nooo"),
    ],
)
def test_accepted_messages_are_queued_and_cleaned(incoming: IncomingChat, queue: QueueKind, spoken: str) -> None:
    """A queued message goes to its queue with the cleaned text (templates empty here)."""
    assert screen_chat(incoming, RULES) == Accepted(queue=queue, spoken_text=spoken, voice=None)


def test_bits_at_the_minimum_are_read() -> None:
    """A cheer of exactly min_bits is queued."""
    rules = ChatRules(username="s", min_bits=100)
    assert isinstance(screen_chat(chat("Cheer100 hi", kind="bits", bits=100), rules), Accepted)


@pytest.mark.parametrize(
    ("incoming", "rules", "spoken"),
    [
        (chat("@streamer hi", sent_by="xX_g4mer_42_Xx"), ChatRules(username="streamer"), "gamer 42 says: hi"),
        (
            chat("Cheer500 gg", sent_by="BigFan", kind="bits", bits=500),
            ChatRules(username="s"),
            "Big Fan cheered 500 bits: gg",
        ),
        (
            chat("@streamer hi", sent_by="ninja"),
            ChatRules(username="streamer", message_template="{user}: {text}"),
            "ninja: hi",
        ),
        (chat("@streamer hi", sent_by="___"), ChatRules(username="streamer"), "someone says: hi"),
        (
            chat("@streamer hi", sent_by="darn_it"),
            ChatRules(username="streamer", banned_words=["darn"], banned_word_action="mask"),
            "bleep it says: hi",
        ),
        (
            chat("@streamer darn it", sent_by="v"),
            ChatRules(username="streamer", banned_words=["darn"], banned_word_action="mask", message_template=""),
            "bleep it",
        ),
        (
            chat("@streamer darn it", sent_by="v"),
            ChatRules(
                username="streamer", banned_words=["darn"], banned_word_action="mask", mask_word="", message_template=""
            ),
            "it",
        ),
    ],
)
def test_templates_add_the_readable_sender(incoming: IncomingChat, rules: ChatRules, spoken: str) -> None:
    """The template puts the readable sender name, the bits and the text together."""
    decision = screen_chat(incoming, rules)
    assert isinstance(decision, Accepted)
    assert decision.spoken_text == spoken


@pytest.mark.parametrize(
    ("sender", "voice"), [("VIP_Fan", "jared50_lex50"), ("vip_fan", "jared50_lex50"), ("other", None)]
)
def test_user_voice_override_follows_the_sender(sender: str, voice: str | None) -> None:
    """A sender listed in user_voices gets their mix, in any case; others get the default voice."""
    rules = ChatRules(username="streamer", user_voices={"@vip_fan": "jared50_lex50"})
    decision = screen_chat(chat("@streamer hi", sent_by=sender), rules)
    assert isinstance(decision, Accepted)
    assert decision.voice == voice


def test_max_chars_cuts_the_text_before_the_template() -> None:
    """The limit applies to the message text only, at a word boundary."""
    rules = ChatRules(username="streamer", max_chars=13)
    decision = screen_chat(chat("@streamer one two three four", sent_by="bob"), rules)
    assert decision == Accepted(
        queue=QueueKind.MENTIONS, spoken_text="bob says: one two three", engine_text="bob says:\none two three"
    )
