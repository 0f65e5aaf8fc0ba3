"""Anti-spam limits and TTS_MAX_AGE through the services, with the in-memory fakes and a manual clock."""

from __future__ import annotations

from tests.world import World
from tts_core import DeletionReason, Message, MessageStatus
from tts_core.chat import IncomingChat, MessageType
from tts_core.events import MessagesRemoved
from tts_core.moderation import AntiSpamRules
from tts_core.services import NotQueued


def send(world: World, text: str, sent_by: str = "viewer", bits: int | None = None) -> Message | NotQueued:
    kind = MessageType.BITS if bits else MessageType.CHAT
    return world.ingest.add_message(IncomingChat(sent_by=sent_by, text=text, message_type=kind, bits_amount=bits))


def reason(result: Message | NotQueued) -> str | None:
    return result.reason if isinstance(result, NotQueued) else None


def test_user_cooldown_is_per_sender_and_ends(world: World) -> None:
    """A sender's next mention within the cooldown is refused (user_cooldown); other senders are not held up."""
    world.antispam = AntiSpamRules(user_cooldown=30)
    assert reason(send(world, "@streamer one")) is None
    world.clock.advance(10)
    refused = send(world, "@streamer two", sent_by="VIEWER")
    assert reason(refused) == "user_cooldown"
    assert isinstance(refused, NotQueued)
    assert "20 s" in refused.detail
    assert reason(send(world, "@streamer hello", sent_by="someone_else")) is None
    world.clock.advance(20)
    assert reason(send(world, "@streamer three")) is None


def test_pending_cap_frees_up_as_messages_play(world: World) -> None:
    """At most N waiting mentions per sender; once one has played there is room again."""
    world.antispam = AntiSpamRules(max_pending_per_user=2)
    first = send(world, "@streamer a")
    send(world, "@streamer b")
    assert reason(send(world, "@streamer c")) == "user_queue_full"
    assert isinstance(first, Message)
    world.drain()
    world.playback.play_next()
    world.playback.mark_played(first.id or 0)
    assert reason(send(world, "@streamer c")) is None


def test_duplicate_text_within_the_window_is_refused(world: World) -> None:
    """The same sender's same cleaned text (any case) is a duplicate within the window, not after it."""
    world.antispam = AntiSpamRules(duplicate_window=60)
    assert reason(send(world, "@streamer Hello there")) is None
    assert reason(send(world, "@streamer   hello THERE")) == "duplicate"
    assert reason(send(world, "@streamer hello there", sent_by="other")) is None
    world.clock.advance(61)
    assert reason(send(world, "@streamer hello there")) is None


def test_bits_are_exempt_unless_configured(world: World) -> None:
    """Cheers pass every per-sender limit by default; with bits_too they are held to them like mentions."""
    world.antispam = AntiSpamRules(user_cooldown=60, max_pending_per_user=1, duplicate_window=60)
    assert reason(send(world, "thanks", bits=100)) is None
    assert reason(send(world, "thanks", bits=100)) is None
    world.antispam = AntiSpamRules(user_cooldown=60, bits_too=True)
    assert reason(send(world, "thanks again", bits=100)) == "user_cooldown"


def test_a_message_past_max_age_is_never_played(world: World) -> None:
    """play_next expires mentions older than the maximum age (files removed) and plays the next young one."""
    world.max_age_seconds = 60
    old = world.add("@streamer old")
    world.clock.advance(45)
    young = world.add("@streamer young")
    world.drain()
    world.clock.advance(30)
    playing = world.playback.play_next()
    assert playing is not None
    assert playing.id == young.id
    gone = world.queues.get(old.id or 0)
    assert (gone.status, gone.deletion_reason) == (MessageStatus.DELETED, DeletionReason.EXPIRED)
    assert f"{old.id}.wav" not in world.audio.files
    removed = world.events.of_type(MessagesRemoved)[-1]
    assert isinstance(removed, MessagesRemoved)
    assert removed.reason is DeletionReason.EXPIRED


def test_the_sweep_expires_waiting_mentions_but_not_bits(world: World) -> None:
    """expire_overdue removes every mention waiting too long, pending or ready; bits are never expired."""
    world.max_age_seconds = 60
    ready = world.add("@streamer ready")
    world.drain()
    pending = world.add("@streamer pending")
    bits = world.add("cheer", bits=5)
    world.clock.advance(61)
    assert set(world.moderation.expire_overdue()) == {ready.id, pending.id}
    assert world.queues.get(bits.id or 0).status is MessageStatus.PENDING
    assert world.moderation.expire_overdue() == ()


def test_max_age_zero_never_expires(world: World) -> None:
    """Off by default: a message may wait for ever."""
    message = world.add("@streamer patient")
    world.drain()
    world.clock.advance(10 * 24 * 3600)
    assert world.moderation.expire_overdue() == ()
    playing = world.playback.play_next()
    assert playing is not None
    assert playing.id == message.id
