"""The Storage contract, run against the in-memory fake, real SQLite and real PostgreSQL (after Alembic migrations)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import attrs
import pytest

from adapters.memory import InMemoryStorage
from adapters.sql import SqlModelStorage, create_sql_engine, upgrade_to_head
from tts_core import (
    ConcurrentUpdate,
    DeletionReason,
    Message,
    MessageNotFound,
    MessageStatus,
    QueueKind,
    ServerState,
    Storage,
    StorageError,
    StoredAudio,
)
from tts_core.events import AutoplayChanged
from tts_core.model import CLEARABLE_STATUSES
from tts_core.moderation import Mute

LEASE = timedelta(minutes=2)
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Storage]:
    if request.param == "memory":
        yield InMemoryStorage()
        return
    if request.param == "postgres":
        url: str = request.getfixturevalue("postgres_url")
    else:
        url = f"sqlite:///{tmp_path / 'contract.db'}"
    engine = create_sql_engine(url)
    upgrade_to_head(engine)
    yield SqlModelStorage(engine)
    engine.dispose()


def draft(queue: QueueKind = QueueKind.MENTIONS, text: str = "hello") -> Message:
    return Message(queue=queue, sent_by="viewer", text=text, spoken_text=text, created_at=NOW)


def add(storage: Storage, *messages: Message) -> list[Message]:
    with storage.unit_of_work() as uow:
        return [uow.add(m) for m in messages]


def test_add_assigns_increasing_ids_and_round_trips(storage: Storage) -> None:
    """Added messages get ids and read back equal, timestamps in UTC."""
    first, second = add(storage, draft(text="a"), draft(QueueKind.BITS, "b"))
    assert first.id is not None
    assert second.id is not None
    assert second.id > first.id
    with storage.unit_of_work() as uow:
        assert uow.get(first.id) == first
        assert uow.get(12345) is None
    assert first.created_at == NOW


def test_save_round_trips_every_field(storage: Storage) -> None:
    """All fields of a message survive a save and a get."""
    (message,) = add(storage, draft())
    with storage.unit_of_work() as uow:
        message.start_synthesis(NOW, LEASE)
        message.mark_ready(StoredAudio(ref="1.wav", size_bytes=4844, duration_seconds=0.1), NOW)
        message.start_playing(NOW)
        uow.save(message)
    with storage.unit_of_work() as uow:
        assert uow.get(message.id or 0) == message


def test_save_unknown_raises(storage: Storage) -> None:
    """Saving a message that was never added is an error."""
    ghost = draft()
    ghost.id = 999
    with pytest.raises(MessageNotFound), storage.unit_of_work() as uow:
        uow.save(ghost)


def test_rollback_on_error_changes_nothing(storage: Storage) -> None:
    """A unit of work that raises leaves no trace: rows and counters unchanged."""
    with pytest.raises(RuntimeError), storage.unit_of_work() as uow:
        uow.add(draft())
        uow.save_state(ServerState(active_queue=QueueKind.BITS))
        raise RuntimeError("boom")
    with storage.unit_of_work() as uow:
        assert uow.find() == []
        assert uow.counts(QueueKind.MENTIONS).queue_size == 0
        assert uow.state().active_queue is QueueKind.MENTIONS


def test_next_pending_prefers_queue_order_then_age(storage: Storage) -> None:
    """The first queue with a pending message wins; within it, the oldest."""
    m1, b1, m2 = add(storage, draft(text="m1"), draft(QueueKind.BITS, "b1"), draft(text="m2"))
    with storage.unit_of_work() as uow:
        assert uow.next_pending([QueueKind.BITS, QueueKind.MENTIONS], NOW) == b1
        assert uow.next_pending([QueueKind.MENTIONS, QueueKind.BITS], NOW) == m1
        m1.start_synthesis(NOW, LEASE)
        uow.save(m1)
        assert uow.next_pending([QueueKind.MENTIONS], NOW) == m2


def test_next_ready_and_oldest_first(storage: Storage) -> None:
    """Ready lookups and the lazy oldest-first listing filter by queue and status, in id order."""
    messages = add(storage, *[draft(text=str(i)) for i in range(450)])
    with storage.unit_of_work() as uow:
        for message in messages[::2]:
            message.start_synthesis(NOW, LEASE)
            message.mark_ready(StoredAudio(ref=f"{message.id}.wav", size_bytes=10, duration_seconds=1), NOW)
            uow.save(message)
    with storage.unit_of_work() as uow:
        ready = list(uow.oldest_first(QueueKind.MENTIONS, frozenset({MessageStatus.READY})))
        assert [m.id for m in ready] == [m.id for m in messages[::2]]
        assert uow.next_ready(QueueKind.MENTIONS) == ready[0]
        assert uow.next_ready(QueueKind.BITS) is None


def test_find_filters_and_pages_newest_first(storage: Storage) -> None:
    """find() filters by queue and status and pages with before_id."""
    messages = add(storage, *[draft(text=str(i)) for i in range(5)], draft(QueueKind.BITS, "b"))
    with storage.unit_of_work() as uow:
        page = uow.find(queue=QueueKind.MENTIONS, limit=2)
        assert [m.id for m in page] == [messages[4].id, messages[3].id]
        older = uow.find(queue=QueueKind.MENTIONS, before_id=page[-1].id, limit=10)
        assert [m.id for m in older] == [m.id for m in reversed(messages[:3])]
        assert [m.text for m in uow.find(statuses=frozenset({MessageStatus.PENDING}), queue=QueueKind.BITS)] == ["b"]


def test_counters_follow_every_write(storage: Storage) -> None:
    """Per-status counts and audio bytes match the rows after adds, transitions and deletes."""
    a, b, c = add(storage, draft(text="a"), draft(text="b"), draft(text="c"))
    with storage.unit_of_work() as uow:
        for message, size in ((a, 100), (b, 250)):
            message.start_synthesis(NOW, LEASE)
            message.mark_ready(StoredAudio(ref=f"{message.id}.wav", size_bytes=size, duration_seconds=1), NOW)
            uow.save(message)
        a.start_playing(NOW)
        uow.save(a)
        b.soft_delete(DeletionReason.EVICTED, NOW)
        uow.save(b)
    with storage.unit_of_work() as uow:
        counts = uow.counts(QueueKind.MENTIONS)
        assert counts[MessageStatus.PENDING] == 1
        assert counts[MessageStatus.PLAYING] == 1
        assert counts[MessageStatus.DELETED] == 1
        assert counts.queue_size == 1
        assert counts.audio_bytes == 100
        assert uow.counts(QueueKind.BITS).queue_size == 0
        a.finish_playing(NOW)
        uow.save(a)
        assert uow.counts(QueueKind.MENTIONS).audio_bytes == 0
    assert c.status is MessageStatus.PENDING


def test_counters_see_adds_made_earlier_in_the_same_unit(storage: Storage) -> None:
    """A batch of adds in one unit (a chat burst) is counted when the unit reads, saves, recounts or ends."""
    with storage.unit_of_work() as uow:
        first, second = uow.add(draft(text="a")), uow.add(draft(text="b"))
        uow.add(draft(QueueKind.BITS, text="c"))
        assert uow.counts(QueueKind.MENTIONS)[MessageStatus.PENDING] == 2
        assert uow.recount(QueueKind.MENTIONS).agrees_with(uow.counts(QueueKind.MENTIONS))
        uow.add(draft(text="d"))
        first.start_synthesis(NOW, LEASE)
        uow.save(first)
        assert uow.counts(QueueKind.MENTIONS)[MessageStatus.PENDING] == 2
        assert uow.counts(QueueKind.MENTIONS)[MessageStatus.SYNTHESIZING] == 1
        uow.add(draft(text="e"))
        uow.add(draft(QueueKind.BITS, text="f"))
    with storage.reading() as read:
        mentions, bits = read.counts(QueueKind.MENTIONS), read.counts(QueueKind.BITS)
        assert (mentions[MessageStatus.PENDING], mentions[MessageStatus.SYNTHESIZING]) == (3, 1)
        assert bits[MessageStatus.PENDING] == 2
        assert mentions.agrees_with(read.recount(QueueKind.MENTIONS))
        assert bits.agrees_with(read.recount(QueueKind.BITS))
    assert second.status is MessageStatus.PENDING


def test_state_round_trips(storage: Storage) -> None:
    """The active queue and autoplay toggle are kept."""
    with storage.unit_of_work() as uow:
        assert uow.state() == ServerState()
        uow.save_state(ServerState(active_queue=QueueKind.BITS, autoplay=True))
    with storage.unit_of_work() as uow:
        assert uow.state() == ServerState(active_queue=QueueKind.BITS, autoplay=True)


def test_concurrent_claims_never_share_a_message(storage: Storage) -> None:
    """Eight threads claiming pending messages each get distinct ones; none is lost."""
    add(storage, *[draft(text=str(i)) for i in range(40)])
    claimed: list[int] = []
    lock = threading.Lock()

    def claim() -> None:
        while True:
            with storage.unit_of_work() as uow:
                message = uow.next_pending([QueueKind.MENTIONS], NOW)
                if message is None:
                    return
                message.start_synthesis(NOW, LEASE)
                uow.save(message)
            with lock:
                claimed.append(message.id or 0)

    threads = [threading.Thread(target=claim) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(claimed) == sorted(set(claimed))
    assert len(claimed) == 40
    with storage.unit_of_work() as uow:
        assert uow.counts(QueueKind.MENTIONS)[MessageStatus.SYNTHESIZING] == 40


def test_healthy(storage: Storage) -> None:
    """A working backend reports healthy."""
    assert storage.healthy() is True


def test_moderation_fields_round_trip(storage: Storage) -> None:
    """The Twitch id, the moderator flag and the skipped flag are stored and read back."""
    message = attrs.evolve(draft(), twitch_message_id="abc-123", is_moderator=True)
    (stored,) = add(storage, message)
    assert stored.id is not None
    with storage.unit_of_work() as uow:
        loaded = uow.get(stored.id)
        assert loaded is not None
        assert (loaded.twitch_message_id, loaded.is_moderator, loaded.skipped) == ("abc-123", True, False)
        loaded.status = MessageStatus.PLAYED
        loaded.skipped = True
        uow.save(loaded)
    with storage.unit_of_work() as uow:
        again = uow.get(stored.id)
        assert again is not None
        assert again.skipped


def test_with_twitch_id_finds_only_that_message(storage: Storage) -> None:
    """Messages are found by their Twitch id, oldest first; an unknown id finds none."""
    first, _, third = add(
        storage,
        attrs.evolve(draft(), twitch_message_id="tw-1"),
        attrs.evolve(draft(), twitch_message_id="tw-2"),
        attrs.evolve(draft(QueueKind.BITS), twitch_message_id="tw-1"),
    )
    with storage.unit_of_work() as uow:
        assert [m.id for m in uow.with_twitch_id("tw-1")] == [first.id, third.id]
        assert uow.with_twitch_id("nope") == []


def test_from_sender_matches_the_login_in_any_case_with_filters(storage: Storage) -> None:
    """A sender's messages are found whatever the case of sent_by, filtered by queue, status and creation time."""
    early = attrs.evolve(draft(), sent_by="Troll")
    later = attrs.evolve(draft(QueueKind.BITS), sent_by="troll", created_at=NOW + timedelta(minutes=5))
    other = attrs.evolve(draft(), sent_by="trolled")
    a, b, _ = add(storage, early, later, other)
    with storage.unit_of_work() as uow:
        assert [m.id for m in uow.from_sender("troll")] == [a.id, b.id]
        assert [m.id for m in uow.from_sender("troll", queue=QueueKind.BITS)] == [b.id]
        assert [m.id for m in uow.from_sender("troll", since=NOW + timedelta(minutes=1))] == [b.id]
        assert uow.from_sender("troll", statuses=frozenset({MessageStatus.READY})) == []
        assert uow.from_sender("nobody") == []


def test_mutes_are_stored_replaced_lifted_and_swept(storage: Storage) -> None:
    """A mute replaces the previous one; unmute says whether there was one; ended timeouts are swept, bans stay."""
    timeout = Mute(user="troll", since=NOW, until=NOW + timedelta(minutes=10))
    with storage.unit_of_work() as uow:
        uow.mute(Mute(user="troll", since=NOW, until=NOW + timedelta(minutes=1)))
        uow.mute(timeout)
        uow.mute(Mute(user="banned", since=NOW))
    with storage.unit_of_work() as uow:
        assert uow.mute_of("troll") == timeout
        assert [m.user for m in uow.mutes()] == ["banned", "troll"]
        assert uow.mute_of("nobody") is None
        assert uow.mutes_of(["troll", "nobody", "banned"]) == {
            "troll": timeout,
            "banned": Mute(user="banned", since=NOW),
        }
        assert uow.mutes_of([]) == {}
        assert uow.forget_mutes_ended(NOW + timedelta(minutes=10)) == 1
    with storage.unit_of_work() as uow:
        assert [m.user for m in uow.mutes()] == ["banned"]
        assert uow.unmute("banned") is True
        assert uow.unmute("banned") is False
        assert uow.mutes() == []


def test_remembered_deletions_last_until_their_time(storage: Storage) -> None:
    """A remembered deletion holds until its time (a later remember extends it), then is forgotten."""
    with storage.unit_of_work() as uow:
        uow.remember_deletion("tw-9", NOW + timedelta(minutes=5))
        uow.remember_deletion("tw-9", NOW + timedelta(minutes=1))
    with storage.unit_of_work() as uow:
        assert uow.deletion_remembered("tw-9", NOW + timedelta(minutes=4))
        assert not uow.deletion_remembered("tw-9", NOW + timedelta(minutes=5))
        assert not uow.deletion_remembered("other", NOW)
        assert uow.forget_deletions(NOW + timedelta(minutes=2)) == 0
        assert uow.forget_deletions(NOW + timedelta(minutes=5)) == 1
    with storage.unit_of_work() as uow:
        assert not uow.deletion_remembered("tw-9", NOW)


def test_a_moderated_playing_message_leaves_the_counters_right(storage: Storage) -> None:
    """playing → deleted (moderated) moves the counters and frees the audio bytes, like the recount says."""
    (message,) = add(storage, draft())
    with storage.unit_of_work() as uow:
        loaded = uow.get(message.id or 0)
        assert loaded is not None
        loaded.start_synthesis(NOW, LEASE)
        loaded.mark_ready(StoredAudio(ref="1.wav", size_bytes=100, duration_seconds=1.0), NOW)
        loaded.start_playing(NOW)
        uow.save(loaded)
        loaded.remove_by_moderator(NOW)
        uow.save(loaded)
        counts = uow.counts(QueueKind.MENTIONS)
        assert (counts[MessageStatus.DELETED], counts[MessageStatus.PLAYING], counts.audio_bytes) == (1, 0, 0)
        assert counts.agrees_with(uow.recount(QueueKind.MENTIONS))
        assert loaded.deletion_reason is DeletionReason.MODERATED


def staged(storage: Storage) -> dict[str, Message]:
    """Mentions in every status a clear or an eviction looks at (ready and playing with audio), and a pending bit."""
    names = ["pending", "synthesizing", "ready", "playing", "played", "ready2"]
    messages = dict(zip(names, add(storage, *[draft(text=name) for name in names]), strict=True))
    (messages["bits"],) = add(storage, draft(QueueKind.BITS, "bits"))
    with storage.unit_of_work() as uow:
        for name in ["synthesizing", "ready", "playing", "played", "ready2"]:
            messages[name].start_synthesis(NOW, LEASE)
        for size, name in enumerate(["ready", "playing", "played", "ready2"], start=1):
            audio = StoredAudio(ref=f"{name}.wav", size_bytes=100 * size, duration_seconds=1.0)
            messages[name].mark_ready(audio, NOW)
        for name in ["playing", "played"]:
            messages[name].start_playing(NOW)
        messages["played"].finish_playing(NOW)
        for message in messages.values():
            uow.save(message)
    return messages


def test_soft_delete_many_clears_the_waiting_messages_of_one_queue(storage: Storage) -> None:
    """Pending, synthesizing and ready mentions become deleted exactly as soft_delete makes them, oldest first,
    audio kept for the caller; playing, played and the other queue stay; counters agree with a recount."""
    messages = staged(storage)
    later = NOW + timedelta(minutes=5)
    with storage.unit_of_work() as uow:
        deleted = uow.soft_delete_many(QueueKind.MENTIONS, CLEARABLE_STATUSES, reason=DeletionReason.CLEARED, now=later)
        assert uow.counts(QueueKind.MENTIONS).agrees_with(uow.recount(QueueKind.MENTIONS))
    expected = []
    for name in ["pending", "synthesizing", "ready", "ready2"]:
        message = attrs.evolve(messages[name])
        message.soft_delete(DeletionReason.CLEARED, later)
        expected.append(message)
    assert deleted == expected
    with storage.reading() as unit:
        counts = unit.counts(QueueKind.MENTIONS)
        assert (counts[MessageStatus.DELETED], counts.queue_size, counts[MessageStatus.PLAYING]) == (4, 0, 1)
        assert counts.audio_bytes == 200  # the playing file only
        assert counts.agrees_with(unit.recount(QueueKind.MENTIONS))
        assert unit.get(messages["playing"].id or 0) == messages["playing"]
        assert unit.get(messages["bits"].id or 0) == messages["bits"]


def test_soft_delete_many_with_ids_takes_only_those_still_in_the_statuses(storage: Storage) -> None:
    """With ids, only those of them still ready are evicted; a listed playing message is never touched."""
    messages = staged(storage)
    ready = frozenset({MessageStatus.READY})
    doomed = [messages[name].id or 0 for name in ["ready2", "playing", "pending"]]
    with storage.unit_of_work() as uow:
        evicted = uow.soft_delete_many(QueueKind.MENTIONS, ready, reason=DeletionReason.EVICTED, now=NOW, ids=doomed)
        assert uow.soft_delete_many(QueueKind.MENTIONS, ready, reason=DeletionReason.EVICTED, now=NOW, ids=[]) == []
    assert [m.id for m in evicted] == [messages["ready2"].id]
    assert evicted[0].audio == messages["ready2"].audio
    with storage.reading() as unit:
        assert unit.get(messages["playing"].id or 0) == messages["playing"]
        assert unit.get(messages["pending"].id or 0) == messages["pending"]
        counts = unit.counts(QueueKind.MENTIONS)
        assert counts.agrees_with(unit.recount(QueueKind.MENTIONS))
        assert counts.audio_bytes == 100 + 200  # ready and playing remain


def test_soft_delete_many_refuses_statuses_soft_delete_refuses(storage: Storage) -> None:
    """Playing (or played) messages cannot be soft-deleted set-based: ValueError, nothing written."""
    messages = staged(storage)
    with pytest.raises(ValueError, match="playing"), storage.unit_of_work() as uow:
        uow.soft_delete_many(
            QueueKind.MENTIONS, frozenset({MessageStatus.PLAYING}), reason=DeletionReason.CLEARED, now=NOW
        )
    with storage.reading() as unit:
        assert unit.get(messages["playing"].id or 0) == messages["playing"]


def test_saving_a_stale_copy_raises_concurrent_update_and_rolls_back(storage: Storage) -> None:
    """A copy read before another change of the same row was saved cannot overwrite it: ConcurrentUpdate, and
    nothing of the unit is written."""
    (message,) = add(storage, draft())
    with pytest.raises(ConcurrentUpdate) as raised, storage.unit_of_work() as uow:
        stale = uow.get(message.id or 0)
        fresh = uow.get(message.id or 0)
        assert stale is not None
        assert fresh is not None
        fresh.start_synthesis(NOW, LEASE)
        uow.save(fresh)
        stale.soft_delete(DeletionReason.CLEARED, NOW)
        uow.save(stale)
    assert raised.value.message_id == message.id
    assert isinstance(raised.value, StorageError)
    with storage.reading() as unit:
        assert unit.get(message.id or 0) == message
        assert unit.counts(QueueKind.MENTIONS)[MessageStatus.PENDING] == 1


def test_saving_the_same_copy_twice_compares_with_its_own_last_save(storage: Storage) -> None:
    """A unit may move one copy several times (claim, then release): each save compares with the one before."""
    (message,) = add(storage, draft())
    with storage.unit_of_work() as uow:
        claimed = uow.next_pending([QueueKind.MENTIONS], NOW)
        assert claimed is not None
        claimed.start_synthesis(NOW, LEASE)
        uow.save(claimed)
        claimed.release(retry_at=None, counted=True)
        uow.save(claimed)
    with storage.reading() as unit:
        assert unit.get(message.id or 0) == claimed
        assert unit.counts(QueueKind.MENTIONS).agrees_with(unit.recount(QueueKind.MENTIONS))


def test_reading_neither_waits_for_a_writer_nor_sees_its_uncommitted_work(storage: Storage) -> None:
    """While a unit of work holds its transaction open, a read-only unit answers at once with what was
    committed before, in one snapshot (its seq included)."""
    (first,) = add(storage, draft())
    writing, read_done = threading.Event(), threading.Event()

    def writer() -> None:
        with storage.unit_of_work() as uow:
            uow.add(draft(text="not yet"))
            uow.emit(AutoplayChanged(autoplay=True))
            writing.set()
            read_done.wait(timeout=30)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert writing.wait(timeout=30)
        with storage.reading() as unit:
            seq = unit.seq()
            assert [m.id for m in unit.find()] == [first.id]
            assert unit.counts(QueueKind.MENTIONS).queue_size == 1
            assert storage.healthy() is True
    finally:
        read_done.set()
        thread.join()
    with storage.reading() as unit:
        assert unit.counts(QueueKind.MENTIONS).queue_size == 2
        assert unit.seq() == seq + 1


def test_a_read_only_unit_keeps_its_snapshot_while_others_commit(storage: Storage) -> None:
    """Once a read-only unit has read, a commit made meanwhile shows in none of its later reads."""
    (first,) = add(storage, draft())
    with storage.reading() as unit:
        seq = unit.seq()
        assert unit.counts(QueueKind.MENTIONS).queue_size == 1
        committed = threading.Thread(target=add, args=(storage, draft(text="meanwhile")))
        committed.start()
        committed.join()
        assert unit.counts(QueueKind.MENTIONS).queue_size == 1
        assert [m.id for m in unit.find()] == [first.id]
        assert unit.seq() == seq
    with storage.reading() as unit:
        assert unit.counts(QueueKind.MENTIONS).queue_size == 2


def test_two_units_claiming_the_same_message_never_both_win(storage: Storage) -> None:
    """Two units read the same pending message and both try to claim it: one claim is written; the other unit
    either saw the claim (writers serialized, as on SQLite) or fails with ConcurrentUpdate (side by side, as on
    PostgreSQL). Never two claims, and the counters stay right."""
    (message,) = add(storage, draft())
    first_read, second_read = threading.Event(), threading.Event()
    outcomes: list[str] = []

    def claim(*, first: bool) -> None:
        try:
            with storage.unit_of_work() as uow:
                if not first:
                    first_read.wait(timeout=30)
                mine = uow.get(message.id or 0)
                assert mine is not None
                (first_read if first else second_read).set()
                if first:
                    second_read.wait(timeout=0.5)  # a backend that lets both read at once: both have read now
                if not mine.claimable(NOW):
                    outcomes.append("saw it claimed")
                    return
                mine.start_synthesis(NOW, LEASE)
                uow.save(mine)
            outcomes.append("claimed")
        except ConcurrentUpdate:
            outcomes.append("conflict")

    threads = [threading.Thread(target=claim, kwargs={"first": first}) for first in (True, False)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) in (["claimed", "saw it claimed"], ["claimed", "conflict"])
    with storage.reading() as unit:
        stored = unit.get(message.id or 0)
        assert stored is not None
        assert (stored.status, stored.attempts) == (MessageStatus.SYNTHESIZING, 1)
        assert unit.counts(QueueKind.MENTIONS).agrees_with(unit.recount(QueueKind.MENTIONS))


def test_sizes_over_two_gigabytes_are_kept(storage: Storage) -> None:
    """A message's audio size and a queue's audio total beyond 32-bit integers round-trip and are counted."""
    huge = 3 * 1024**3
    (message,) = add(storage, draft(QueueKind.BITS))
    with storage.unit_of_work() as uow:
        message.start_synthesis(NOW, LEASE)
        message.mark_ready(StoredAudio(ref="1.wav", size_bytes=huge, duration_seconds=9000.0), NOW)
        uow.save(message)
    with storage.unit_of_work() as uow:
        assert uow.get(message.id or 0) == message
        assert uow.counts(QueueKind.BITS).audio_bytes == huge
