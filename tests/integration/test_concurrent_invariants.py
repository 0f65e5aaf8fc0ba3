"""The queue invariants hold when adders, workers, players and a clearer run at once on SQLite or PostgreSQL
and real files."""

from __future__ import annotations

import itertools
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from adapters.filesystem_audio_store import FilesystemAudioStore
from adapters.memory import FakeSynthesizer, ManualClock
from adapters.sql import SqlModelStorage, create_sql_engine, upgrade_to_head
from tests.queue_machine import BUDGET_BYTES, POISON, RETRY
from tests.world import USERNAME
from tts_core.chat import ChatRules, IncomingChat, MessageType
from tts_core.counts import counts_of
from tts_core.events import Event, PlaybackStarted
from tts_core.model import AUDIO_STATUSES, Message, MessageStatus, QueueKind
from tts_core.ports import EventSink
from tts_core.services import IngestService, PlaybackService, QueueService, SynthesisService

ADDERS = 4
MESSAGES_PER_ADDER = 15
CLEAR_AFTER = (12, 30, 48)
"""The clearer clears (and switches queue) once this many messages were added."""
JOIN_SECONDS = 60.0


class LockedEventSink(EventSink):
    """Keeps every published event in the order the storage delivered them, from any thread."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self._changed = threading.Condition()

    def publish(self, event: Event) -> None:
        with self._changed:
            self.events.append(event)
            self._changed.notify_all()

    def wait_after(self, seen: int, timeout: float = 0.2) -> None:
        """Wait until more than ``seen`` events were published (or ``timeout`` passed: a flag may have changed)."""
        with self._changed:
            self._changed.wait_for(lambda: len(self.events) > seen, timeout=timeout)


class Run:
    """The services on one database and one audio directory, and what the threads report."""

    def __init__(self, root: Path, url: str) -> None:
        self.engine = create_sql_engine(url)
        upgrade_to_head(self.engine)
        self.audio_dir = root / "audio"
        self.sink = LockedEventSink()
        self.storage = SqlModelStorage(self.engine, events=self.sink)
        self.audio = FilesystemAudioStore(self.audio_dir)
        self.clock = ManualClock()
        self.ingest = IngestService(storage=self.storage, clock=self.clock, rules=ChatRules(username=USERNAME))
        self.playback = PlaybackService(storage=self.storage, audio_store=self.audio, clock=self.clock)
        self.queues = QueueService(
            storage=self.storage, audio_store=self.audio, clock=self.clock, mentions_budget_bytes=BUDGET_BYTES
        )
        self.errors: list[BaseException] = []
        self.added = 0
        self.added_changed = threading.Condition()
        self.adding_done = threading.Event()
        self.clears_done = threading.Event()
        self.synthesis_done = threading.Event()

    def worker(self) -> SynthesisService:
        # each worker thread has its own engine, as each server process would
        return SynthesisService(
            storage=self.storage,
            synthesizer=FakeSynthesizer(fail_on={POISON}),
            audio_store=self.audio,
            clock=self.clock,
            mentions_budget_bytes=BUDGET_BYTES,
            retry=RETRY,
        )

    def rows(self) -> list[Message]:
        with self.storage.unit_of_work() as uow:
            return uow.find(limit=1_000_000)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def run(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Run]:
    if request.param == "postgres":
        url: str = request.getfixturevalue("postgres_url")
    else:
        url = f"sqlite:///{tmp_path / 'tts.db'}"
    started = Run(tmp_path, url)
    yield started
    started.engine.dispose()


def _guarded(run: Run, body: Callable[[], None]) -> Callable[[], None]:
    def target() -> None:
        try:
            body()
        except BaseException as error:
            run.errors.append(error)
            raise

    return target


def _adder(run: Run, number: int) -> Callable[[], None]:
    def body() -> None:
        for i in range(MESSAGES_PER_ADDER):
            words = " ".join(["hello"] * (1 + (i * 7 + number) % 5))
            last = i == MESSAGES_PER_ADDER - 1
            if last:  # after the clears: some message must end in error
                assert run.clears_done.wait(JOIN_SECONDS)
            if i % 7 == 3 or last:
                words += f" {POISON}"
            # each adder's last message is a poisoned bit: added late, in the queue the last clear leaves alone, it
            # reaches a worker however the threads were scheduled (fair turns let the adders run in lockstep)
            if i % 3 == 0 or last:
                incoming = IncomingChat(sent_by="v", text=words, message_type=MessageType.BITS, bits_amount=100)
            else:
                incoming = IncomingChat(sent_by="v", text=f"@{USERNAME} {words}", message_type=MessageType.CHAT)
            assert isinstance(run.ingest.add_message(incoming), Message)
            with run.added_changed:
                run.added += 1
                run.added_changed.notify_all()

    return body


def _worker(run: Run) -> None:
    synthesis = run.worker()
    while True:
        finished = run.adding_done.is_set()
        seen = len(run.sink.events)
        if synthesis.synthesize_next():
            continue
        if finished:
            return
        run.sink.wait_after(seen)


def _player(run: Run) -> None:
    while True:
        finished = run.synthesis_done.is_set()
        seen = len(run.sink.events)
        message = run.playback.play_next()
        if message is None:
            if finished:
                return
            run.sink.wait_after(seen)
            continue
        assert message.id is not None
        run.playback.mark_played(message.id)


def _clearer(run: Run) -> None:
    for turn, threshold in enumerate(CLEAR_AFTER):
        with run.added_changed:
            assert run.added_changed.wait_for(lambda: run.added >= threshold, timeout=JOIN_SECONDS)  # noqa: B023
        run.queues.clear_active()
        run.queues.switch(QueueKind.BITS if turn % 2 == 0 else QueueKind.MENTIONS)
    run.clears_done.set()


def _counters_agree_while_running(run: Run, seen: list[int]) -> None:
    while not run.synthesis_done.is_set():
        with run.storage.unit_of_work() as uow:
            for queue in QueueKind:
                kept = uow.counts(queue)
                assert kept.agrees_with(uow.recount(queue)), f"{queue}: {kept} != {uow.recount(queue)}"
            mentions = uow.counts(QueueKind.MENTIONS)
            assert mentions.audio_bytes <= BUDGET_BYTES or mentions[MessageStatus.READY] == 0
        seen.append(1)


def _start(run: Run, name: str, body: Callable[[], None]) -> threading.Thread:
    thread = threading.Thread(target=_guarded(run, body), name=name, daemon=True)
    thread.start()
    return thread


def _join(threads: list[threading.Thread]) -> None:
    for thread in threads:
        thread.join(JOIN_SECONDS)
    alive = [t.name for t in threads if t.is_alive()]
    assert not alive, f"threads did not finish: {alive}"


def test_invariants_hold_with_concurrent_adders_workers_players_and_clears(run: Run) -> None:
    """Counters agree with the rows, nothing plays twice, seq follows delivery order, files match, nothing hangs."""
    checks: list[int] = []
    checker = _start(run, "checker", lambda: _counters_agree_while_running(run, checks))
    adders = [_start(run, f"adder-{n}", _adder(run, n)) for n in range(ADDERS)]
    workers = [_start(run, f"worker-{n}", lambda: _worker(run)) for n in range(2)]
    players = [_start(run, f"player-{n}", lambda: _player(run)) for n in range(2)]
    clearer = _start(run, "clearer", lambda: _clearer(run))

    _join([*adders, clearer])
    run.adding_done.set()
    _join(workers)
    run.synthesis_done.set()
    _join([*players, checker])
    assert not run.errors, run.errors

    rows = run.rows()
    assert len(rows) == ADDERS * MESSAGES_PER_ADDER
    assert checks, "the checker never looked while the others ran"
    with run.storage.unit_of_work() as uow:
        for queue in QueueKind:
            kept = uow.counts(queue)
            assert kept.agrees_with(uow.recount(queue))
            assert kept.agrees_with(counts_of(queue, (m for m in rows if m.queue is queue)))
    started = Counter(e.message.id for e in run.sink.events if isinstance(e, PlaybackStarted))
    assert started, "nothing played"
    assert max(started.values()) == 1, f"played twice: {[i for i, n in started.items() if n > 1]}"
    seqs = [e.seq for e in run.sink.events]
    assert all(a < b for a, b in itertools.pairwise(seqs)), "events were delivered out of seq order"
    live = {m.audio.ref for m in rows if m.status in AUDIO_STATUSES and m.audio is not None}
    assert {p.name for p in run.audio_dir.iterdir()} == live
    unfinished = [m for m in rows if m.status in {MessageStatus.PENDING, MessageStatus.SYNTHESIZING}]
    assert not unfinished, f"messages never ended: {unfinished}"
    statuses = Counter(m.status for m in rows)
    assert statuses[MessageStatus.DELETED] and statuses[MessageStatus.ERROR], statuses
