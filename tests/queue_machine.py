"""A hypothesis state machine that drives the queue services under injected faults and checks the invariants.

One machine, two backends: the in-memory adapters (tests/unit) and SQLite + files (tests/integration).
Faults are armed for one step through wrappers around the real adapters; what a fault may leave behind
on purpose (a file a broken disk kept, a claim whose release did not commit) is tracked, and repaired by
the ``reconcile`` rule or the lease; everything else must hold exactly after every step.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager

import attrs
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from adapters.memory import FakeSynthesizer, ManualClock, RecordingEventSink
from tests.world import USERNAME
from tts_core.chat import ChatRules, IncomingChat, MessageType
from tts_core.counts import QueueCounts, counts_of
from tts_core.errors import AudioStoreError, EngineUnavailable, StorageError, SynthesisFailed
from tts_core.events import MessagesRemoved, PlaybackFailed, PlaybackStarted, QueueChanged
from tts_core.model import (
    AUDIO_STATUSES,
    CLEARABLE_STATUSES,
    DeletionReason,
    Message,
    MessageStatus,
    QueueKind,
    StoredAudio,
    audio_ref_for,
)
from tts_core.ports import AudioStore, EventSink, ReadOnlyUnitOfWork, Storage, Synthesizer, UnitOfWork
from tts_core.retry import RetryPolicy
from tts_core.services import IngestService, PlaybackService, QueueService, RecoveryService, SynthesisService
from tts_core.speech import EngineStatus, Speech
from tts_core.voice_mix import VoiceMix

RETRY = RetryPolicy(lease_seconds=120.0, max_failures=3, backoff_base_seconds=2.0, backoff_max_seconds=60.0)
#: FakeSynthesizer makes 200 bytes per spoken character, so a mention of a few words takes 3-12 KB:
#: the budget is exceeded every few messages, and a long one alone is over it.
BUDGET_BYTES = 8_000
POISON = "zzpoison"
"""A word the fake engine refuses (``SynthesisFailed``): such a message must end in ``error``."""
_WORDS = st.lists(st.sampled_from(["hi", "hello", "there", "great", "stream", "again"]), min_size=1, max_size=6)
_RARELY = st.integers(0, 4).map(lambda n: n == 4)
"""True one time in five (and shrinks to False): faults must not starve the run of progress."""
_WAITING = frozenset({MessageStatus.PENDING, MessageStatus.SYNTHESIZING})


class FaultyStorage(Storage):
    """Storage whose coming commits fail on demand: ``plan[i]`` says whether the i-th next unit of work fails.

    The failure is raised inside the real unit of work before it exits, so the real adapter rolls back.
    """

    def __init__(self, inner: Storage) -> None:
        self.inner = inner
        self.plan: list[bool] = []
        self.failed = 0
        """How many injected failures fired since the plan was set."""

    @contextmanager
    def reading(self) -> Iterator[ReadOnlyUnitOfWork]:
        with self.inner.reading() as unit:
            yield unit

    @contextmanager
    def unit_of_work(self) -> Iterator[UnitOfWork]:
        fail = self.plan.pop(0) if self.plan else False
        with self.inner.unit_of_work() as uow:
            yield uow
            if fail:
                self.failed += 1
                raise StorageError("database error: injected commit failure")

    def healthy(self) -> bool:
        return self.inner.healthy()


class FaultyAudioStore(AudioStore):
    """An audio store whose saves, deletes or listing fail with ``AudioStoreError`` while armed."""

    def __init__(self, inner: AudioStore) -> None:
        self.inner = inner
        self.saves_fail = False
        self.deletes_fail = False
        self.listing_fails = False

    def save(self, ref: str, speech: Speech) -> StoredAudio:
        if self.saves_fail:
            raise AudioStoreError("injected: the disk is full")
        return self.inner.save(ref, speech)

    def read(self, ref: str) -> bytes:
        return self.inner.read(ref)

    def exists(self, ref: str) -> bool:
        return self.inner.exists(ref)

    def delete(self, ref: str) -> None:
        if self.deletes_fail:
            raise AudioStoreError("injected: the file cannot be removed")
        self.inner.delete(ref)

    def refs(self) -> Iterable[str]:
        if self.listing_fails:
            raise AudioStoreError("injected: the directory cannot be read")
        return self.inner.refs()

    def check(self) -> None:
        self.inner.check()


class EngineFault(enum.Enum):
    """What the engine does on the next call."""

    NONE = "none"
    REFUSES = "refuses"
    """``SynthesisFailed``: the text cannot be spoken."""
    CRASHES = "crashes"
    """An exception the port does not name (an engine bug)."""
    UNAVAILABLE = "unavailable"
    """``EngineUnavailable``: not loaded."""


class FaultyEngine(Synthesizer):
    """A FakeSynthesizer that fails the way ``fault`` says."""

    def __init__(self, inner: FakeSynthesizer) -> None:
        self.inner = inner
        self.fault = EngineFault.NONE

    def synthesize(self, text: str, *, voice: VoiceMix | None = None, speed: float | None = None) -> Speech:
        if self.fault is EngineFault.REFUSES:
            raise SynthesisFailed("injected: the engine refuses this text")
        if self.fault is EngineFault.CRASHES:
            raise RuntimeError("injected: engine bug")
        if self.fault is EngineFault.UNAVAILABLE:
            raise EngineUnavailable("injected: engine not loaded")
        return self.inner.synthesize(text, voice=voice, speed=speed)

    def synthesize_chunks(
        self, text: str, *, voice: VoiceMix | None = None, speed: float | None = None, wait: float | None = None
    ) -> Iterator[Speech]:
        yield self.synthesize(text, voice=voice, speed=speed)

    def status(self) -> EngineStatus:
        return self.inner.status()


class DbFault(enum.Enum):
    """Which commits of a synthesis step fail (the claim is the first unit of work)."""

    NONE = ()
    CLAIM = (True,)
    AFTER_CLAIM = (False, True)
    """The commit after synthesis (ready, failed or released) fails."""
    AFTER_CLAIM_AND_RELEASE = (False, True, True)
    """The commit after synthesis and the release that follows it fail: the claim is stuck until its lease ends."""


class StoreFault(enum.Enum):
    NONE = "none"
    SAVES = "saves fail"
    DELETES = "deletes fail"


@attrs.define
class Backend:
    """The real adapters under test and a way to see every file the audio store holds."""

    storage: Storage
    audio: AudioStore
    files: Callable[[], set[str]]
    """Names of every file stored now (on disk: every directory entry, temporaries included)."""
    close: Callable[[], None]


@attrs.define
class Step:
    """What was true before a step, to compare with after it."""

    rows: dict[int, Message]
    files: set[str]
    events: int
    """How many events had been published before the step."""


class QueueMachine(RuleBasedStateMachine):
    """Adds, synthesizes, plays, stops, clears, switches and reconciles under faults; checks the invariants."""

    def open_backend(self, events: EventSink) -> Backend:
        """The adapters to test, publishing to ``events`` (subclasses choose the backend)."""
        raise NotImplementedError

    def __init__(self) -> None:
        super().__init__()
        self.events = RecordingEventSink()
        self.backend = self.open_backend(self.events)
        self.clock = ManualClock()
        self.storage = FaultyStorage(self.backend.storage)
        self.audio = FaultyAudioStore(self.backend.audio)
        self.engine = FaultyEngine(FakeSynthesizer(fail_on={POISON}))
        self.ingest = IngestService(storage=self.storage, clock=self.clock, rules=ChatRules(username=USERNAME))
        self.synthesis = SynthesisService(
            storage=self.storage,
            synthesizer=self.engine,
            audio_store=self.audio,
            clock=self.clock,
            mentions_budget_bytes=BUDGET_BYTES,
            retry=RETRY,
        )
        self.playback = PlaybackService(storage=self.storage, audio_store=self.audio, clock=self.clock)
        self.queues = QueueService(
            storage=self.storage, audio_store=self.audio, clock=self.clock, mentions_budget_bytes=BUDGET_BYTES
        )
        self.recovery = RecoveryService(storage=self.storage, audio_store=self.audio, clock=self.clock, retry=RETRY)
        self.active = QueueKind.MENTIONS
        self.added: set[int] = set()
        self.leftovers: set[str] = set()
        """Files a step with failing deletes kept on purpose; only reconcile may remove them."""
        self.lost: set[str] = set()
        """Files removed behind the server's back; reconcile requeues their ready messages."""
        self.stuck: dict[int, int] = {}
        """Claims (id → attempt) left synthesizing because a commit after the claim failed."""
        self.checked_events = 0
        self.started: Counter[int] = Counter()
        self.failed_plays: Counter[int] = Counter()
        """How often each message was reported as not playable (each one may start again once more)."""
        self.waiting_when_started: dict[int, set[int]] = {}
        """For each message started, the ready messages of its queue that waited with it then."""
        self.settled = False
        """Whether the last step and its invariant check passed (teardown only drains a sound state)."""

    # -- helpers -----------------------------------------------------------------------------------

    def _rows(self) -> dict[int, Message]:
        with self.backend.storage.unit_of_work() as uow:
            return {m.id: m for m in uow.find(limit=1_000_000) if m.id is not None}

    def _of(self, rows: dict[int, Message], *statuses: MessageStatus) -> list[Message]:
        return [m for m in sorted(rows.values(), key=lambda m: m.id or 0) if m.status in statuses]

    @contextmanager
    def _step(
        self,
        *,
        commits: Sequence[bool] = (),
        store: StoreFault = StoreFault.NONE,
        listing_fails: bool = False,
        engine: EngineFault = EngineFault.NONE,
    ) -> Iterator[Step]:
        """Arm the faults for one step, then record what they may have left behind on purpose."""
        self.settled = False
        before = Step(rows=self._rows(), files=self.backend.files(), events=len(self.events.events))
        self.storage.plan, self.storage.failed = list(commits), 0
        self.audio.saves_fail = store is StoreFault.SAVES
        self.audio.deletes_fail = store is StoreFault.DELETES
        self.audio.listing_fails = listing_fails
        self.engine.fault = engine
        try:
            yield before
        finally:
            fired = self.storage.failed
            self.storage.plan, self.storage.failed = [], 0
            self.audio.saves_fail = self.audio.deletes_fail = self.audio.listing_fails = False
            self.engine.fault = EngineFault.NONE
        rows = self._rows()
        if fired:
            for message in self._of(rows, MessageStatus.SYNTHESIZING):
                assert message.id is not None
                previous = before.rows.get(message.id)
                if previous is None or (previous.status, previous.attempts) != (message.status, message.attempts):
                    self.stuck[message.id] = message.attempts
        if store is StoreFault.DELETES:
            self.leftovers |= self.backend.files() - self._live(rows)
        self.stuck = {
            i: attempt
            for i, attempt in self.stuck.items()
            if i in rows and rows[i].status is MessageStatus.SYNTHESIZING and rows[i].attempts == attempt
        }

    def _live(self, rows: dict[int, Message]) -> set[str]:
        return {m.audio.ref for m in rows.values() if m.status in AUDIO_STATUSES and m.audio is not None}

    def _unchanged(self, before: Step) -> None:
        assert self._rows() == before.rows, "a failed commit changed the messages"
        assert self.backend.files() == before.files, "a failed commit changed the files"
        assert len(self.events.events) == before.events, "a failed commit published events"

    def _events_since(self, before: Step) -> list[object]:
        return list(self.events.events[before.events :])

    # -- rules -------------------------------------------------------------------------------------

    @rule(bits=st.none() | st.integers(1, 500), words=_WORDS, poison=_RARELY, db_fails=_RARELY)
    def add(self, bits: int | None, words: list[str], poison: bool, db_fails: bool) -> None:
        self._add(bits, words, poison=poison, db_fails=db_fails)

    @rule(mentions=st.lists(_WORDS, min_size=1, max_size=4))
    def add_several_mentions(self, mentions: list[list[str]]) -> None:
        for words in mentions:
            self._add(None, words, poison=False, db_fails=False)

    def _add(self, bits: int | None, words: list[str], *, poison: bool, db_fails: bool) -> None:
        text = " ".join([*words, POISON] if poison else words)
        kind = MessageType.BITS if bits is not None else MessageType.CHAT
        if bits is None:
            text = f"@{USERNAME} {text}"
        incoming = IncomingChat(sent_by="v", text=text, message_type=kind, bits_amount=bits)
        with self._step(commits=[db_fails]) as before:
            try:
                result = self.ingest.add_message(incoming)
            except StorageError:
                assert db_fails
                self._unchanged(before)
                return
        assert not db_fails, "an injected commit failure was swallowed"
        assert isinstance(result, Message)
        assert result.id is not None
        assert result.status is MessageStatus.PENDING
        self.added.add(result.id)

    @rule(times=st.integers(1, 4))
    def synthesize(self, times: int) -> None:
        for _ in range(times):
            self._synthesize(EngineFault.NONE, StoreFault.NONE, DbFault.NONE)

    @rule(engine=st.sampled_from(EngineFault), store=st.sampled_from(StoreFault), db=st.sampled_from(DbFault))
    def synthesize_under_faults(self, engine: EngineFault, store: StoreFault, db: DbFault) -> None:
        self._synthesize(engine, store, db)

    def _synthesize(self, engine: EngineFault, store: StoreFault, db: DbFault) -> None:
        allowed: list[type[Exception]] = []
        if db is not DbFault.NONE:
            allowed.append(StorageError)
        if engine is EngineFault.UNAVAILABLE:
            allowed.append(EngineUnavailable)
        if store is StoreFault.SAVES:
            allowed.append(AudioStoreError)
        with self._step(commits=db.value, store=store, engine=engine) as before:
            try:
                self.synthesis.synthesize_next()
            except (StorageError, EngineUnavailable, AudioStoreError) as error:
                assert isinstance(error, tuple(allowed)), f"{error!r} escaped though only {allowed} were injected"
                if db is DbFault.CLAIM:
                    self._unchanged(before)
        self._check_eviction(before)

    def _check_eviction(self, before: Step) -> None:
        """Eviction happened exactly when the mentions message made ready in this step pushed the mentions
        audio over the budget, took the oldest ready messages first (the new one included) and no more
        than needed."""
        after = self._rows()
        fresh = [
            m
            for m in after.values()
            if m.id in before.rows
            and before.rows[m.id].status in _WAITING
            and (
                m.status is MessageStatus.READY
                or (m.status is MessageStatus.DELETED and m.deletion_reason is DeletionReason.EVICTED)
            )
        ]
        assert len(fresh) <= 1, f"one step made several messages ready: {fresh}"
        removed = [e for e in self._events_since(before) if isinstance(e, MessagesRemoved)]
        evicted = [i for e in removed if e.reason is DeletionReason.EVICTED for i in e.message_ids]
        newly_evicted = {
            m.id for m in after.values() if m.deletion_reason is DeletionReason.EVICTED and m.id in before.rows
        } - {m.id for m in before.rows.values() if m.deletion_reason is DeletionReason.EVICTED}
        assert set(evicted) == newly_evicted, "the evicted rows and the MessagesRemoved event disagree"
        if not fresh or fresh[0].queue is not QueueKind.MENTIONS:
            assert not evicted, "messages were evicted though no mention became ready"
            return
        new = fresh[0]
        assert new.audio is not None
        candidates = sorted([*self._of(before.rows, MessageStatus.READY), new], key=lambda m: m.id or 0)
        candidates = [m for m in candidates if m.queue is QueueKind.MENTIONS]
        sizes = [new.audio.size_bytes if m is new else m.audio_bytes for m in candidates]
        mentions = [m for m in before.rows.values() if m.queue is QueueKind.MENTIONS]
        total = counts_of(QueueKind.MENTIONS, mentions).audio_bytes + new.audio.size_bytes
        k = len(evicted)
        assert evicted == [m.id for m in candidates[:k]], "eviction did not take the oldest ready mentions first"
        if k == 0:
            assert total <= BUDGET_BYTES, f"{total} bytes of mentions audio and nothing evicted"
            return
        assert total - sum(sizes[: k - 1]) > BUDGET_BYTES, "eviction took more messages than needed"
        assert total - sum(sizes[:k]) <= BUDGET_BYTES or k == len(candidates), "eviction stopped too early"

    @rule(db_fails=_RARELY)
    def play_next(self, db_fails: bool) -> None:
        with self._step(commits=[db_fails]) as before:
            try:
                played = self.playback.play_next()
            except StorageError:
                assert db_fails
                self._unchanged(before)
                return
        assert not db_fails, "an injected commit failure was swallowed"
        ready = [m for m in self._of(before.rows, MessageStatus.READY) if m.queue is self.active]
        expected = ready[0].id if ready else None
        assert (played.id if played is not None else None) == expected, "play_next skipped the oldest ready message"
        if played is not None and played.id is not None:
            self.waiting_when_started[played.id] = {m.id for m in ready[1:] if m.id is not None}

    @rule()
    def play_to_the_end(self) -> None:
        """The usual path, healthy: the next message plays and is reported played."""
        self.play_next(db_fails=False)
        playing = self._of(self._rows(), MessageStatus.PLAYING)
        if playing:
            self.mark_played(pick=len(playing) - 1, db_fails=False, deletes_fail=False)

    @rule(pick=st.integers(0, 7), db_fails=_RARELY, deletes_fail=st.booleans())
    def mark_played(self, pick: int, db_fails: bool, deletes_fail: bool) -> None:
        store = StoreFault.DELETES if deletes_fail else StoreFault.NONE
        with self._step(commits=[db_fails], store=store) as before:
            # a playing message, or now and then one already played (reported twice)
            targets = self._of(before.rows, MessageStatus.PLAYING) or self._of(before.rows, MessageStatus.PLAYED)
            if not targets:
                return
            target = targets[pick % len(targets)]
            assert target.id is not None
            try:
                self.playback.mark_played(target.id)
            except StorageError:
                assert db_fails
                self._unchanged(before)
                return
        if target.status is MessageStatus.PLAYED:
            assert self._rows() == before.rows, "reporting a played message again changed something"
            return
        assert not db_fails, "an injected commit failure was swallowed"
        assert self._rows()[target.id].status is MessageStatus.PLAYED

    @rule(pick=st.integers(0, 7), db_fails=_RARELY)
    def playback_failed(self, pick: int, db_fails: bool) -> None:
        """A client could not play a message: it is ready again with its file, ahead of every message that waited
        with it; a report for a message already ready or played (another client was first) changes nothing."""
        with self._step(commits=[db_fails]) as before:
            targets = self._of(before.rows, MessageStatus.PLAYING) or self._of(
                before.rows, MessageStatus.READY, MessageStatus.PLAYED
            )
            if not targets:
                return
            target = targets[pick % len(targets)]
            assert target.id is not None
            try:
                message, changed = self.playback.playback_failed(target.id, "NotAllowedError: play() failed")
            except StorageError:
                assert db_fails
                self._unchanged(before)
                return
        assert not db_fails, "an injected commit failure was swallowed"
        rows = self._rows()
        if target.status is not MessageStatus.PLAYING:
            assert not changed
            assert rows == before.rows, "reporting a failure for a settled message changed something"
            assert not any(isinstance(e, PlaybackFailed) for e in self._events_since(before))
            return
        assert changed
        self.failed_plays[target.id] += 1
        after = rows[target.id]
        assert (after.status, after.audio, message.status) == (MessageStatus.READY, target.audio, MessageStatus.READY)
        with self.backend.storage.unit_of_work() as uow:
            head = uow.next_ready(target.queue)
        assert head is not None
        assert head.id == target.id or head.id not in self.waiting_when_started.get(target.id, set()), (
            f"message {head.id} plays before the failed message {target.id}, though it waited behind it"
        )
        failed = [e for e in self._events_since(before) if isinstance(e, PlaybackFailed)]
        assert [e.message.id for e in failed] == [target.id]

    @rule(db_fails=_RARELY, deletes_fail=st.booleans())
    def stop(self, db_fails: bool, deletes_fail: bool) -> None:
        store = StoreFault.DELETES if deletes_fail else StoreFault.NONE
        with self._step(commits=[db_fails], store=store) as before:
            try:
                self.playback.stop()
            except StorageError:
                assert db_fails
                self._unchanged(before)
                return
        assert not db_fails, "an injected commit failure was swallowed"
        assert not self._of(self._rows(), MessageStatus.PLAYING)

    @rule(db_fails=_RARELY, deletes_fail=st.booleans())
    def clear_active(self, db_fails: bool, deletes_fail: bool) -> None:
        store = StoreFault.DELETES if deletes_fail else StoreFault.NONE
        with self._step(commits=[db_fails], store=store) as before:
            try:
                self.queues.clear_active()
            except StorageError:
                assert db_fails
                self._unchanged(before)
                return
        assert not db_fails, "an injected commit failure was swallowed"
        left = [m for m in self._of(self._rows(), *CLEARABLE_STATUSES) if m.queue is self.active]
        assert not left, f"clear left {left}"

    @rule(queue=st.sampled_from(QueueKind), db_fails=_RARELY)
    def switch(self, queue: QueueKind, db_fails: bool) -> None:
        with self._step(commits=[db_fails]) as before:
            try:
                self.queues.switch(queue)
            except StorageError:
                assert db_fails
                self._unchanged(before)
                return
        self.active = queue

    @rule(seconds=st.sampled_from([1.0, 3.0, 61.0, RETRY.lease_seconds + 1]))
    def advance_clock(self, seconds: float) -> None:
        self.settled = False
        self.clock.advance(seconds)

    @rule(pick=st.integers(0, 7))
    def lose_file(self, pick: int) -> None:
        """A ready message's file disappears behind the server's back (a cleanup tool, a disk error)."""
        with self._step() as before:
            ready = [m for m in self._of(before.rows, MessageStatus.READY) if m.audio is not None]
            if ready:
                audio = ready[pick % len(ready)].audio
                assert audio is not None
                self.backend.audio.delete(audio.ref)
                self.lost.add(audio.ref)

    @rule(db_fails=_RARELY, deletes_fail=st.booleans(), listing_fails=_RARELY)
    def reconcile(self, db_fails: bool, deletes_fail: bool, listing_fails: bool) -> None:
        store = StoreFault.DELETES if deletes_fail else StoreFault.NONE
        with self._step(commits=[db_fails], store=store, listing_fails=listing_fails) as before:
            try:
                report = self.recovery.reconcile()
            except StorageError:
                assert db_fails
                self._unchanged(before)
                return
        assert not db_fails, "an injected commit failure was swallowed"
        assert report.counters_repaired == 0, "the counters had drifted from the rows"
        rows, now = self._rows(), self.clock.now()
        expired = [m for m in self._of(rows, MessageStatus.SYNTHESIZING) if m.lease_expired(now)]
        assert not expired, f"reconcile left claims with expired leases: {expired}"
        files, live = self.backend.files(), self._live(rows)
        if not listing_fails:
            missing = [m for m in self._of(rows, MessageStatus.READY) if m.audio and m.audio.ref not in files]
            assert not missing, f"reconcile left ready messages without a file: {missing}"
            self.lost &= live
        if not (listing_fails or deletes_fail):
            claimed = {audio_ref_for(m.id or 0, m.attempts) for m in self._of(rows, MessageStatus.SYNTHESIZING)}
            assert files - live <= claimed, f"reconcile left orphan files: {sorted(files - live - claimed)}"
            self.leftovers = files - live

    @rule()
    def drain(self) -> None:
        self.settled = False
        self._drain()

    def _drain(self) -> None:
        """Heal every fault and run the worker until nothing waits: every message must end."""
        self.reconcile(db_fails=False, deletes_fail=False, listing_fails=False)  # requeues ready ones that lost files
        for _ in range(3):
            self.clock.advance(RETRY.lease_seconds + RETRY.backoff_max_seconds + 1)
            for _ in range(10_000):
                if not self.synthesis.synthesize_next():
                    break
            else:
                raise AssertionError("the worker never ran out of messages")
            if not self._of(self._rows(), *_WAITING):
                break
        waiting = self._of(self._rows(), *_WAITING)
        assert not waiting, f"messages never ended: {waiting}"
        self.stuck.clear()
        self.reconcile(db_fails=False, deletes_fail=False, listing_fails=False)
        # a playing message whose file was lost keeps its row until it is reported played or stopped
        files, live = self.backend.files(), self._live(self._rows()) - self.lost
        assert files == live, f"after a healthy reconcile, files {sorted(files)} != ready and playing {sorted(live)}"

    # -- invariants --------------------------------------------------------------------------------

    @invariant()
    def invariants_hold(self) -> None:
        self.settled = False
        rows = self._rows()
        assert self.added <= rows.keys(), f"messages lost: {sorted(self.added - rows.keys())}"
        with self.backend.storage.unit_of_work() as uow:
            for queue in QueueKind:
                kept = uow.counts(queue)
                assert kept.agrees_with(uow.recount(queue)), f"{queue} counters {kept} != recount"
                counted = counts_of(queue, (m for m in rows.values() if m.queue is queue))
                assert kept.agrees_with(counted), f"{queue} counters {kept} != the rows {counted}"
            assert uow.state().active_queue is self.active
            seq = uow.seq()
            kept_counts = {queue: uow.counts(queue) for queue in QueueKind}
        mentions = counts_of(QueueKind.MENTIONS, (m for m in rows.values() if m.queue is QueueKind.MENTIONS))
        assert mentions.audio_bytes <= BUDGET_BYTES or mentions[MessageStatus.READY] == 0, (
            f"mentions hold {mentions.audio_bytes} bytes > {BUDGET_BYTES} with {mentions[MessageStatus.READY]} ready"
        )
        files, live = self.backend.files(), self._live(rows)
        assert live - files <= self.lost, f"files missing: {sorted(live - files - self.lost)}"
        assert files - live <= self.leftovers, f"files nothing refers to: {sorted(files - live - self.leftovers)}"
        for message in self._of(rows, MessageStatus.SYNTHESIZING):
            assert message.lease_until is not None
            assert self.stuck.get(message.id or 0) == message.attempts, (
                f"message {message.id} is still synthesizing after its step, though no commit failed: {message}"
            )
        self._check_events(seq, kept_counts)
        self.settled = True

    def _check_events(self, seq: int, counts: dict[QueueKind, QueueCounts]) -> None:
        """Events of the last step: seq increasing, nothing started twice, and the newest ``queue_changed`` of
        each queue tells what the step left (except the pending/synthesizing split: claims are not announced)."""
        new = self.events.events[self.checked_events :]
        announced = {e.counts.queue: e.counts for e in new if isinstance(e, QueueChanged)}
        for queue, told in announced.items():
            kept = counts[queue]
            assert (told.audio_bytes, told.queue_size) == (kept.audio_bytes, kept.queue_size), (
                f"the last queue_changed of {queue} said {told}, the step left {kept}"
            )
            settled = set(MessageStatus) - _WAITING
            assert all(told[s] == kept[s] for s in settled), f"the last queue_changed said {told}, not {kept}"
        last = self.events.events[self.checked_events - 1].seq if self.checked_events else 0
        for event in new:
            assert event.seq > last, f"event seq went from {last} to {event.seq}"
            last = event.seq
            if isinstance(event, PlaybackStarted):
                assert event.message.id is not None
                self.started[event.message.id] += 1
                # a message no client could play goes back to ready: it may start once more per failure
                allowed = 1 + self.failed_plays[event.message.id]
                assert self.started[event.message.id] <= allowed, f"message {event.message.id} started playing twice"
        assert seq == last, f"storage says seq {seq}, the newest event published has {last}"
        self.checked_events = len(self.events.events)

    def teardown(self) -> None:
        try:
            if self.settled:
                self._drain()
                self.invariants_hold()
        finally:
            self.backend.close()
