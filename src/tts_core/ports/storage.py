"""Storage port: messages, queue counters and server state, changed in atomic units of work."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Protocol

from tts_core.counts import QueueCounts
from tts_core.events import Event
from tts_core.model import Message, MessageStatus, QueueKind
from tts_core.moderation import Mute
from tts_core.ports.voice_settings import VoiceSettings
from tts_core.state import ServerState


class UnitOfWork(VoiceSettings, Protocol):
    """One atomic unit: everything read and written through it commits together or not at all.

    Messages returned are copies; a change reaches storage only through :meth:`save`.
    Counters (:meth:`counts`) are kept by the storage itself in the same transaction as each
    :meth:`add` and :meth:`save`, so they always agree with the messages and reading them costs
    no scan.

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

    def seq(self) -> int:
        """The ``seq`` of the newest committed event: what a snapshot read in this unit already shows."""
        ...

    def add(self, message: Message) -> Message:
        """Insert a new message (its ``id`` must be ``None``) and return it with its assigned id."""
        ...

    def get(self, message_id: int) -> Message | None:
        """The message with this id, whatever its status, or ``None``."""
        ...

    def save(self, message: Message) -> None:
        """Write back a message obtained from this unit of work, updating the queue counters.

        Raises ``MessageNotFound`` when the id does not exist.
        """
        ...

    def next_pending(self, queues: Sequence[QueueKind], now: datetime) -> Message | None:
        """The oldest claimable message of the first queue in ``queues`` that has one, or ``None``.

        Claimable (see ``Message.claimable``): pending and not in back-off at ``now``, or synthesizing
        under a lease that expired by ``now``. The row is reserved for this unit of work: a concurrent
        unit (another worker, possibly on another machine) does not get the same message.
        """
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

    def replace_counts(self, counts: QueueCounts) -> None:
        """Overwrite the stored counters of ``counts.queue`` (to repair drift found by :meth:`recount`)."""
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

    def mute(self, mute: Mute) -> None:
        """Store ``mute``, replacing any mute of the same user (a new timeout or a ban overrides the old one)."""
        ...

    def unmute(self, user: str) -> bool:
        """Lift the mute of ``user`` (a sender key); returns whether there was one (expired ones included)."""
        ...

    def mute_of(self, user: str) -> Mute | None:
        """The stored mute of ``user`` (a sender key), whether or not it still holds, or ``None``."""
        ...

    def mutes(self) -> list[Mute]:
        """Every stored mute, expired ones included, by user."""
        ...

    def forget_mutes_ended(self, now: datetime) -> int:
        """Delete the timeouts that ended by ``now`` (bans stay); returns how many."""
        ...

    def remember_deletion(self, twitch_message_id: str, until: datetime) -> None:
        """Remember that a moderator deleted this Twitch message, until ``until`` (a later call extends it)."""
        ...

    def deletion_remembered(self, twitch_message_id: str, now: datetime) -> bool:
        """Whether a deletion of this Twitch message is remembered and not yet forgotten at ``now``."""
        ...

    def forget_deletions(self, now: datetime) -> int:
        """Delete the remembered deletions whose time ended by ``now``; returns how many."""
        ...

    def state(self) -> ServerState:
        """The persisted server state (defaults when never saved)."""
        ...

    def save_state(self, state: ServerState) -> None:
        """Persist the server state."""
        ...


class Storage(Protocol):
    """Where messages live. Hands out units of work; safe to use from several threads."""

    def unit_of_work(self) -> AbstractContextManager[UnitOfWork]:
        """Begin a unit of work. It commits when the ``with`` block ends normally and rolls back
        when the block raises. Units of work that write are serialized against each other.

        Raises ``StorageError`` when the backend fails; nothing is half-written then.
        """
        ...

    def healthy(self) -> bool:
        """Whether the backend answers a trivial query now."""
        ...
