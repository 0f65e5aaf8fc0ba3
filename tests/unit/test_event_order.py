"""Events carry seq in commit order, and a snapshot says which events it already reflects."""

from __future__ import annotations

import threading

import pytest

from adapters.memory import InMemoryAudioStore, InMemoryStorage, ManualClock, RecordingEventSink
from tests.world import World
from tts_core import ChatRules, IncomingChat, IngestService, MessageType, StorageError


def test_every_event_gets_the_next_seq_in_commit_order(world: World) -> None:
    """Queue, synthesize, play, finish: one strictly increasing, gap-free sequence across services."""
    message = world.add("@streamer count me")
    world.drain()
    world.playback.play_next()
    world.playback.mark_played(message.id or 0)
    seqs = [event.seq for event in world.events.events]
    assert seqs == list(range(1, len(seqs) + 1))


def test_a_rolled_back_unit_announces_nothing_and_uses_no_seq(world: World) -> None:
    """A failed commit publishes no event; the next change continues the sequence."""
    world.add("@streamer first")
    before = len(world.events.events)
    world.storage.fail_commits = 1
    with pytest.raises(StorageError):
        world.add("@streamer lost")
    assert len(world.events.events) == before
    world.add("@streamer third")
    seqs = [event.seq for event in world.events.events]
    assert seqs == list(range(1, len(seqs) + 1))


def test_the_snapshot_reflects_exactly_the_events_up_to_its_seq(world: World) -> None:
    """Snapshot seq = the newest event's seq; its lineup and counts include that change."""
    world.add("@streamer a")
    world.add("@streamer b")
    snapshot = world.queues.snapshot()
    assert snapshot.seq == world.events.events[-1].seq
    assert snapshot.stats.active.queue_size == len(snapshot.lineup) == 2


def test_threads_adding_at_once_publish_in_commit_order() -> None:
    """Eight threads add messages concurrently; listeners still see seq 1, 2, 3, … in order."""
    events = RecordingEventSink()
    storage = InMemoryStorage(events=events)
    ingest = IngestService(storage=storage, clock=ManualClock(), rules=ChatRules(username="streamer"))

    def add_some(worker: int) -> None:
        for i in range(25):
            ingest.add_message(
                IncomingChat(sent_by=f"v{worker}", text=f"@streamer {worker} {i}", message_type=MessageType.CHAT)
            )

    threads = [threading.Thread(target=add_some, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    seqs = [event.seq for event in events.events]
    assert seqs == list(range(1, 8 * 25 * 2 + 1))
    assert InMemoryAudioStore().refs() == []
