"""Moderation: deleted Twitch messages, timeouts and bans, moderators' chat commands, and expiry of old mentions."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import attrs

from tts_core.chat_commands import ChatCommand, ClearCommand, MuteCommand, SkipCommand, UnmuteCommand
from tts_core.errors import InvalidInput, MessageNotFound
from tts_core.events import MessagesRemoved, UserMuted, UserUnmuted
from tts_core.model import UNPLAYED_STATUSES, DeletionReason, Message, MessageStatus, QueueKind
from tts_core.moderation import EARLY_DELETION_MEMORY, Mute, checked_twitch_id, checked_user, mute_for
from tts_core.ports import AudioStore, Clock, Storage, UnitOfWork
from tts_core.services.announce import announce_counts
from tts_core.services.autoplay import AutoplayService
from tts_core.services.cleanup import discard_files
from tts_core.services.expiry import expire_waiting
from tts_core.services.queues import QueueService


@attrs.frozen(kw_only=True)
class PurgeResult:
    """What a timeout or ban did: the sender's removed messages and the mute now in force."""

    user: str
    removed: tuple[int, ...]
    mute: Mute


@attrs.define
class ModerationService:
    """What moderators do to the queues: remove a Twitch message, time out or ban a sender, lift a mute.

    Removed messages are soft-deleted with reason ``moderated`` and their files deleted; a playing one ends at
    once (``messages_removed`` names it in ``playing_ids``, so players stop it and the autoplay loop goes on
    after its cooldown).
    """

    storage: Storage
    audio_store: AudioStore
    clock: Clock
    autoplay: AutoplayService
    queues: QueueService
    max_age_seconds: float = 0.0
    """``TTS_MAX_AGE``: mentions waiting longer are expired by :meth:`expire_overdue` (0: never)."""

    def delete_message(self, *, twitch_message_id: str | None = None, message_id: int | None = None) -> tuple[int, ...]:
        """Remove one chat message, named by its Twitch id or by our id; returns the ids removed (none when it
        was already gone or played). Idempotent.

        A Twitch id's deletion is also remembered for :data:`EARLY_DELETION_MEMORY`, so a message that arrives
        after it (or is sent again) is not queued. Raises :class:`InvalidInput` unless exactly one of the two
        is given, and :class:`MessageNotFound` for an unknown ``message_id``.
        """
        if (twitch_message_id is None) == (message_id is None):
            raise InvalidInput("twitch_message_id", "give exactly one of twitch_message_id and id (our message id)")
        key = checked_twitch_id(twitch_message_id) if twitch_message_id is not None else None
        now = self.clock.now()
        with self.autoplay.holding():
            with self.storage.unit_of_work() as uow:
                if key is not None:
                    uow.remember_deletion(key, now + EARLY_DELETION_MEMORY)
                    named = uow.with_twitch_id(key)
                else:
                    assert message_id is not None
                    found = uow.get(message_id)
                    if found is None:
                        raise MessageNotFound(message_id)
                    named = [found]
                removed, stopped = _remove(uow, [m for m in named if m.status in UNPLAYED_STATUSES], now)
            self._ended(stopped, now)
        self._discard(removed)
        return _ids(removed)

    def purge_user(self, user: str, duration_seconds: int | None) -> PurgeResult:
        """Time ``user`` out for ``duration_seconds`` (``None``: ban) and remove their not-yet-played messages."""
        key = checked_user(user)
        now = self.clock.now()
        mute = mute_for(key, now=now, duration_seconds=duration_seconds)
        with self.autoplay.holding():
            with self.storage.unit_of_work() as uow:
                uow.mute(mute)
                uow.emit(UserMuted(mute=mute))
                removed, stopped = _remove(uow, uow.from_sender(key, statuses=UNPLAYED_STATUSES), now)
            self._ended(stopped, now)
        self._discard(removed)
        return PurgeResult(user=key, removed=_ids(removed), mute=mute)

    def clear_chat(self) -> tuple[int, ...]:
        """A moderator cleared the whole chat: remove every not-yet-played mention (a playing one stops).

        Bits stay: they were paid for. Returns the removed ids.
        """
        now = self.clock.now()
        with self.autoplay.holding():
            with self.storage.unit_of_work() as uow:
                doomed = list(uow.oldest_first(QueueKind.MENTIONS, UNPLAYED_STATUSES))
                removed, stopped = _remove(uow, doomed, now)
            self._ended(stopped, now)
        self._discard(removed)
        return _ids(removed)

    def unmute_user(self, user: str) -> bool:
        """Lift the mute of ``user``; returns whether one was in force. Idempotent."""
        key = checked_user(user)
        now = self.clock.now()
        with self.storage.unit_of_work() as uow:
            known = uow.mute_of(key)
            if known is None:
                return False
            uow.unmute(key)
            uow.emit(UserUnmuted(user=key))
            return known.active(now)

    def muted(self) -> list[Mute]:
        """The mutes in force now, by user."""
        now = self.clock.now()
        with self.storage.reading() as uow:
            return [mute for mute in uow.mutes() if mute.active(now)]

    def expire_overdue(self) -> tuple[int, ...]:
        """Soft-delete (``expired``) the mentions that waited longer than ``max_age_seconds``; returns their ids."""
        if self.max_age_seconds <= 0:
            return ()
        now = self.clock.now()
        with self.storage.unit_of_work() as uow:
            expired = expire_waiting(uow, now=now, max_age_seconds=self.max_age_seconds)
        self._discard(expired)
        return _ids(expired)

    def forget_ended(self) -> int:
        """Delete ended timeouts and remembered deletions past their time; returns how many."""
        now = self.clock.now()
        with self.storage.unit_of_work() as uow:
            return uow.forget_mutes_ended(now) + uow.forget_deletions(now)

    def run_chat_command(self, command: ChatCommand) -> str:
        """Carry out a moderator's ``!tts`` command like its button; returns what it did, in a sentence."""
        match command:
            case SkipCommand():
                skipped = self.autoplay.skip()
                return f"skipped message {skipped[-1].id}" if skipped else "nothing was playing"
            case ClearCommand():
                cleared = self.queues.clear_active()
                return f"cleared {len(cleared.message_ids)} messages from the {cleared.queue} queue"
            case MuteCommand(user=user, minutes=minutes):
                purged = self.purge_user(user, minutes * 60)
                return f"muted a sender for {minutes} min; removed {len(purged.removed)} messages"
            case UnmuteCommand(user=user):
                return "unmuted a sender" if self.unmute_user(user) else "the sender was not muted"
        raise AssertionError(f"unhandled command {command!r}")  # pragma: no cover

    def _ended(self, stopped: bool, now: datetime) -> None:
        # called holding the loop's lock from before the commit: the loop cannot start the next message
        # in between without this cooldown
        if stopped:
            self.autoplay.ended_at(now)

    def _discard(self, removed: Iterable[Message]) -> None:
        discard_files(self.audio_store, [m.audio.ref for m in removed if m.audio is not None])


def _remove(uow: UnitOfWork, doomed: list[Message], now: datetime) -> tuple[list[Message], bool]:
    """Remove ``doomed`` as a moderator's decision and announce it, one ``messages_removed`` per queue.

    Returns the removed messages and whether one of them was playing.
    """
    removed: list[Message] = []
    stopped = False
    for queue in QueueKind:
        mine = [m for m in doomed if m.queue is queue]
        playing = tuple(m.id for m in mine if m.id is not None and m.status is MessageStatus.PLAYING)
        stopped = stopped or bool(playing)
        for message in mine:
            message.remove_by_moderator(now)
            uow.save(message)
        removed.extend(mine)
        if mine:
            reason = DeletionReason.MODERATED
            uow.emit(MessagesRemoved(queue=queue, message_ids=_ids(mine), reason=reason, playing_ids=playing))
            announce_counts(uow, queue)
    return removed, stopped


def _ids(messages: Iterable[Message]) -> tuple[int, ...]:
    return tuple(m.id for m in messages if m.id is not None)
