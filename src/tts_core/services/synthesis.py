"""Synthesis: pending messages become audio files, within the mentions audio budget."""

from __future__ import annotations

import logging
from datetime import datetime

import attrs

from tts_core.errors import EngineUnavailable, InvalidVoiceMix, SynthesisFailed
from tts_core.events import MessageFailed, MessageReady, MessagesRemoved, QueueChanged
from tts_core.eviction import EvictionCandidate, plan_eviction
from tts_core.model import DeletionReason, Message, MessageStatus, QueueKind
from tts_core.ports import AudioStore, Clock, EventSink, Storage, Synthesizer, UnitOfWork
from tts_core.speech import Speech
from tts_core.voice_mix import parse_voice_mix

log = logging.getLogger(__name__)

_READY = frozenset({MessageStatus.READY})


@attrs.define
class SynthesisService:
    """Takes the next pending message (active queue first, oldest first) and makes its audio."""

    storage: Storage
    synthesizer: Synthesizer
    audio_store: AudioStore
    clock: Clock
    events: EventSink
    mentions_budget_bytes: int

    def synthesize_next(self) -> bool:
        """Process one pending message. Returns whether there was one to process.

        Raises :class:`EngineUnavailable` (after putting the message back to pending) when the
        engine is not ready, so the caller can wait instead of spinning.
        """
        with self.storage.unit_of_work() as uow:
            active = uow.state().active_queue
            message = uow.next_pending([active, active.other])
            if message is None:
                return False
            message.start_synthesis()
            uow.save(message)
        assert message.id is not None
        try:
            speech = self._speak(message)
        except EngineUnavailable:
            self._requeue(message.id)
            raise
        except (SynthesisFailed, InvalidVoiceMix) as error:
            self._fail(message.id, str(error))
            return True
        except Exception as error:  # an engine bug must not stop the worker: record it on the message
            log.exception("engine failed on message %s", message.id)
            self._fail(message.id, f"engine error: {type(error).__name__}: {error}")
            return True
        self._store(message.id, speech)
        return True

    def _speak(self, message: Message) -> Speech:
        voice = parse_voice_mix(message.voice) if message.voice else None
        speech = self.synthesizer.synthesize(message.spoken_text, voice=voice)
        if speech.is_silent:
            raise SynthesisFailed("the text yields no speech (nothing readable in it)")
        return speech

    def _requeue(self, message_id: int) -> None:
        with self.storage.unit_of_work() as uow:
            message = uow.get(message_id)
            if message is not None and message.recover_after_crash():
                uow.save(message)

    def _fail(self, message_id: int, reason: str) -> None:
        with self.storage.unit_of_work() as uow:
            message = uow.get(message_id)
            if message is None or message.status is not MessageStatus.SYNTHESIZING:
                return
            message.fail(reason)
            uow.save(message)
            counts, active = uow.counts(message.queue), uow.state().active_queue
        self.events.publish(MessageFailed(message=message))
        self.events.publish(QueueChanged(counts=counts, active_queue=active))

    def _store(self, message_id: int, speech: Speech) -> None:
        stored = self.audio_store.save(message_id, speech)
        now = self.clock.now()
        evicted: list[Message] = []
        with self.storage.unit_of_work() as uow:
            message = uow.get(message_id)
            if message is None or message.status is not MessageStatus.SYNTHESIZING:
                # cleared while it was being spoken: its audio has no place any more
                self.audio_store.delete(stored.ref)
                return
            message.mark_ready(stored, now)
            uow.save(message)
            if message.queue is QueueKind.MENTIONS:
                evicted = self._evict(uow, now)
            counts, active = uow.counts(message.queue), uow.state().active_queue
        for gone in evicted:
            if gone.audio is not None:
                self.audio_store.delete(gone.audio.ref)
        self.events.publish(MessageReady(message=message))
        if evicted:
            ids = tuple(m.id for m in evicted if m.id is not None)
            self.events.publish(
                MessagesRemoved(queue=QueueKind.MENTIONS, message_ids=ids, reason=DeletionReason.EVICTED)
            )
        self.events.publish(QueueChanged(counts=counts, active_queue=active))

    def _evict(self, uow: UnitOfWork, now: datetime) -> list[Message]:
        counts = uow.counts(QueueKind.MENTIONS)
        candidates = (
            EvictionCandidate(message_id=m.id, size_bytes=m.audio_bytes)
            for m in uow.oldest_first(QueueKind.MENTIONS, _READY)
            if m.id is not None
        )
        doomed = plan_eviction(
            candidates_oldest_first=candidates, total_bytes=counts.audio_bytes, budget_bytes=self.mentions_budget_bytes
        )
        evicted = []
        for message_id in doomed:
            victim = uow.get(message_id)
            if victim is None:
                continue
            victim.soft_delete(DeletionReason.EVICTED, now)
            uow.save(victim)
            evicted.append(victim)
        return evicted
