"""Events across processes: each process's relay hands every committed event to its hub, in seq order, once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime

import attrs
import pytest
from sqlalchemy import func, select, text

from adapters.memory import RecordingEventSink
from adapters.sql import SqlModelStorage, create_sql_engine
from adapters.sql.event_relay import SqlEventRelay
from adapters.sql.shared_tables import EventOutboxRow
from tests.integration.process import wait_for
from tests.integration.shared_database import shared_database_url  # noqa: F401  (a fixture)
from tts_core.events import AutoplayChanged, Event, PronunciationChanged

PER_PROCESS = 40


@attrs.define
class Process:
    """What one process has: its own engine, hub, relay and storage on the shared database."""

    hub: RecordingEventSink
    relay: SqlEventRelay
    storage: SqlModelStorage

    def commit(self, *events: Event) -> None:
        with self.storage.unit_of_work() as uow:
            for event in events:
                uow.emit(event)


@pytest.fixture
def processes(shared_database_url: str) -> Iterator[list[Process]]:  # noqa: F811
    started: list[Process] = []
    for _ in range(2):
        engine = create_sql_engine(shared_database_url)
        hub = RecordingEventSink()
        relay = SqlEventRelay(engine, hub, poll_interval=0.02)
        relay.start()
        started.append(Process(hub=hub, relay=relay, storage=SqlModelStorage(engine, relay, outbox=True)))
    yield started
    for process in started:
        process.relay.stop()
        process.storage.engine.dispose()


def test_every_process_sees_every_event_in_seq_order_once(processes: list[Process]) -> None:
    """Two processes commit at once; each hub gets all events of both, numbered 1…n with no gap or repeat."""

    def work(process: Process, name: str) -> None:
        for i in range(PER_PROCESS):
            word = PronunciationChanged(word=f"{name}{i}", say="x", phonemes=None)
            process.commit(word, AutoplayChanged(autoplay=True))

    threads = [threading.Thread(target=work, args=(p, n)) for p, n in zip(processes, "ab", strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    total = 2 * 2 * PER_PROCESS
    for process in processes:
        wait_for(lambda p=process: len(p.hub.events) >= total, "every event relayed", timeout=30)  # type: ignore[misc]
        assert [e.seq for e in process.hub.events] == list(range(1, total + 1))
    words = [e.word for e in processes[0].hub.events if isinstance(e, PronunciationChanged)]
    assert sorted(words) == sorted(f"{n}{i}" for n in "ab" for i in range(PER_PROCESS))
    assert processes[0].hub.events == processes[1].hub.events


def test_a_process_sees_its_own_events_when_the_commit_returns(processes: list[Process]) -> None:
    """A command's events reach its own process's listeners before the command answers (no poll wait),
    after the older events of the other process."""
    first, second = processes
    second.relay.stop()  # only the commit path may hand events on in the second process
    first.commit(AutoplayChanged(autoplay=True))
    second.commit(AutoplayChanged(autoplay=False))
    assert [(e.seq, type(e)) for e in second.hub.events] == [(1, AutoplayChanged), (2, AutoplayChanged)]
    assert [e.autoplay for e in second.hub.events if isinstance(e, AutoplayChanged)] == [True, False]


def test_a_relay_starts_at_the_newest_event_and_prunes_old_rows(processes: list[Process]) -> None:
    """A process that starts late does not replay history; the maintenance pass deletes old outbox rows."""
    first, _ = processes
    first.commit(AutoplayChanged(autoplay=True))
    late_hub = RecordingEventSink()
    late = SqlEventRelay(first.storage.engine, late_hub, poll_interval=0.02)
    late.start()
    try:
        first.commit(AutoplayChanged(autoplay=False))
        wait_for(lambda: len(late_hub.events) == 1, "the new event relayed")
        assert late_hub.events[0].seq == 2
    finally:
        late.stop()
    assert first.relay.prune(keep_seconds=3600) == 0
    assert first.relay.prune(keep_seconds=-1) == 2
    with first.storage.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(EventOutboxRow)).scalar_one() == 0
        assert connection.execute(text("SELECT seq FROM server_state")).scalar_one() == 2


def test_an_event_this_version_cannot_read_is_skipped_not_stuck_on(processes: list[Process]) -> None:
    """A row written by a newer version (an unknown event) is skipped; the events after it still arrive."""
    first, second = processes
    first.commit(AutoplayChanged(autoplay=True))
    with first.storage.engine.begin() as connection:
        connection.execute(text("UPDATE server_state SET seq = seq + 1"))
        connection.execute(
            text("INSERT INTO event_outbox (seq, type, payload, created_at) VALUES (2, 'future', :p, :at)"),
            {"p": '{"$": "FutureEvent"}', "at": datetime.now(UTC)},
        )
    first.commit(AutoplayChanged(autoplay=False))
    wait_for(lambda: len(second.hub.events) == 2, "the readable events relayed")
    assert [e.seq for e in second.hub.events] == [1, 3]
    wait_for(lambda: second.relay.last_seq == 3, "the relay past the unreadable row")
