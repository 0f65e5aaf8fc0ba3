"""``GET /health``: database, engine and worker state."""

from __future__ import annotations

from typing import Literal

from litestar import Response, get
from litestar.openapi import ResponseSpec
from litestar.status_codes import HTTP_200_OK, HTTP_503_SERVICE_UNAVAILABLE

from entrypoints.http.deps import StorageDep, SynthesizerDep, WorkerDep
from entrypoints.http.responses import DatabaseHealth, HealthBody, WorkerHealth
from entrypoints.http.schemas import engine_body


@get(
    "/health",
    sync_to_thread=True,
    tags=["health"],
    responses={HTTP_503_SERVICE_UNAVAILABLE: ResponseSpec(HealthBody, description="`down`: the database is gone")},
)
def health(storage: StorageDep, synthesizer: SynthesizerDep, worker: WorkerDep) -> Response[HealthBody]:
    """``ok`` when all is well; ``degraded`` (200) while the engine is not ready; 503 without a database."""
    database_ok = storage.healthy()
    engine = synthesizer.status()
    status: Literal["ok", "degraded", "down"] = "ok" if engine.ready and worker.running else "degraded"
    body = HealthBody(
        status=status if database_ok else "down",
        database=DatabaseHealth(ok=database_ok),
        engine=engine_body(engine),
        worker=WorkerHealth(running=worker.running, processed=worker.processed),
    )
    return Response(body, status_code=HTTP_200_OK if database_ok else HTTP_503_SERVICE_UNAVAILABLE)
