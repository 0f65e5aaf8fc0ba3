"""The pure moderation rules: chat commands, mutes, anti-spam limits and expiry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tts_core.chat_commands import (
    ChatCommand,
    ClearCommand,
    MuteCommand,
    SkipCommand,
    UnmuteCommand,
    parse_chat_command,
)
from tts_core.errors import InvalidInput
from tts_core.model import Message, QueueKind
from tts_core.moderation import AntiSpamRules, check_spam, checked_twitch_id, checked_user, is_expired, mute_for

NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def sent(seconds_ago: float, text: str = "viewer says: hi") -> Message:
    created = NOW - timedelta(seconds=seconds_ago)
    return Message(queue=QueueKind.MENTIONS, sent_by="viewer", text=text, spoken_text=text, created_at=created)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("!tts skip", SkipCommand()),
        ("  !TTS Skip  ", SkipCommand()),
        ("!tts clear", ClearCommand()),
        ("!tts mute Troll", MuteCommand(user="troll", minutes=10)),
        ("!tts mute @troll 5", MuteCommand(user="troll", minutes=5)),
        ("!tts unmute @Troll", UnmuteCommand(user="troll")),
        ("!tts skip now", None),
        ("!tts mute", None),
        ("!tts mute troll 0", None),
        ("!tts mute troll 999999", None),
        ("!tts unmute troll 5", None),
        ("!tts dance", None),
        ("!ttsskip", None),
        ("@streamer !tts skip", None),
        ("!lurk", None),
    ],
)
def test_chat_commands_are_read_strictly(text: str, expected: ChatCommand | None) -> None:
    """Only the four documented commands, well formed, are commands; anything else is not."""
    assert parse_chat_command(text) == expected


def test_a_timeout_ends_and_a_ban_does_not() -> None:
    """A timeout holds until its end; a ban (no duration) holds forever; durations outside 1 s..2 weeks are refused."""
    timeout = mute_for("troll", now=NOW, duration_seconds=600)
    assert timeout.active(NOW + timedelta(seconds=599))
    assert not timeout.active(NOW + timedelta(seconds=600))
    ban = mute_for("troll", now=NOW, duration_seconds=None)
    assert ban.until is None
    assert ban.active(NOW + timedelta(days=3650))
    for bad in (0, -5, 14 * 24 * 3600 + 1):
        with pytest.raises(InvalidInput) as caught:
            mute_for("troll", now=NOW, duration_seconds=bad)
        assert caught.value.field == "duration_seconds"


def test_user_names_and_twitch_ids_are_checked() -> None:
    """Users compare as lower-case logins without @; junk and over-long ids are refused naming the field."""
    assert checked_user(" @SomeOne ") == "someone"
    for bad in ("", "@", "two words", "semi;colon"):
        with pytest.raises(InvalidInput) as caught:
            checked_user(bad)
        assert caught.value.field == "user"
    assert checked_twitch_id(" abc ") == "abc"
    with pytest.raises(InvalidInput):
        checked_twitch_id("x" * 65)
    with pytest.raises(InvalidInput):
        checked_twitch_id("  ")


def test_limits_are_off_by_default() -> None:
    """With no limit configured, even a flood of identical messages passes."""
    recent = [sent(1), sent(2), sent(3)]
    assert check_spam(AntiSpamRules(), now=NOW, spoken_text="viewer says: hi", recent=recent, waiting=50) is None


def test_cooldown_says_how_long_to_wait() -> None:
    """Within the cooldown after the last message the next is refused, and the detail says how many seconds remain."""
    rules = AntiSpamRules(user_cooldown=30)
    refused = check_spam(rules, now=NOW, spoken_text="x", recent=[sent(40), sent(10)], waiting=0)
    assert refused is not None
    assert refused.reason == "user_cooldown"
    assert "20 s" in refused.detail
    assert check_spam(rules, now=NOW, spoken_text="x", recent=[sent(30)], waiting=0) is None


def test_pending_cap_counts_waiting_messages() -> None:
    """At the cap the next message is refused; below it, it passes."""
    rules = AntiSpamRules(max_pending_per_user=2)
    refused = check_spam(rules, now=NOW, spoken_text="x", recent=[], waiting=2)
    assert refused is not None
    assert refused.reason == "user_queue_full"
    assert check_spam(rules, now=NOW, spoken_text="x", recent=[], waiting=1) is None


def test_duplicates_compare_cleaned_text_in_any_case() -> None:
    """The same text in other case or spacing within the window is a duplicate; later, or other text, is not."""
    rules = AntiSpamRules(duplicate_window=60)
    refused = check_spam(rules, now=NOW, spoken_text="viewer says:  HI", recent=[sent(30)], waiting=0)
    assert refused is not None
    assert refused.reason == "duplicate"
    assert "hi" not in refused.detail.lower().split()  # the text itself is never quoted
    assert check_spam(rules, now=NOW, spoken_text="viewer says: hi", recent=[sent(61)], waiting=0) is None
    assert check_spam(rules, now=NOW, spoken_text="viewer says: bye", recent=[sent(5)], waiting=0) is None


def test_expiry_is_off_at_zero_and_strict_past_the_age() -> None:
    """A message expires only once it has waited longer than the maximum age."""
    assert not is_expired(sent(10_000), now=NOW, max_age_seconds=0)
    assert not is_expired(sent(60), now=NOW, max_age_seconds=60)
    assert is_expired(sent(61), now=NOW, max_age_seconds=60)
