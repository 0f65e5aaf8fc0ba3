"""In-memory adapters of every port, for tests and for projects that embed tts_core without a server."""

from __future__ import annotations

import copy
import re
import threading
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import attrs

from adapters.fair_lock import FairLock
from adapters.memory_voices import InMemoryVoiceSettings, VoiceTables
from adapters.read_set import ReadSet, as_read
from adapters.wav import encode_wav
from tts_core.counts import Counted, QueueCounts, apply_delta, count_delta, counts_of
from tts_core.errors import (
    AudioNotFound,
    AudioStoreError,
    ConcurrentUpdate,
    EngineBusy,
    EngineUnavailable,
    MessageNotFound,
    StorageError,
    SynthesisFailed,
)
from tts_core.events import Event
from tts_core.model import CLEARABLE_STATUSES, DeletionReason, Message, MessageStatus, QueueKind, StoredAudio
from tts_core.moderation import Mute, sender_key
from tts_core.ports import AudioStore, Clock, EventSink, ReadOnlyUnitOfWork, Storage, Synthesizer, UnitOfWork
from tts_core.speech import EngineStatus, Speech
from tts_core.state import ServerState
from tts_core.voice_mix import VoiceMix


@attrs.define
class _Tables:
    messages: dict[int, Message] = attrs.Factory(dict)
    counts: dict[QueueKind, QueueCounts] = attrs.Factory(lambda: {q: QueueCounts(queue=q) for q in QueueKind})
    state: ServerState = attrs.Factory(ServerState)
    mutes: dict[str, Mute] = attrs.Factory(dict)
    deletions: dict[str, datetime] = attrs.Factory(dict)
    next_id: int = 1
    seq: int = 0
    voices: VoiceTables = attrs.Factory(VoiceTables)


class InMemoryUnitOfWork(InMemoryVoiceSettings, UnitOfWork):
    """A unit of work over a private copy of the tables; the storage swaps it in on commit."""

    def __init__(self, tables: _Tables) -> None:
        self.tables = tables
        self.voice_tables = tables.voices
        self.emitted: list[Event] = []
        self.read = ReadSet()

    def _out(self, message: Message) -> Message:
        # a copy for the caller, noted as read for save's compare-and-set
        return self.read.remember(copy.deepcopy(message))

    def emit(self, event: Event) -> None:
        self.emitted.append(event)

    def seq(self) -> int:
        return self.tables.seq

    def add(self, message: Message) -> Message:
        if message.id is not None:
            raise ValueError("a new message must not have an id")
        stored = copy.deepcopy(message)
        stored.id = self.tables.next_id
        self.tables.next_id += 1
        self.tables.messages[stored.id] = stored
        self._count(None, stored)
        return self._out(stored)

    def get(self, message_id: int) -> Message | None:
        found = self.tables.messages.get(message_id)
        return self._out(found) if found is not None else None

    def save(self, message: Message) -> None:
        current = self.tables.messages.get(message.id) if message.id is not None else None
        if message.id is None or current is None:
            raise MessageNotFound(message.id or 0)
        before = self.read.expected(message) or as_read(current)
        if (current.status, current.attempts) != (before.status, before.attempts):
            raise ConcurrentUpdate(message.id)
        self.tables.messages[message.id] = copy.deepcopy(message)
        self._count(before, message)
        self.read.remember(message)

    def soft_delete_many(
        self,
        queue: QueueKind,
        statuses: frozenset[MessageStatus],
        *,
        reason: DeletionReason,
        now: datetime,
        ids: Collection[int] | None = None,
    ) -> list[Message]:
        if not statuses <= CLEARABLE_STATUSES:
            raise ValueError(f"cannot soft-delete messages that are {sorted(statuses - CLEARABLE_STATUSES)}")
        deleted = []
        for message in list(self.oldest_first(queue, statuses)):
            if ids is None or message.id in ids:
                message.soft_delete(reason, now)
                self.save(message)
                deleted.append(message)
        return deleted

    def _count(self, before: Counted | None, after: Message) -> None:
        delta = count_delta(before, after)
        self.tables.counts[after.queue] = apply_delta(self.tables.counts[after.queue], delta)

    def next_pending(self, queues: Sequence[QueueKind], now: datetime) -> Message | None:
        claimable = frozenset({MessageStatus.PENDING, MessageStatus.SYNTHESIZING})
        for queue in queues:
            found = next((m for m in self.oldest_first(queue, claimable) if m.claimable(now)), None)
            if found is not None:
                return found
        return None

    def next_ready(self, queue: QueueKind) -> Message | None:
        return next(self.oldest_first(queue, frozenset({MessageStatus.READY})), None)

    def oldest_first(self, queue: QueueKind, statuses: frozenset[MessageStatus]) -> Iterator[Message]:
        for message_id in sorted(self.tables.messages):
            message = self.tables.messages[message_id]
            if message.queue is queue and message.status in statuses:
                yield self._out(message)

    def find(
        self,
        *,
        queue: QueueKind | None = None,
        statuses: frozenset[MessageStatus] | None = None,
        before_id: int | None = None,
        limit: int = 100,
    ) -> list[Message]:
        found: list[Message] = []
        for message_id in sorted(self.tables.messages, reverse=True):
            message = self.tables.messages[message_id]
            if before_id is not None and message_id >= before_id:
                continue
            if (queue is None or message.queue is queue) and (statuses is None or message.status in statuses):
                found.append(self._out(message))
                if len(found) >= limit:
                    break
        return found

    def counts(self, queue: QueueKind) -> QueueCounts:
        return self.tables.counts[queue]

    def recount(self, queue: QueueKind) -> QueueCounts:
        return counts_of(queue, (m for m in self.tables.messages.values() if m.queue is queue))

    def replace_counts(self, counts: QueueCounts) -> None:
        self.tables.counts[counts.queue] = counts

    def with_twitch_id(self, twitch_message_id: str) -> list[Message]:
        return [
            self._out(self.tables.messages[i])
            for i in sorted(self.tables.messages)
            if self.tables.messages[i].twitch_message_id == twitch_message_id
        ]

    def from_sender(
        self,
        sender: str,
        *,
        queue: QueueKind | None = None,
        statuses: frozenset[MessageStatus] | None = None,
        since: datetime | None = None,
    ) -> list[Message]:
        found = []
        for message_id in sorted(self.tables.messages):
            message = self.tables.messages[message_id]
            if (
                sender_key(message.sent_by) == sender
                and (queue is None or message.queue is queue)
                and (statuses is None or message.status in statuses)
                and (since is None or message.created_at >= since)
            ):
                found.append(self._out(message))
        return found

    def mute(self, mute: Mute) -> None:
        self.tables.mutes[mute.user] = mute

    def unmute(self, user: str) -> bool:
        return self.tables.mutes.pop(user, None) is not None

    def mute_of(self, user: str) -> Mute | None:
        return self.tables.mutes.get(user)

    def mutes_of(self, users: Collection[str]) -> dict[str, Mute]:
        return {user: self.tables.mutes[user] for user in set(users) if user in self.tables.mutes}

    def mutes(self) -> list[Mute]:
        return [self.tables.mutes[user] for user in sorted(self.tables.mutes)]

    def forget_mutes_ended(self, now: datetime) -> int:
        ended = [user for user, mute in self.tables.mutes.items() if not mute.active(now)]
        for user in ended:
            del self.tables.mutes[user]
        return len(ended)

    def remember_deletion(self, twitch_message_id: str, until: datetime) -> None:
        known = self.tables.deletions.get(twitch_message_id)
        self.tables.deletions[twitch_message_id] = until if known is None else max(known, until)

    def deletion_remembered(self, twitch_message_id: str, now: datetime) -> bool:
        until = self.tables.deletions.get(twitch_message_id)
        return until is not None and now < until

    def forget_deletions(self, now: datetime) -> int:
        ended = [key for key, until in self.tables.deletions.items() if until <= now]
        for key in ended:
            del self.tables.deletions[key]
        return len(ended)

    def state(self) -> ServerState:
        return self.tables.state

    def save_state(self, state: ServerState) -> None:
        self.tables.state = state


class InMemoryStorage(Storage):
    """Storage in a dict, with real commit/rollback: a unit of work that raises changes nothing.

    Emitted events are numbered and published to ``events`` after the commit, under the storage's
    lock, so they arrive in commit order. ``fail_commits`` makes that many next commits fail with
    ``StorageError`` (nothing is written, no event published): a database that is briefly locked.
    """

    def __init__(self, events: EventSink | None = None) -> None:
        self.events = events
        self.fail_commits = 0
        self._tables = _Tables()
        self._lock = threading.RLock()

    @contextmanager
    def reading(self) -> Iterator[ReadOnlyUnitOfWork]:
        # committed tables are never changed in place (a commit swaps in a new copy): read them without the lock
        yield InMemoryUnitOfWork(self._tables)

    @contextmanager
    def unit_of_work(self) -> Iterator[UnitOfWork]:
        with self._lock:
            working = copy.deepcopy(self._tables)
            uow = InMemoryUnitOfWork(working)
            yield uow
            if self.fail_commits > 0:
                self.fail_commits -= 1
                raise StorageError("database error: injected commit failure")
            published = []
            for event in uow.emitted:
                working.seq += 1
                published.append(attrs.evolve(event, seq=working.seq))
            self._tables = working
            if self.events is not None:
                for event in published:
                    self.events.publish(event)

    def healthy(self) -> bool:
        return True


class InMemoryAudioStore(AudioStore):
    """WAV files kept as bytes in a dict. Set ``broken`` to a reason to make writes and deletes fail
    with ``AudioStoreError`` (a disk that is full or gone)."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.broken: str | None = None
        self._lock = threading.Lock()

    def _usable(self) -> None:
        if self.broken is not None:
            raise AudioStoreError(self.broken)

    def save(self, ref: str, speech: Speech) -> StoredAudio:
        data = encode_wav(speech)
        with self._lock:
            self._usable()
            self.files[ref] = data
        return StoredAudio(ref=ref, size_bytes=len(data), duration_seconds=speech.duration_seconds)

    def exists(self, ref: str) -> bool:
        with self._lock:
            return ref in self.files

    def check(self) -> None:
        with self._lock:
            self._usable()

    def read(self, ref: str) -> bytes:
        with self._lock:
            if ref not in self.files:
                raise AudioNotFound(ref)
            return self.files[ref]

    def delete(self, ref: str) -> None:
        with self._lock:
            self._usable()
            self.files.pop(ref, None)

    def refs(self) -> Iterable[str]:
        with self._lock:
            return list(self.files)


class ManualClock(Clock):
    """A clock that moves only when told to."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> datetime:
        """Move the clock forward and return the new time."""
        with self._lock:
            self._now += timedelta(seconds=seconds)
            return self._now


@attrs.define
class FakeSynthesizer(Synthesizer):
    """Speech of a fixed number of samples per character, one chunk per sentence of each line (lines are read on
    their own); scriptable failures and pauses.

    Texts containing any string of ``fail_on`` raise :class:`SynthesisFailed`;
    ``ready=False`` raises :class:`EngineUnavailable`.
    Every call is recorded in ``calls`` as ``(text, voice)``, every chunk computed in ``chunks`` and every
    chunk iteration that ended (exhausted, failed or closed) in ``finished`` by its text.
    Like Kokoro, each chunk is computed holding ``lock``, so a test can hold the engine or see who waits for it;
    ``on_chunk`` is called with the chunk's text while the lock is held (a test can block it on an event).
    """

    sample_rate: int = 24_000
    samples_per_char: int = 100
    ready: bool = True
    fail_on: set[str] = attrs.Factory(set)
    calls: list[tuple[str, str | None]] = attrs.Factory(list)
    on_chunk: Callable[[str], None] | None = None
    chunks: list[str] = attrs.Factory(list)
    finished: list[str] = attrs.Factory(list)
    lock: FairLock = attrs.Factory(FairLock)

    def synthesize(self, text: str, *, voice: VoiceMix | None = None, speed: float | None = None) -> Speech:
        pieces = [piece.pcm for piece in self.synthesize_chunks(text, voice=voice, speed=speed)]
        return Speech(pcm=b"".join(pieces), sample_rate=self.sample_rate)

    def synthesize_chunks(
        self, text: str, *, voice: VoiceMix | None = None, speed: float | None = None, wait: float | None = None
    ) -> Iterator[Speech]:
        if not self.ready:
            raise EngineUnavailable("fake engine is not ready")
        self.calls.append((text, str(voice) if voice is not None else None))
        if any(marker in text for marker in self.fail_on):
            raise SynthesisFailed(f"fake engine refuses {text!r}")
        try:
            for line in [line.strip() for line in text.split("\n") if line.strip()] or [text]:
                yield from self._line(line, wait)
        finally:
            self.finished.append(text)

    def _line(self, line: str, wait: float | None) -> Iterator[Speech]:
        """One line read on its own, a chunk per sentence (the samples count on from the line's start)."""
        first_sample = 0
        for sentence in _SENTENCES.findall(line) or [line]:
            if not self.lock.acquire(timeout=wait):
                raise EngineBusy(f"fake engine stayed busy for {wait} s")
            try:
                if self.on_chunk is not None:
                    self.on_chunk(sentence)
                self.chunks.append(sentence)
            finally:
                self.lock.release()
            samples = range(first_sample, first_sample + len(sentence) * self.samples_per_char)
            first_sample = samples.stop
            pcm = b"".join((1000 + i % 100).to_bytes(2, "little", signed=True) for i in samples)
            yield Speech(pcm=pcm, sample_rate=self.sample_rate)

    def status(self) -> EngineStatus:
        return EngineStatus(name="fake", ready=self.ready, detail="fake engine for tests")


_SENTENCES = re.compile(r"\s*\S.*?(?:[.!?]+\s*|$)|\s+$", re.DOTALL)
"""Sentences with the spaces after them; together they are the whole text."""


@attrs.define
class RecordingEventSink(EventSink):
    """Keeps every published event in order."""

    events: list[Event] = attrs.Factory(list)

    def publish(self, event: Event) -> None:
        self.events.append(event)

    def of_type(self, kind: type[Event]) -> list[Event]:
        """The recorded events of one class."""
        return [e for e in self.events if isinstance(e, kind)]
