"""Start-up recovery: undo what a crash interrupted and remove files nothing refers to."""

from __future__ import annotations

import attrs

from tts_core.model import AUDIO_STATUSES, MessageStatus, QueueKind
from tts_core.ports import AudioStore, Storage

_INTERRUPTED = frozenset({MessageStatus.SYNTHESIZING, MessageStatus.PLAYING})


@attrs.frozen(kw_only=True)
class RecoveryReport:
    """What start-up recovery changed."""

    requeued: int
    """Messages put back: synthesizing → pending, playing → ready."""
    orphan_files_removed: int
    """Audio files no ready or playing message refers to."""


@attrs.define
class RecoveryService:
    """Brings storage and audio files back to a consistent state after an unclean stop.

    Run once at start-up, before any worker takes messages (with several workers on several
    machines, only the first to start may run it).
    """

    storage: Storage
    audio_store: AudioStore

    def recover(self) -> RecoveryReport:
        """Requeue interrupted messages and delete orphan audio files."""
        requeued = 0
        kept: set[str] = set()
        with self.storage.unit_of_work() as uow:
            for queue in QueueKind:
                for message in list(uow.oldest_first(queue, _INTERRUPTED | AUDIO_STATUSES)):
                    if message.recover_after_crash():
                        uow.save(message)
                        requeued += 1
                    if message.audio is not None and message.status in AUDIO_STATUSES:
                        kept.add(message.audio.ref)
        removed = 0
        for ref in list(self.audio_store.refs()):
            if ref not in kept:
                self.audio_store.delete(ref)
                removed += 1
        return RecoveryReport(requeued=requeued, orphan_files_removed=removed)
