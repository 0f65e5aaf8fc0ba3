"""Twitch chat events carried out by the services, with the in-memory fakes: the same rules as the App's calls."""

from __future__ import annotations

import logging

import pytest

from adapters.twitch_irc import ChatCleared, ChatReceived, MessageDeleted, UserCleared
from entrypoints.twitch import ChatDispatcher
from tests.world import World
from tts_core import DeletionReason, MessageStatus
from tts_core.chat import IncomingChat, MessageType
from tts_core.events import MessagesRemoved
from tts_core.model import QueueKind


def dispatcher(world: World) -> ChatDispatcher:
    return ChatDispatcher(ingest=world.ingest, moderation=world.moderation)


def said(text: str, sent_by: str = "viewer", *, bits: int | None = None, twitch_id: str | None = None) -> ChatReceived:
    kind = MessageType.BITS if bits else MessageType.CHAT
    incoming = IncomingChat(
        sent_by=sent_by, text=text, message_type=kind, bits_amount=bits, twitch_message_id=twitch_id
    )
    return ChatReceived(incoming=incoming)


def statuses(world: World, queue: QueueKind) -> list[tuple[str, MessageStatus]]:
    return [(m.text, m.status) for m in sorted(world.queues.find(queue=queue), key=lambda m: m.id or 0)]


def test_chat_goes_through_ingest_mentions_and_bits(world: World) -> None:
    """A mention is queued with its Twitch id, other chat is not, bits go to the bits queue."""
    handle = dispatcher(world).handle
    handle(said("@streamer hello", twitch_id="tw-1"))
    handle(said("just chatting"))
    handle(said("Cheer100 take my bits", "cheerer", bits=100))
    mentions = world.queues.find(queue=QueueKind.MENTIONS)
    assert [(m.text, m.twitch_message_id) for m in mentions] == [("@streamer hello", "tw-1")]
    assert [m.bits_amount for m in world.queues.find(queue=QueueKind.BITS)] == [100]


def test_clearmsg_and_clearchat_for_a_user_moderate(world: World) -> None:
    """A deleted message goes; a timed-out user's messages go and their next one is refused."""
    handle = dispatcher(world).handle
    handle(said("@streamer one", twitch_id="tw-1"))
    handle(said("@streamer two", "troll"))
    handle(MessageDeleted(twitch_message_id="tw-1"))
    handle(UserCleared(login="troll", duration_seconds=600))
    handle(said("@streamer three", "troll"))
    assert statuses(world, QueueKind.MENTIONS) == [
        ("@streamer one", MessageStatus.DELETED),
        ("@streamer two", MessageStatus.DELETED),
    ]
    assert [mute.user for mute in world.moderation.muted()] == ["troll"]


def test_cleared_chat_removes_every_unplayed_mention_and_keeps_bits(world: World) -> None:
    """CLEARCHAT without a user: waiting and playing mentions are removed (moderated); bits and history stay."""
    handle = dispatcher(world).handle
    for text in ("@streamer old", "@streamer playing", "@streamer waiting"):
        handle(said(text))
    handle(said("Cheer5 bits", bits=5))
    world.drain()
    old = world.playback.play_next()
    assert old is not None
    world.playback.mark_played(old.id or 0)
    playing = world.playback.play_next()
    assert playing is not None
    handle(ChatCleared())
    assert statuses(world, QueueKind.MENTIONS) == [
        ("@streamer old", MessageStatus.PLAYED),
        ("@streamer playing", MessageStatus.DELETED),
        ("@streamer waiting", MessageStatus.DELETED),
    ]
    assert statuses(world, QueueKind.BITS) == [("Cheer5 bits", MessageStatus.READY)]
    removed = world.events.of_type(MessagesRemoved)[-1]
    assert isinstance(removed, MessagesRemoved)
    assert (removed.reason, removed.playing_ids) == (DeletionReason.MODERATED, (playing.id,))


def test_input_the_services_refuse_is_logged_not_raised(world: World, caplog: pytest.LogCaptureFixture) -> None:
    """An empty text or an impossible timeout is a warning in the log; nothing is queued or muted."""
    handle = dispatcher(world).handle
    handle(said("   "))
    handle(UserCleared(login="troll", duration_seconds=10**9))
    assert world.queues.find() == []
    assert world.moderation.muted() == []
    assert [r.levelno for r in caplog.records if "not taken" in r.getMessage()] == [logging.WARNING] * 2
