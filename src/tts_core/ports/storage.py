"""Storage port: messages, queue counters and server state, changed in atomic units of work."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Protocol

from tts_core.counts import QueueCounts
from tts_core.events import Event
from tts_core.model import DeletionReason, Message, MessageStatus, QueueKind
from tts_core.moderation import Mute
from tts_core.ports.voice_settings import VoiceSettings, VoiceSettingsReader
from tts_core.state import ServerState


class ReadOnlyUnitOfWork(VoiceSettingsReader, Protocol):
    """A read-only unit (``Storage.reading``): every read sees one consistent snapshot of committed data.

    It writes nothing and takes no write lock: on SQLite (WAL) it reads beside a writer, on PostgreSQL it is a
    ``REPEATABLE READ READ ONLY`` transaction. Messages returned are copies.
    """

    def seq(self) -> int:
        """The ``seq`` of the newest committed event: what a snapshot read in this unit already shows."""
        ...

    def get(self, message_id: int) -> Message | None:
        """The message with this id, whatever its status, or ``None``."""
        ...

    def next_ready(self, queue: QueueKind) -> Message | None:
        """The oldest ready message of ``queue``, or ``None``."""
        ...

    def oldest_first(self, queue: QueueKind, statuses: frozenset[MessageStatus]) -> Iterator[Message]:
        """Messages of ``queue`` in one of ``statuses``, oldest first, read lazily."""
        ...

    def find(
        self,
        *,
        queue: QueueKind | None = None,
        statuses: frozenset[MessageStatus] | None = None,
        before_id: int | None = None,
        limit: int = 100,
    ) -> list[Message]:
        """Up to ``limit`` messages matching the filters, newest first, with ids below ``before_id``."""
        ...

    def counts(self, queue: QueueKind) -> QueueCounts:
        """The counters of ``queue``: messages per status and audio bytes on disk."""
        ...

    def recount(self, queue: QueueKind) -> QueueCounts:
        """The counters of ``queue`` computed from the messages themselves (a scan: for the reconcile pass)."""
        ...

    def with_twitch_id(self, twitch_message_id: str) -> list[Message]:
        """Every message carrying this Twitch message id (normally none or one), oldest first; an indexed lookup."""
        ...

    def from_sender(
        self,
        sender: str,
        *,
        queue: QueueKind | None = None,
        statuses: frozenset[MessageStatus] | None = None,
        since: datetime | None = None,
    ) -> list[Message]:
        """The messages of one sender, oldest first, optionally only of ``queue``, in ``statuses`` and created
        at or after ``since``.

        ``sender`` is a sender key (``tts_core.moderation.sender_key``: the login in lower case, without
        ``@``) and matches ``Message.sent_by`` case-insensitively. An indexed lookup: it never reads other
        senders' messages.
        """
        ...

    def mute_of(self, user: str) -> Mute | None:
        """The stored mute of ``user`` (a sender key), whether or not it still holds, or ``None``."""
        ...

    def mutes_of(self, users: Collection[str]) -> dict[str, Mute]:
        """The stored mutes of ``users`` (sender keys) that have one, whether or not they still hold: one lookup
        for a whole batch of chat."""
        ...

    def mutes(self) -> list[Mute]:
        """Every stored mute, expired ones included, by user."""
        ...

    def deletion_remembered(self, twitch_message_id: str, now: datetime) -> bool:
        """Whether a deletion of this Twitch message is remembered and not yet forgotten at ``now``."""
        ...

    def state(self) -> ServerState:
        """The persisted server state (defaults when never saved)."""
        ...


class UnitOfWork(ReadOnlyUnitOfWork, VoiceSettings, Protocol):
    """One atomic unit: everything read and written through it commits together or not at all.

    Messages returned are copies; a change reaches storage only through :meth:`save` (or the set-based
    :meth:`soft_delete_many`). Counters (:meth:`counts`) are kept by the storage itself in the same transaction
    as each write, so they always agree with the messages and reading them costs no scan.

    :meth:`save` is a compare-and-set: it writes only if the row still has the status (and claim number) it had
    when this unit read it, and raises ``ConcurrentUpdate`` otherwise. Correctness does not rest on one writer
    at a time: two processes that read the same message cannot both move it.

    Events are announced through the unit of work (:meth:`emit`), never directly: the storage
    numbers them in commit order and publishes them once the unit has committed.
    """

    def emit(self, event: Event) -> None:
        """Announce ``event`` when this unit commits (dropped if it rolls back).

        On commit, the storage gives each emitted event the next ``seq`` (one counter for the whole
        database, increased in the same transaction) and publishes the events to its event sink, in
        ``seq`` order across every unit of work of this process.
        """
        ...

    def add(self, message: Message) -> Message:
        """Insert a new message (its ``id`` must be ``None``) and return it with its assigned id."""
        ...

    def save(self, message: Message) -> None:
        """Write back a message obtained from storage, updating the queue counters: a compare-and-set.

        The row is written only if it still has the ``status`` and ``attempts`` this copy had when this unit
        handed it out (by any read, ``add`` or an earlier ``save`` of the same copy). A copy this unit did not
        hand out is compared with the row as this unit finds it at the save (locked until the commit). Raises
        ``ConcurrentUpdate`` (a ``StorageError``) when the row changed meanwhile, in another unit or through
        another copy, so the whole unit rolls back; ``MessageNotFound`` when the id does not exist.
        """
        ...

    def soft_delete_many(
        self,
        queue: QueueKind,
        statuses: frozenset[MessageStatus],
        *,
        reason: DeletionReason,
        now: datetime,
        ids: Collection[int] | None = None,
    ) -> list[Message]:
        """Soft-delete, set-based, every message of ``queue`` whose status is in ``statuses`` (only those among
        ``ids`` when given): each becomes ``deleted`` with ``reason`` at ``now``, exactly as
        ``Message.soft_delete`` does, and the counters move once for all of them.

        ``statuses`` must be statuses ``soft_delete`` accepts (``CLEARABLE_STATUSES`` or fewer), else
        ``ValueError``. Returns the deleted messages, oldest first, as they are now (their ``audio`` kept, so the
        caller can delete the files after the commit). Messages that left ``statuses`` meanwhile are not touched.
        """
        ...

    def next_pending(self, queues: Sequence[QueueKind], now: datetime) -> Message | None:
        """The oldest claimable message of the first queue in ``queues`` that has one, or ``None``.

        Claimable (see ``Message.claimable``): pending and not in back-off at ``now``, or synthesizing
        under a lease that expired by ``now``. The row is reserved for this unit of work: a concurrent
        unit (another worker, possibly on another machine) does not get the same message.
        """
        ...

    def replace_counts(self, counts: QueueCounts) -> None:
        """Overwrite the stored counters of ``counts.queue`` (to repair drift found by :meth:`recount`)."""
        ...

    def mute(self, mute: Mute) -> None:
        """Store ``mute``, replacing any mute of the same user (a new timeout or a ban overrides the old one)."""
        ...

    def unmute(self, user: str) -> bool:
        """Lift the mute of ``user`` (a sender key); returns whether there was one (expired ones included)."""
        ...

    def forget_mutes_ended(self, now: datetime) -> int:
        """Delete the timeouts that ended by ``now`` (bans stay); returns how many."""
        ...

    def remember_deletion(self, twitch_message_id: str, until: datetime) -> None:
        """Remember that a moderator deleted this Twitch message, until ``until`` (a later call extends it)."""
        ...

    def forget_deletions(self, now: datetime) -> int:
        """Delete the remembered deletions whose time ended by ``now``; returns how many."""
        ...

    def save_state(self, state: ServerState) -> None:
        """Persist the server state."""
        ...


class Storage(Protocol):
    """Where messages live. Hands out units of work; safe to use from several threads."""

    def reading(self) -> AbstractContextManager[ReadOnlyUnitOfWork]:
        """Begin a read-only unit: one consistent snapshot of what was committed, for stats, listings and
        snapshots. It takes no write lock, so it neither waits for a writer nor makes one wait, and it writes
        nothing (it always ends in a rollback).

        Raises ``StorageError`` when the backend fails.
        """
        ...

    def unit_of_work(self) -> AbstractContextManager[UnitOfWork]:
        """Begin a unit of work. It commits when the ``with`` block ends normally and rolls back
        when the block raises. On SQLite units of work are serialized (each takes the write lock when it
        begins); on PostgreSQL they run side by side, kept correct by :meth:`UnitOfWork.save`'s compare-and-set
        and :meth:`UnitOfWork.next_pending`'s row locks.

        Raises ``StorageError`` when the backend fails; nothing is half-written then.
        """
        ...

    def healthy(self) -> bool:
        """Whether the backend answers a trivial query now."""
        ...
