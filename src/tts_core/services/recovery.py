"""Start-up recovery and the periodic reconcile pass: storage, files and counters brought back in agreement."""

from __future__ import annotations

import logging
from datetime import datetime

import attrs

from tts_core.errors import AudioStoreError
from tts_core.events import MessageFailed, MessageRequeued, QueueChanged
from tts_core.model import AUDIO_STATUSES, MessageStatus, QueueKind, audio_ref_for
from tts_core.ports import AudioStore, Clock, Storage, UnitOfWork
from tts_core.retry import RetryPolicy
from tts_core.services.announce import announce_counts
from tts_core.services.cleanup import discard_files

log = logging.getLogger(__name__)

_INTERRUPTED = frozenset({MessageStatus.SYNTHESIZING, MessageStatus.PLAYING})
_SYNTHESIZING = frozenset({MessageStatus.SYNTHESIZING})
_READY = frozenset({MessageStatus.READY})


@attrs.frozen(kw_only=True)
class RecoveryReport:
    """What start-up recovery or a reconcile pass changed."""

    requeued: int = 0
    """Messages put back: interrupted at start-up, lost leases, and ready messages whose file is gone."""
    orphan_files_removed: int = 0
    """Audio files no live message refers to."""
    failed: int = 0
    """Messages given up (too many lost leases)."""
    counters_repaired: int = 0
    """Queues whose counters had drifted from the rows."""

    @property
    def changed_anything(self) -> bool:
        """Whether the pass repaired anything (worth a log line)."""
        return bool(self.requeued or self.orphan_files_removed or self.failed or self.counters_repaired)


@attrs.define
class RecoveryService:
    """Brings storage and audio files back into agreement.

    :meth:`recover` runs once at start-up, before the process's worker takes messages. :meth:`reconcile` is
    safe at any time beside running workers: it takes back only expired leases, and spares the file a live
    claim is writing.
    """

    storage: Storage
    audio_store: AudioStore
    clock: Clock
    retry: RetryPolicy = attrs.field(factory=RetryPolicy)
    sole_process: bool = True
    """Whether this is the only process on the storage (one ``serve`` on SQLite). Then whatever was synthesizing
    or playing at start-up was interrupted by this process's own end. With other processes it may be a live
    worker's claim or the playback owner's message: start-up recovery then only reconciles."""

    def recover(self) -> RecoveryReport:
        """Sole process: requeue interrupted messages (synthesizing → pending, playing → ready), then reconcile.
        Among several processes: only reconcile (expired leases taken back; playing messages are the playback
        owner's, which ends them by its timeouts)."""
        if not self.sole_process:
            return self.reconcile()
        requeued = 0
        with self.storage.unit_of_work() as uow:
            for queue in QueueKind:
                for message in list(uow.oldest_first(queue, _INTERRUPTED)):
                    if message.recover_after_crash():
                        uow.save(message)
                        requeued += 1
        report = self.reconcile()
        return attrs.evolve(report, requeued=report.requeued + requeued)

    def reconcile(self) -> RecoveryReport:
        """One pass: lost leases taken back, missing files re-synthesized, orphan files deleted, counters
        recounted. Files are listed before the rows are read, so a file written by a claim that commits
        meanwhile is never taken for an orphan."""
        try:
            listed: set[str] | None = set(self.audio_store.refs())
        except AudioStoreError as error:
            log.warning("reconcile: the audio files cannot be listed now: %s", error)
            listed = None
        now = self.clock.now()
        with self.storage.unit_of_work() as uow:
            requeued, failed = self._take_back_lost_leases(uow, now)
            live = self._live_refs(uow, now)
            requeued += self._requeue_missing_audio(uow, listed)
            repaired = self._repair_counters(uow)
        orphans = sorted(listed - live) if listed is not None else []
        left = discard_files(self.audio_store, orphans)
        report = RecoveryReport(
            requeued=requeued, orphan_files_removed=len(orphans) - left, failed=failed, counters_repaired=repaired
        )
        if report.changed_anything:
            log.info("reconcile: %s", report)
        return report

    def _take_back_lost_leases(self, uow: UnitOfWork, now: datetime) -> tuple[int, int]:
        requeued = failed = 0
        for queue in QueueKind:
            for message in list(uow.oldest_first(queue, _SYNTHESIZING)):
                if not message.lease_expired(now):
                    continue
                log.warning("message %s: the lease of attempt %s expired; taking it back", message.id, message.attempts)
                if message.take_back(max_failures=self.retry.max_failures):
                    uow.save(message)
                    uow.emit(MessageFailed(message=message))
                    failed += 1
                else:
                    message.release(retry_at=now + self.retry.backoff(message.failures), counted=False)
                    uow.save(message)
                    requeued += 1
                announce_counts(uow, message.queue)
        return requeued, failed

    def _live_refs(self, uow: UnitOfWork, now: datetime) -> set[str]:
        live: set[str] = set()
        for queue in QueueKind:
            for message in uow.oldest_first(queue, AUDIO_STATUSES | _SYNTHESIZING):
                if message.status in AUDIO_STATUSES and message.audio is not None:
                    live.add(message.audio.ref)
                elif message.id is not None and not message.lease_expired(now):
                    live.add(audio_ref_for(message.id, message.attempts))  # being written by a live claim
        return live

    def _requeue_missing_audio(self, uow: UnitOfWork, listed: set[str] | None) -> int:
        if listed is None:
            return 0
        requeued = 0
        for queue in QueueKind:
            for message in list(uow.oldest_first(queue, _READY)):
                ref = message.audio.ref if message.audio is not None else None
                if ref is not None and (ref in listed or self.audio_store.exists(ref)):
                    continue
                log.warning("message %s: its audio file is gone; it will be spoken again", message.id)
                message.audio_lost()
                uow.save(message)
                uow.emit(MessageRequeued(message=message))
                announce_counts(uow, message.queue)
                requeued += 1
        return requeued

    def _repair_counters(self, uow: UnitOfWork) -> int:
        repaired = 0
        for queue in QueueKind:
            kept, actual = uow.counts(queue), uow.recount(queue)
            if kept.agrees_with(actual):
                continue
            log.warning("queue %s: counters had drifted (%s); set to the recount (%s)", queue, kept, actual)
            uow.replace_counts(actual)
            uow.emit(QueueChanged(counts=actual, active_queue=uow.state().active_queue))
            repaired += 1
        return repaired
