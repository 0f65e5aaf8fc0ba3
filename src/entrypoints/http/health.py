"""``GET /health``: database, engine and worker state."""

from __future__ import annotations

from typing import Any

from litestar import Response, get
from litestar.status_codes import HTTP_200_OK, HTTP_503_SERVICE_UNAVAILABLE

from entrypoints.http.deps import StorageDep, SynthesizerDep, WorkerDep
from entrypoints.http.schemas import engine_json


@get("/health", sync_to_thread=True, tags=["health"])
def health(storage: StorageDep, synthesizer: SynthesizerDep, worker: WorkerDep) -> Response[dict[str, Any]]:
    """``ok`` when all is well; ``degraded`` (200) while the engine is not ready; 503 without a database."""
    database_ok = storage.healthy()
    engine = synthesizer.status()
    status = "ok" if database_ok and engine.ready and worker.running else "degraded"
    body = {
        "status": status if database_ok else "down",
        "database": {"ok": database_ok},
        "engine": engine_json(engine),
        "worker": {"running": worker.running, "processed": worker.processed},
    }
    return Response(body, status_code=HTTP_200_OK if database_ok else HTTP_503_SERVICE_UNAVAILABLE)
