"""Synthesis: pending messages become audio files under a lease, within the mentions audio budget."""

from __future__ import annotations

import logging
from datetime import datetime

import attrs

from tts_core.errors import (
    AudioStoreError,
    ConcurrentUpdate,
    EngineUnavailable,
    InvalidVoiceMix,
    StorageError,
    SynthesisFailed,
)
from tts_core.events import MessageFailed, MessageReady, MessagesRemoved
from tts_core.eviction import EvictionCandidate, plan_eviction
from tts_core.model import DeletionReason, Message, MessageStatus, QueueKind, audio_ref_for
from tts_core.ports import AudioStore, Clock, SpeechFinisher, Storage, Synthesizer, UnitOfWork
from tts_core.retry import RetryPolicy
from tts_core.services.announce import announce_counts
from tts_core.services.cleanup import discard_files
from tts_core.speech import Speech
from tts_core.voice_mix import parse_voice_mix

log = logging.getLogger(__name__)

_READY = frozenset({MessageStatus.READY})


@attrs.define
class SynthesisService:
    """Claims the next message (active queue first, oldest first) under a lease and makes its audio.

    Every claim ends: with audio (ready), back to pending (with a back-off when the failure was the
    message's own or the disk's), or in ``error`` with the reason once ``retry.max_failures`` is reached.
    A worker that dies or hangs loses its lease; the message is then claimed again.
    """

    storage: Storage
    synthesizer: Synthesizer
    audio_store: AudioStore
    clock: Clock
    mentions_budget_bytes: int
    retry: RetryPolicy = attrs.field(factory=RetryPolicy)
    finisher: SpeechFinisher | None = None
    """Trims and levels the speech before it is stored (``None``: stored as the engine made it)."""

    def synthesize_next(self) -> bool:
        """Process one claimable message. Returns whether there was one to process.

        Raises :class:`EngineUnavailable` or :class:`AudioStoreError` (after putting the message back to
        pending) when the engine or the disk cannot be used, so the caller can wait instead of spinning;
        :class:`StorageError` when the database fails (the lease then frees the message).
        """
        message = self._claim()
        if message is None:
            return False
        try:
            speech = self._speak(message)
        except EngineUnavailable:
            self._release(message, counted=False, retry_at=None)
            raise
        except (SynthesisFailed, InvalidVoiceMix) as error:
            self._fail(message, str(error))
            return True
        except Exception as error:  # an engine bug must not stop the worker: count it against the message
            log.exception("engine failed on message %s", message.id)
            self._retry_or_fail(message, f"engine error: {type(error).__name__}: {error}")
            return True
        self._store(message, speech)
        return True

    def _claim(self) -> Message | None:
        now = self.clock.now()
        while True:
            try:
                with self.storage.unit_of_work() as uow:
                    active = uow.state().active_queue
                    message = uow.next_pending([active, active.other], now)
                    if message is None:
                        return None
                    if message.lease_expired(now):
                        log.warning(
                            "message %s: lease of attempt %s expired; taking it back", message.id, message.attempts
                        )
                        if message.take_back(max_failures=self.retry.max_failures):
                            _save_and_announce(uow, message, MessageFailed(message=message))
                            continue
                    message.start_synthesis(now, self.retry.lease)
                    uow.save(message)
                    announce_counts(uow, message.queue)  # clients show it as synthesizing
                    return message
            except ConcurrentUpdate as lost:
                # another worker or a clear changed it since it was read: nothing was written, look again
                log.info("message %s changed while being claimed; claiming the next one", lost.message_id)

    def _speak(self, message: Message) -> Speech:
        voice = parse_voice_mix(message.voice) if message.voice else None
        speech = self.synthesizer.synthesize(message.engine_text or message.spoken_text, voice=voice)
        if speech.is_silent:
            raise SynthesisFailed("the text yields no speech (nothing readable in it)")
        return self.finisher.finish(speech) if self.finisher is not None else speech

    def _current(self, uow: UnitOfWork, claimed: Message) -> Message | None:
        """The message if this claim still holds it (not cleared, not taken over after a lost lease)."""
        message = uow.get(claimed.id or 0)
        if message is None or message.status is not MessageStatus.SYNTHESIZING:
            return None
        return message if message.attempts == claimed.attempts else None

    def _release(self, claimed: Message, *, counted: bool, retry_at: datetime | None) -> None:
        try:
            with self.storage.unit_of_work() as uow:
                message = self._current(uow, claimed)
                if message is not None:
                    message.release(retry_at=retry_at, counted=counted)
                    uow.save(message)
                    announce_counts(uow, message.queue)
        except ConcurrentUpdate:
            log.info("message %s changed meanwhile (cleared or taken over): nothing to release", claimed.id)
        except StorageError:
            log.warning("message %s stays claimed until its lease ends: the database failed", claimed.id)

    def _retry_or_fail(self, claimed: Message, reason: str) -> None:
        if claimed.failures + 1 >= self.retry.max_failures:
            self._fail(claimed, f"{reason} (gave up after {claimed.failures + 1} attempts)")
            return
        retry_at = self.clock.now() + self.retry.backoff(claimed.failures + 1)
        self._release(claimed, counted=True, retry_at=retry_at)

    def _fail(self, claimed: Message, reason: str) -> None:
        try:
            with self.storage.unit_of_work() as uow:
                message = self._current(uow, claimed)
                if message is None:
                    return
                message.fail(reason)
                _save_and_announce(uow, message, MessageFailed(message=message))
        except ConcurrentUpdate:
            log.info("message %s changed meanwhile (cleared or taken over): its failure is moot", claimed.id)

    def _store(self, claimed: Message, speech: Speech) -> None:
        assert claimed.id is not None
        try:
            stored = self.audio_store.save(audio_ref_for(claimed.id, claimed.attempts), speech)
        except AudioStoreError:
            self._release(claimed, counted=False, retry_at=self.clock.now() + self.retry.backoff(1))
            raise
        now = self.clock.now()
        evicted: list[Message] = []
        try:
            with self.storage.unit_of_work() as uow:
                message = self._current(uow, claimed)
                if message is None:
                    # cleared while it was spoken, or taken over after a lost lease: this audio has no place
                    discard_files(self.audio_store, [stored.ref])
                    return
                message.mark_ready(stored, now)
                uow.save(message)
                if message.queue is QueueKind.MENTIONS:
                    evicted = self._evict(uow, now)
                if message.id not in {m.id for m in evicted}:
                    uow.emit(MessageReady(message=message))
                if evicted:
                    ids = tuple(m.id for m in evicted if m.id is not None)
                    uow.emit(MessagesRemoved(queue=QueueKind.MENTIONS, message_ids=ids, reason=DeletionReason.EVICTED))
                announce_counts(uow, message.queue)
        except ConcurrentUpdate:
            # cleared or taken over between the check and the save (another process): like a clear seen in time,
            # the audio has no place, and it is no failure of the engine or of the message
            log.info("message %s changed while its audio was stored; the audio is dropped", claimed.id)
            discard_files(self.audio_store, [stored.ref])
            return
        except StorageError:
            discard_files(self.audio_store, [stored.ref])
            self._release(claimed, counted=True, retry_at=self.clock.now() + self.retry.backoff(1))
            raise
        discard_files(self.audio_store, [m.audio.ref for m in evicted if m.audio is not None])

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
        if not doomed:
            return []
        return uow.soft_delete_many(QueueKind.MENTIONS, _READY, reason=DeletionReason.EVICTED, now=now, ids=doomed)


def _save_and_announce(uow: UnitOfWork, message: Message, event: MessageFailed) -> None:
    uow.save(message)
    uow.emit(event)
    announce_counts(uow, message.queue)
