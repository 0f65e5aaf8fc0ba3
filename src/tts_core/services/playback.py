"""Playback: the next ready message starts playing, a played message lets its file go."""

from __future__ import annotations

import attrs

from tts_core.errors import MessageNotFound
from tts_core.events import AutoplayChanged, PlaybackFinished, PlaybackStarted, QueueChanged
from tts_core.model import Message
from tts_core.ports import AudioStore, Clock, EventSink, Storage


@attrs.define
class PlaybackService:
    """Moves messages through ready → playing → played and keeps the autoplay toggle."""

    storage: Storage
    audio_store: AudioStore
    clock: Clock
    events: EventSink

    def play_next(self) -> Message | None:
        """Mark the oldest ready message of the active queue as playing and return it (``None``: none ready)."""
        with self.storage.unit_of_work() as uow:
            queue = uow.state().active_queue
            message = uow.next_ready(queue)
            if message is None:
                return None
            message.start_playing(self.clock.now())
            uow.save(message)
            counts = uow.counts(queue)
        self.events.publish(PlaybackStarted(message=message))
        self.events.publish(QueueChanged(counts=counts, active_queue=queue))
        return message

    def mark_played(self, message_id: int) -> Message:
        """Mark a playing message played and delete its file; the row stays.

        Raises :class:`MessageNotFound` for an unknown id and ``InvalidTransition`` when the
        message is not playing.
        """
        with self.storage.unit_of_work() as uow:
            message = uow.get(message_id)
            if message is None:
                raise MessageNotFound(message_id)
            message.finish_playing(self.clock.now())
            uow.save(message)
            counts, active = uow.counts(message.queue), uow.state().active_queue
        if message.audio is not None:
            self.audio_store.delete(message.audio.ref)
        self.events.publish(PlaybackFinished(message=message))
        self.events.publish(QueueChanged(counts=counts, active_queue=active))
        return message

    def set_autoplay(self, enabled: bool) -> bool:
        """Turn the autoplay toggle on or off (persisted). Turning it on does not start playing."""
        with self.storage.unit_of_work() as uow:
            state = uow.state()
            changed = state.autoplay != enabled
            if changed:
                uow.save_state(attrs.evolve(state, autoplay=enabled))
        if changed:
            self.events.publish(AutoplayChanged(autoplay=enabled))
        return enabled
