"""Playback: the next ready message starts playing, a played or stopped message lets its file go."""

from __future__ import annotations

import itertools

import attrs

from tts_core.errors import MessageNotFound
from tts_core.events import (
    AutoplayChanged,
    Event,
    PlaybackFailed,
    PlaybackFinished,
    PlaybackStarted,
    PlaybackStopped,
)
from tts_core.model import WAITING_STATUSES, Message, MessageStatus, QueueKind
from tts_core.ports import AudioStore, Clock, Storage
from tts_core.services.announce import announce, announce_counts
from tts_core.services.cleanup import discard_files
from tts_core.services.expiry import expire_waiting

_PLAYING = frozenset({MessageStatus.PLAYING})
_SETTLED = frozenset({MessageStatus.READY, MessageStatus.PLAYED, MessageStatus.DELETED})
"""Where a message a client failed to play may already be: someone else reported first."""


@attrs.frozen(kw_only=True)
class PlaybackSituation:
    """What playback decisions look at, read in one unit of work."""

    active_queue: QueueKind
    ready: int
    """Ready messages in the active queue."""
    playing: tuple[Message, ...]
    """Messages playing now, in any queue (normally none or one), oldest first."""
    autoplay: bool
    """The persisted autoplay toggle."""


@attrs.define
class PlaybackService:
    """Moves messages through ready → playing → played and keeps the autoplay toggle."""

    storage: Storage
    audio_store: AudioStore
    clock: Clock
    max_age_seconds: float = 0.0
    """``TTS_MAX_AGE``: a mention that waited longer is expired here rather than played (0: never)."""

    def play_next(self) -> Message | None:
        """Mark the oldest ready message of the active queue as playing and return it (``None``: none ready).

        Mentions that waited longer than ``max_age_seconds`` are expired first, so none is ever played late,
        whenever the periodic expiry last ran.
        """
        now = self.clock.now()
        expired: list[Message] = []
        with self.storage.unit_of_work() as uow:
            queue = uow.state().active_queue
            if queue is QueueKind.MENTIONS and self.max_age_seconds > 0:
                expired = expire_waiting(uow, now=now, max_age_seconds=self.max_age_seconds)
            message = uow.next_ready(queue)
            if message is not None:
                message.start_playing(now)
                uow.save(message)
                uow.emit(PlaybackStarted(message=message))
                announce_counts(uow, queue)
        discard_files(self.audio_store, [m.audio.ref for m in expired if m.audio is not None])
        return message

    def mark_played(self, message_id: int) -> Message:
        """Mark a playing message played and delete its file; the row stays.

        Reporting a message that is already played again changes nothing and returns it: the panel
        and an OBS player may both report the same end, or the end may come after the timeout did.
        Raises :class:`MessageNotFound` for an unknown id and ``InvalidTransition`` when the
        message is in any other status.
        """
        with self.storage.unit_of_work() as uow:
            message = uow.get(message_id)
            if message is None:
                raise MessageNotFound(message_id)
            if message.status is MessageStatus.PLAYED:
                return message
            message.finish_playing(self.clock.now())
            uow.save(message)
            uow.emit(PlaybackFinished(message=message))
            announce_counts(uow, message.queue)
        if message.audio is not None:
            discard_files(self.audio_store, [message.audio.ref])
        return message

    def playback_failed(self, message_id: int, reason: str) -> tuple[Message, bool]:
        """A client could not play a playing message: it becomes ready again, keeping its audio and its place.

        Returns the message and whether it changed: one already ready, played or deleted (another client
        reported first, or Stop came first) is returned as it is. Raises :class:`MessageNotFound` for an unknown
        id and ``InvalidTransition`` for a message that is pending, synthesizing or failed.
        """
        with self.storage.unit_of_work() as uow:
            message = uow.get(message_id)
            if message is None:
                raise MessageNotFound(message_id)
            if message.status in _SETTLED:
                return message, False
            message.playback_failed()
            uow.save(message)
            uow.emit(PlaybackFailed(message=message, reason=reason))
            announce_counts(uow, message.queue)
        return message, True

    def stop(self) -> tuple[Message, ...]:
        """Cut off whatever is playing: each playing message counts as played and its file goes.

        Publishes ``played`` for each, then one ``stopped`` (naming the newest, or none when nothing
        played). Returns the messages stopped.
        """
        now = self.clock.now()
        with self.storage.unit_of_work() as uow:
            stopped = [m for queue in QueueKind for m in uow.oldest_first(queue, _PLAYING)]
            for message in stopped:
                message.finish_playing(now)
                uow.save(message)
                uow.emit(PlaybackFinished(message=message))
            newest = max((m.id for m in stopped if m.id is not None), default=None)
            uow.emit(PlaybackStopped(message_id=newest))
            for queue in sorted({m.queue for m in stopped}):
                announce_counts(uow, queue)
        discard_files(self.audio_store, [m.audio.ref for m in stopped if m.audio is not None])
        return tuple(stopped)

    def skip(self) -> tuple[Message, ...]:
        """End whatever is playing now: each playing message becomes played, marked ``skipped``, and its file goes.

        Publishes ``played`` for each (players stop it); unlike :meth:`stop` no ``stopped``: the autoplay loop
        goes on. Returns the messages skipped (none when nothing played).
        """
        now = self.clock.now()
        with self.storage.unit_of_work() as uow:
            skipped = [m for queue in QueueKind for m in uow.oldest_first(queue, _PLAYING)]
            for message in skipped:
                message.skip(now)
                uow.save(message)
                uow.emit(PlaybackFinished(message=message))
            for queue in sorted({m.queue for m in skipped}):
                announce_counts(uow, queue)
        discard_files(self.audio_store, [m.audio.ref for m in skipped if m.audio is not None])
        return tuple(skipped)

    def announce(self, event: Event) -> None:
        """Publish an event of runtime state (the autoplay loop) in commit order with every other event."""
        announce(self.storage, event)

    def situation(self) -> PlaybackSituation:
        """The active queue, its ready count, what is playing and the toggle; reads counters, not rows,
        except for the playing messages themselves."""
        with self.storage.unit_of_work() as uow:
            state = uow.state()
            playing = tuple(
                message
                for queue in QueueKind
                if uow.counts(queue)[MessageStatus.PLAYING]
                for message in uow.oldest_first(queue, _PLAYING)
            )
            return PlaybackSituation(
                active_queue=state.active_queue,
                ready=uow.counts(state.active_queue)[MessageStatus.READY],
                playing=playing,
                autoplay=state.autoplay,
            )

    def lineup(self, limit: int = 100) -> list[Message]:
        """The active queue's playing and waiting messages, oldest first: what plays next, in order."""
        with self.storage.reading() as uow:
            queue = uow.state().active_queue
            return list(itertools.islice(uow.oldest_first(queue, WAITING_STATUSES | _PLAYING), limit))

    def set_autoplay(self, enabled: bool) -> bool:
        """Turn the autoplay toggle on or off (persisted). Turning it on does not start playing."""
        with self.storage.unit_of_work() as uow:
            state = uow.state()
            changed = state.autoplay != enabled
            if changed:
                uow.save_state(attrs.evolve(state, autoplay=enabled))
                uow.emit(AutoplayChanged(autoplay=enabled))
        return enabled
