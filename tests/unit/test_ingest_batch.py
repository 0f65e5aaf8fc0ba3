"""A batch of chat messages is taken in order, in one unit of work, with the same outcome each would have alone."""

from __future__ import annotations

import attrs

from tests.world import USERNAME, World
from tts_core import (
    ChatRules,
    IncomingChat,
    IngestService,
    InvalidInput,
    Message,
    MessageStatus,
    MessageType,
    NotQueued,
)
from tts_core.errors import StorageError
from tts_core.events import MessageQueued, MessageRejected, QueueChanged
from tts_core.not_read import NotReadLog


def chat(text: str, by: str = "viewer", moderator: bool = False) -> IncomingChat:
    return IncomingChat(sent_by=by, text=text, message_type=MessageType.CHAT, is_moderator=moderator)


def test_each_message_gets_its_own_outcome_in_order(world: World) -> None:
    """Queued, not read and unusable messages in one batch each get what they would get alone, in order."""
    results = world.ingest.add_messages([chat("@streamer one"), chat("no mention"), chat("   "), chat("@streamer two")])
    first, second, third, fourth = results
    assert isinstance(first, Message) and first.text == "@streamer one"
    assert isinstance(second, NotQueued) and second.reason == "no_mention"
    assert isinstance(third, InvalidInput) and third.field == "text"
    assert isinstance(fourth, Message) and (fourth.id or 0) > (first.id or 0) > 0
    assert world.queues.stats().active.queue_size == 2


def test_one_queue_changed_for_the_whole_batch_after_its_messages(world: World) -> None:
    """The batch's events are each message_queued / message_rejected in order, then one queue_changed with the
    final counts, numbered consecutively."""
    log = NotReadLog()
    ingest = IngestService(storage=world.storage, clock=world.clock, rules=ChatRules(username=USERNAME), not_read=log)
    before = len(world.events.events)
    ingest.add_messages([chat("@streamer a"), chat("plain"), chat("@streamer b")])
    events = world.events.events[before:]
    assert [type(e) for e in events] == [MessageQueued, MessageRejected, MessageQueued, QueueChanged]
    changed = events[-1]
    assert isinstance(changed, QueueChanged) and changed.counts[MessageStatus.PENDING] == 2
    assert [e.seq for e in events] == list(range(events[0].seq, events[0].seq + 4))
    assert [item.text for item in log.recent()] == ["plain"]


def test_a_moderator_command_acts_on_what_came_before_it_only(world: World) -> None:
    """``!tts clear`` in the middle of a batch clears the messages before it; those after it stay queued."""
    results = world.ingest.add_messages(
        [chat("@streamer before"), chat("!tts clear", by="mod", moderator=True), chat("@streamer after")]
    )
    assert isinstance(results[1], NotQueued) and results[1].reason == "moderator_command"
    waiting = world.queues.find(limit=10)
    by_text = {m.text: m.status.value for m in waiting}
    assert by_text == {"@streamer before": "deleted", "@streamer after": "pending"}


def test_a_failed_commit_queues_nothing_of_the_batch(world: World) -> None:
    """When the database fails, the whole batch raises StorageError and none of it is queued or logged."""
    log = NotReadLog()
    ingest = attrs.evolve(world.ingest, not_read=log)
    world.storage.fail_commits = 1
    try:
        ingest.add_messages([chat("@streamer a"), chat("plain")])
    except StorageError:
        pass
    else:
        raise AssertionError("the batch should have failed")
    assert world.queues.stats().active.queue_size == 0
    assert log.recent() == []


def test_a_batch_reads_each_senders_voice_and_mute_as_they_stand_at_that_message(world: World) -> None:
    """In one batch: a viewer's !voice applies to their next message, another's reset too, a muted sender is
    refused, and the same sender twice is read the same way twice."""
    ingest = attrs.evolve(world.ingest, viewer_voices={"deep": "am_adam", "bright": "af_heart"})
    ingest.add_messages([chat("!voice bright", by="resetter")])
    world.moderation.purge_user("troll", 600)
    results = ingest.add_messages(
        [
            chat("@streamer before", by="chooser"),
            chat("!voice deep", by="chooser"),
            chat("@streamer after", by="Chooser"),
            chat("@streamer mine", by="resetter"),
            chat("!voice reset", by="resetter"),
            chat("@streamer plain again", by="resetter"),
            chat("@streamer hi", by="troll"),
            chat("@streamer hi again", by="TROLL"),
        ]
    )
    voices = [r.voice if isinstance(r, Message) else getattr(r, "reason", r) for r in results]
    assert voices == [None, "voice_set", "am_adam", "af_heart", "voice_reset", None, "muted", "muted"]
