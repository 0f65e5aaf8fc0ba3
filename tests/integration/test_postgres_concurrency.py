"""On PostgreSQL, several "processes" (threads, each with its own engine and connections) claim, synthesize,
evict and play at once: no message is claimed or played twice, the counters agree with the rows all along
and the mentions budget holds."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from adapters.filesystem_audio_store import FilesystemAudioStore
from adapters.memory import FakeSynthesizer, ManualClock, RecordingEventSink
from adapters.sql import SqlModelStorage, create_sql_engine
from tests.queue_machine import BUDGET_BYTES, RETRY
from tts_core.counts import counts_of
from tts_core.events import PlaybackStarted
from tts_core.model import AUDIO_STATUSES, Message, MessageStatus, QueueKind
from tts_core.moderation import Mute
from tts_core.services import PlaybackService, SynthesisService

pytestmark = pytest.mark.postgres

PROCESSES = 6
"""Threads per test, each with its own engine (the last test: three workers, two players, a checker)."""
MESSAGES = 90
JOIN_SECONDS = 60.0
LEASE = timedelta(minutes=2)


class Processes:
    """One SqlModelStorage per simulated process on the same database; what their threads saw and raised."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.storages: list[SqlModelStorage] = []
        self.sinks: list[RecordingEventSink] = []
        self.errors: list[BaseException] = []
        self.start = threading.Barrier(PROCESSES)
        self._lock = threading.Lock()

    def storage(self) -> SqlModelStorage:
        sink = RecordingEventSink()
        storage = SqlModelStorage(create_sql_engine(self.url), events=sink)
        with self._lock:
            self.storages.append(storage)
            self.sinks.append(sink)
        return storage

    def run(self, bodies: list[Callable[[], None]]) -> None:
        def guarded(body: Callable[[], None]) -> Callable[[], None]:
            def target() -> None:
                try:
                    self.start.wait(JOIN_SECONDS)
                    body()
                except BaseException as error:
                    with self._lock:
                        self.errors.append(error)

            return target

        threads = [threading.Thread(target=guarded(body), daemon=True) for body in bodies]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(JOIN_SECONDS)
        assert not [t for t in threads if t.is_alive()], "threads did not finish"
        assert not self.errors, self.errors

    def close(self) -> None:
        for storage in self.storages:
            storage.engine.dispose()


@pytest.fixture
def processes(postgres_url: str) -> Iterator[Processes]:
    started = Processes(postgres_url)
    yield started
    started.close()


def _add(storage: SqlModelStorage, clock: ManualClock, count: int, queue: QueueKind = QueueKind.MENTIONS) -> None:
    with storage.unit_of_work() as uow:
        for i in range(count):
            text = "hello " * (1 + i % 4)
            uow.add(Message(queue=queue, sent_by="v", text=text, spoken_text=text, created_at=clock.now()))


def _rows(storage: SqlModelStorage) -> list[Message]:
    with storage.unit_of_work() as uow:
        return uow.find(limit=1_000_000)


def _counters_agree(storage: SqlModelStorage, rows: list[Message]) -> None:
    with storage.unit_of_work() as uow:
        for queue in QueueKind:
            kept = uow.counts(queue)
            assert kept.agrees_with(uow.recount(queue)), queue
            assert kept.agrees_with(counts_of(queue, (m for m in rows if m.queue is queue))), queue


def test_every_message_is_claimed_once_across_processes(processes: Processes) -> None:
    """Six processes claiming from one queue at once get every message exactly once; the counters follow."""
    clock = ManualClock()
    _add(processes.storage(), clock, MESSAGES)
    claimed: list[int] = []

    def claimer() -> None:
        storage = processes.storage()
        while True:
            with storage.unit_of_work() as uow:
                message = uow.next_pending([QueueKind.MENTIONS], clock.now())
                if message is None:
                    return
                message.start_synthesis(clock.now(), LEASE)
                uow.save(message)
            claimed.append(message.id or 0)

    processes.run([claimer for _ in range(PROCESSES)])
    twice = [i for i, n in Counter(claimed).items() if n > 1]
    assert not twice, f"claimed twice: {twice}"
    assert len(claimed) == MESSAGES
    rows = _rows(processes.storages[0])
    assert {m.status for m in rows} == {MessageStatus.SYNTHESIZING}
    _counters_agree(processes.storages[0], rows)


def test_workers_and_players_in_several_processes_keep_counters_and_budget(
    processes: Processes, tmp_path: Path
) -> None:
    """Workers (with eviction) and players in separate processes: nothing plays twice, no counter drifts, the
    mentions audio never exceeds the budget while a ready message could be evicted, every message ends."""
    clock = ManualClock()
    audio_dir = tmp_path / "audio"
    audio = FilesystemAudioStore(audio_dir)
    _add(processes.storage(), clock, MESSAGES // 2, QueueKind.BITS)
    _add(processes.storage(), clock, MESSAGES // 2)
    done = threading.Event()
    workers = 3
    finished: list[int] = []
    over_budget: list[int] = []

    def worker() -> None:
        storage = processes.storage()
        synthesis = SynthesisService(
            storage=storage,
            synthesizer=FakeSynthesizer(),
            audio_store=audio,
            clock=clock,
            mentions_budget_bytes=BUDGET_BYTES,
            retry=RETRY,
        )
        while synthesis.synthesize_next():
            pass
        finished.append(1)
        if len(finished) == workers:
            done.set()

    def player() -> None:
        playback = PlaybackService(storage=processes.storage(), audio_store=audio, clock=clock)
        while True:
            synthesized = done.is_set()
            message = playback.play_next()
            if message is not None and message.id is not None:
                playback.mark_played(message.id)
            elif synthesized:
                return

    def checker() -> None:
        storage = processes.storage()
        while not done.is_set():
            with storage.unit_of_work() as uow:
                mentions = uow.counts(QueueKind.MENTIONS)
                assert mentions.agrees_with(uow.recount(QueueKind.MENTIONS))
                if mentions.audio_bytes > BUDGET_BYTES and mentions[MessageStatus.READY]:
                    over_budget.append(mentions.audio_bytes)

    processes.run([*[worker] * workers, player, player, checker])

    rows = _rows(processes.storages[0])
    assert not over_budget, f"mentions audio over budget with ready messages: {over_budget[:5]}"
    _counters_agree(processes.storages[0], rows)
    started = Counter(e.message.id for sink in processes.sinks for e in sink.events if isinstance(e, PlaybackStarted))
    assert started, "nothing played"
    assert max(started.values()) == 1, f"played twice: {[i for i, n in started.items() if n > 1]}"
    assert not [m for m in rows if m.status in {MessageStatus.PENDING, MessageStatus.SYNTHESIZING}]
    live = {m.audio.ref for m in rows if m.status in AUDIO_STATUSES and m.audio is not None}
    assert {p.name for p in audio_dir.iterdir()} == live


def test_first_settings_of_one_name_stored_at_once_do_not_fail(processes: Processes) -> None:
    """Processes storing the first voice, mute and remembered deletion of the same names at the same moment all
    succeed; one value of each is kept."""
    clock = ManualClock()
    names = [f"viewer{i}" for i in range(30)]

    def settle(number: int) -> Callable[[], None]:
        def body() -> None:
            storage = processes.storage()
            for name in names:
                with storage.unit_of_work() as uow:
                    uow.set_user_voice(name, f"af_heart{number}")
                    uow.mute(Mute(user=name, since=clock.now(), until=None))
                    uow.remember_deletion(f"id-{name}", clock.now() + timedelta(minutes=number + 1))

        return body

    processes.run([settle(n) for n in range(PROCESSES)])
    with processes.storages[0].unit_of_work() as uow:
        voices = uow.user_voices()
        assert sorted(voices) == sorted(names)
        assert all(uow.mute_of(name) is not None for name in names)
        last = clock.now() + timedelta(minutes=PROCESSES)
        assert all(uow.deletion_remembered(f"id-{name}", last - timedelta(seconds=1)) for name in names)
