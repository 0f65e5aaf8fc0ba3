"""``GET /health``: database, audio store, engine, worker, Twitch chat state and the process's memory."""

from __future__ import annotations

from typing import Literal

from litestar import Response, get
from litestar.openapi import ResponseSpec
from litestar.status_codes import HTTP_200_OK, HTTP_503_SERVICE_UNAVAILABLE

from adapters.process_memory import memory_usage
from entrypoints.http.deps import AudioStoreDep, StorageDep, SynthesizerDep, TwitchReaderDep, WorkerDep
from entrypoints.http.responses import AudioStoreHealth, DatabaseHealth, HealthBody, MemoryHealth, WorkerHealth
from entrypoints.http.schemas import engine_body
from entrypoints.http.twitch_api import chat_body
from tts_core.errors import AudioStoreError


@get(
    "/health",
    sync_to_thread=True,
    tags=["health"],
    responses={HTTP_503_SERVICE_UNAVAILABLE: ResponseSpec(HealthBody, description="`down`: the database is gone")},
)
def health(
    storage: StorageDep,
    audio_store: AudioStoreDep,
    synthesizer: SynthesizerDep,
    worker: WorkerDep,
    twitch: TwitchReaderDep,
) -> Response[HealthBody]:
    """``ok`` when all is well; ``degraded`` (200, with ``reasons``) while the engine is not ready, the audio
    store cannot be written, the worker is paused or the Twitch chat reader is on but failed to connect (``off``
    does not degrade); ``down`` (503) without a database."""
    chat = twitch.status
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
            chat.problem,
        )
        if reason
    ]
    status: Literal["ok", "degraded", "down"] = "ok" if not reasons else "degraded"
    body = HealthBody(
        status=status if database_ok else "down",
        reasons=reasons,
        database=DatabaseHealth(ok=database_ok),
        audio_store=AudioStoreHealth(ok=audio_problem is None, detail=audio_problem),
        engine=engine_body(engine),
        worker=WorkerHealth(running=worker.running, processed=worker.processed, problem=worker.problem),
        chat=chat_body(chat),
        memory=_memory(),
    )
    return Response(body, status_code=HTTP_200_OK if database_ok else HTTP_503_SERVICE_UNAVAILABLE)


def _memory() -> MemoryHealth:
    usage = memory_usage()
    return MemoryHealth(
        resident_bytes=usage.resident_bytes,
        cuda_allocated_bytes=usage.cuda_allocated_bytes,
        cuda_reserved_bytes=usage.cuda_reserved_bytes,
    )
