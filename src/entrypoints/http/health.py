"""``GET /health``: database, audio store, engine and worker state."""

from __future__ import annotations

from typing import Any

from litestar import Response, get
from litestar.status_codes import HTTP_200_OK, HTTP_503_SERVICE_UNAVAILABLE

from entrypoints.http.deps import AudioStoreDep, StorageDep, SynthesizerDep, WorkerDep
from entrypoints.http.schemas import engine_json
from tts_core.errors import AudioStoreError


@get("/health", sync_to_thread=True, tags=["health"])
def health(
    storage: StorageDep, audio_store: AudioStoreDep, synthesizer: SynthesizerDep, worker: WorkerDep
) -> Response[dict[str, Any]]:
    """``ok`` when all is well; ``degraded`` (200, with ``reasons``) while the engine is not ready, the audio
    store cannot be written or the worker is paused; ``down`` (503) without a database."""
    database_ok = storage.healthy()
    engine = synthesizer.status()
    try:
        audio_store.check()
        audio_problem = None
    except AudioStoreError as error:
        audio_problem = str(error)
    reasons = [
        reason
        for reason in (
            None if database_ok else "the database does not answer",
            None if engine.ready else f"engine not ready: {engine.detail}",
            audio_problem,
            None if worker.running else "the synthesis worker is not running",
            worker.problem if worker.problem != audio_problem else None,
        )
        if reason
    ]
    status = "ok" if not reasons else "degraded"
    body = {
        "status": status if database_ok else "down",
        "reasons": reasons,
        "database": {"ok": database_ok},
        "audio_store": {"ok": audio_problem is None, "detail": audio_problem},
        "engine": engine_json(engine),
        "worker": {"running": worker.running, "processed": worker.processed, "problem": worker.problem},
    }
    return Response(body, status_code=HTTP_200_OK if database_ok else HTTP_503_SERVICE_UNAVAILABLE)
