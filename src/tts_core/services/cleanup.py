"""Best-effort removal of files after a commit: a failure is logged and left to the reconcile pass."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from tts_core.errors import AudioNotFound, AudioStoreError
from tts_core.ports import AudioStore

log = logging.getLogger(__name__)


def discard_files(audio_store: AudioStore, refs: Iterable[str]) -> int:
    """Delete the files under ``refs``; returns how many could not be deleted now.

    Called after the change that made them unneeded has committed, so it must not fail the request:
    a file left behind is found and deleted by ``ReconcileService``.
    """
    left = 0
    for ref in refs:
        try:
            audio_store.delete(ref)
        except (AudioStoreError, AudioNotFound) as error:
            left += 1
            log.warning("audio %s not deleted now (the reconcile pass will): %s", ref, error)
    return left
