"""Moderation with the in-memory fakes: deletions (also early ones), timeouts and bans, skip and the loop."""

from __future__ import annotations

import pytest

from tests.world import World
from tts_core import DeletionReason, InvalidInput, Message, MessageNotFound, MessageStatus
from tts_core.chat import IncomingChat, MessageType
from tts_core.events import MessagesRemoved, PlaybackFinished, PlaybackStarted, UserMuted, UserUnmuted
from tts_core.moderation import EARLY_DELETION_MEMORY
from tts_core.services import NotQueued


def chat(text: str, sent_by: str = "viewer", twitch_id: str | None = None, moderator: bool = False) -> IncomingChat:
    return IncomingChat(
        sent_by=sent_by, text=text, message_type=MessageType.CHAT, twitch_message_id=twitch_id, is_moderator=moderator
    )


def refused(world: World, incoming: IncomingChat) -> NotQueued:
    result = world.ingest.add_message(incoming)
    assert isinstance(result, NotQueued), result
    return result


def status(world: World, message: Message) -> MessageStatus:
    return world.queues.get(message.id or 0).status


def test_delete_message_removes_a_waiting_message_and_its_file(world: World) -> None:
    """The message with that Twitch id is soft-deleted (moderated) and its file is gone; others stay."""
    doomed = world.add("@streamer bad", twitch_id="tw-1")
    kept = world.add("@streamer good", twitch_id="tw-2")
    world.drain()
    assert world.moderation.delete_message(twitch_message_id="tw-1") == (doomed.id,)
    gone = world.queues.get(doomed.id or 0)
    assert (gone.status, gone.deletion_reason) == (MessageStatus.DELETED, DeletionReason.MODERATED)
    assert gone.twitch_message_id == "tw-1"
    assert f"{doomed.id}.wav" not in world.audio.files
    assert status(world, kept) is MessageStatus.READY
    removed = world.events.of_type(MessagesRemoved)[-1]
    assert isinstance(removed, MessagesRemoved)
    assert (removed.message_ids, removed.reason, removed.playing_ids) == ((doomed.id,), DeletionReason.MODERATED, ())


def test_delete_message_is_idempotent_and_leaves_played_messages(world: World) -> None:
    """Deleting again removes nothing more; a message already played is history and stays played."""
    played = world.add("@streamer old", twitch_id="tw-old")
    world.drain()
    world.playback.play_next()
    world.playback.mark_played(played.id or 0)
    assert world.moderation.delete_message(twitch_message_id="tw-old") == ()
    assert status(world, played) is MessageStatus.PLAYED
    waiting = world.add("@streamer new", twitch_id="tw-new")
    assert world.moderation.delete_message(twitch_message_id="tw-new") == (waiting.id,)
    assert world.moderation.delete_message(twitch_message_id="tw-new") == ()


def test_a_deletion_before_its_message_keeps_it_out_for_a_few_minutes(world: World) -> None:
    """The App may deliver the deletion first: the message then is not queued (moderated), until the memory ends."""
    assert world.moderation.delete_message(twitch_message_id="tw-early") == ()
    result = refused(world, chat("@streamer troll text", twitch_id="tw-early"))
    assert result.reason == "moderated"
    assert "troll" not in result.detail
    world.clock.advance(EARLY_DELETION_MEMORY.total_seconds())
    assert world.moderation.forget_ended() == 1
    assert isinstance(world.ingest.add_message(chat("@streamer troll text", twitch_id="tw-early")), Message)


def test_deleting_the_playing_message_stops_it_and_the_loop_goes_on_after_the_cooldown(world: World) -> None:
    """A playing message removed by a moderator is deleted at once, named in playing_ids; the loop waits its
    cooldown, then plays the next."""
    first = world.add("@streamer first", twitch_id="tw-a")
    second = world.add("@streamer second")
    world.drain()
    loop = world.autoplay
    loop.set_autoplay(True)
    assert loop.play().started is not None
    assert status(world, first) is MessageStatus.PLAYING

    assert world.moderation.delete_message(twitch_message_id="tw-a") == (first.id,)
    gone = world.queues.get(first.id or 0)
    assert (gone.status, gone.deletion_reason) == (MessageStatus.DELETED, DeletionReason.MODERATED)
    assert f"{first.id}.wav" not in world.audio.files
    removed = world.events.of_type(MessagesRemoved)[-1]
    assert isinstance(removed, MessagesRemoved)
    assert removed.playing_ids == (first.id,)
    assert world.queues.stats().active.by_status.get(MessageStatus.PLAYING) == 0

    loop.step()
    assert status(world, second) is MessageStatus.READY  # the cooldown runs from the removal
    world.clock.advance(world.cooldown_seconds)
    loop.step()
    assert status(world, second) is MessageStatus.PLAYING
    assert loop.running


def test_purge_removes_the_senders_unplayed_messages_in_both_queues_and_mutes_them(world: World) -> None:
    """A timeout removes the sender's waiting mentions and bits (any case of their name); others stay; new ones
    are refused as muted until it ends."""
    mention = world.add("@streamer one", sent_by="Troll")
    bits = world.add("cheer", bits=100, sent_by="troll")
    other = world.add("@streamer fine", sent_by="viewer")
    result = world.moderation.purge_user("@TROLL", 600)
    assert (result.user, set(result.removed)) == ("troll", {mention.id, bits.id})
    assert status(world, other) is MessageStatus.PENDING
    assert world.events.of_type(UserMuted)

    muted = refused(world, chat("@streamer again", sent_by="troll"))
    assert muted.reason == "muted"
    assert [m.user for m in world.moderation.muted()] == ["troll"]
    world.clock.advance(600)
    assert world.moderation.muted() == []
    assert isinstance(world.ingest.add_message(chat("@streamer back", sent_by="troll")), Message)


def test_purge_stops_the_senders_playing_message(world: World) -> None:
    """The sender's message playing now ends at once (moderated) when they are banned."""
    playing = world.add("@streamer loud", sent_by="troll")
    world.drain()
    world.playback.play_next()
    result = world.moderation.purge_user("troll", None)
    assert result.removed == (playing.id,)
    assert result.mute.until is None
    assert world.queues.get(playing.id or 0).deletion_reason is DeletionReason.MODERATED


def test_a_ban_holds_until_unmuted(world: World) -> None:
    """A ban does not end by itself; unmute lifts it (once: a second unmute changes nothing)."""
    world.moderation.purge_user("troll", None)
    world.clock.advance(365 * 24 * 3600)
    assert world.moderation.forget_ended() == 0
    assert refused(world, chat("@streamer hi", sent_by="troll")).reason == "muted"
    assert world.moderation.unmute_user("Troll") is True
    assert world.events.of_type(UserUnmuted)
    assert world.moderation.unmute_user("troll") is False
    assert isinstance(world.ingest.add_message(chat("@streamer hi", sent_by="troll")), Message)


def test_bad_moderation_input_names_the_field(world: World) -> None:
    """A user that is no login and a duration out of range are refused naming the field; nothing changes."""
    with pytest.raises(InvalidInput) as caught:
        world.moderation.purge_user("not a login", 60)
    assert caught.value.field == "user"
    with pytest.raises(InvalidInput) as caught:
        world.moderation.purge_user("troll", 0)
    assert caught.value.field == "duration_seconds"
    assert world.moderation.muted() == []


def test_skip_ends_the_playing_message_as_skipped_and_keeps_the_loop(world: World) -> None:
    """Skip marks the playing message played and skipped, deletes its file, and the loop plays on after its cooldown."""
    first = world.add("@streamer first")
    second = world.add("@streamer second")
    world.drain()
    loop = world.autoplay
    loop.set_autoplay(True)
    loop.play()
    (skipped,) = loop.skip()
    assert (skipped.id, skipped.status, skipped.skipped) == (first.id, MessageStatus.PLAYED, True)
    assert f"{first.id}.wav" not in world.audio.files
    finished = world.events.of_type(PlaybackFinished)[-1]
    assert isinstance(finished, PlaybackFinished)
    assert finished.message.skipped
    assert loop.running
    loop.step()
    assert status(world, second) is MessageStatus.READY
    world.clock.advance(world.cooldown_seconds)
    loop.step()
    assert status(world, second) is MessageStatus.PLAYING
    assert loop.skip()[0].id == second.id
    assert loop.skip() == ()


@pytest.mark.parametrize(
    ("text", "sent_by", "moderator", "reason"),
    [
        ("!tts clear", "viewer", False, "command"),
        ("!tts clear", "mod", True, "moderator_command"),
        ("!tts clear", "Streamer", False, "moderator_command"),
        ("!tts dance", "mod", True, "command"),
    ],
)
def test_only_moderators_commands_are_carried_out(
    world: World, text: str, sent_by: str, moderator: bool, reason: str
) -> None:
    """From a moderator or the streamer ``!tts clear`` clears the queue; from anyone else (or malformed) it is an
    ignored command."""
    waiting = world.add("@streamer hi")
    result = refused(world, chat(text, sent_by=sent_by, moderator=moderator))
    assert result.reason == reason
    cleared = reason == "moderator_command"
    assert (status(world, waiting) is MessageStatus.DELETED) is cleared


def test_moderators_mute_unmute_and_skip_from_chat(world: World) -> None:
    """``!tts mute USER MINUTES`` times the user out, ``!tts unmute USER`` lifts it, ``!tts skip`` skips."""
    troll = world.add("@streamer spam", sent_by="troll")
    done = refused(world, chat("!tts mute @troll 5", sent_by="mod", moderator=True))
    assert "5 min" in done.detail
    assert status(world, troll) is MessageStatus.DELETED
    (mute,) = world.moderation.muted()
    assert mute.until is not None
    assert (mute.until - mute.since).total_seconds() == 300
    refused(world, chat("!tts unmute troll", sent_by="mod", moderator=True))
    assert world.moderation.muted() == []

    playing = world.add("@streamer long one")
    world.drain()
    world.playback.play_next()
    refused(world, chat("!tts skip", sent_by="mod", moderator=True))
    assert world.queues.get(playing.id or 0).skipped
    assert world.events.of_type(PlaybackStarted)


def test_the_panel_deletes_by_our_id(world: World) -> None:
    """A message without a Twitch id is removed by its own id; an unknown id is MessageNotFound; both or neither
    id is refused naming the field."""
    waiting = world.add("@streamer no twitch id")
    assert world.moderation.delete_message(message_id=waiting.id) == (waiting.id,)
    assert world.moderation.delete_message(message_id=waiting.id) == ()
    with pytest.raises(MessageNotFound):
        world.moderation.delete_message(message_id=999)
    for both_or_neither in ({}, {"twitch_message_id": "a", "message_id": waiting.id}):
        with pytest.raises(InvalidInput) as caught:
            world.moderation.delete_message(**both_or_neither)  # type: ignore[arg-type]
        assert caught.value.field == "twitch_message_id"
