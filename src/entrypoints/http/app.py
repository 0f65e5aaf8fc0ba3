"""Builds the Litestar application around a container; the worker starts and stops with it."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from litestar import Litestar
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig

from entrypoints.container import Container
from entrypoints.http.api import TtsController
from entrypoints.http.audio import audio_file
from entrypoints.http.errors import EXCEPTION_HANDLERS
from entrypoints.http.health import health

log = logging.getLogger(__name__)


def _provide(factory: Callable[[], Any]) -> Provide:
    def provide() -> Any:
        return factory()

    return Provide(provide, sync_to_thread=False)


def create_app(container: Container, *, start_worker: bool = True) -> Litestar:
    """The HTTP/WebSocket app. With ``start_worker`` the synthesis worker runs while the app does."""

    @asynccontextmanager
    async def lifespan(_: Litestar) -> AsyncIterator[None]:
        report = container.recovery().recover()
        if report.requeued or report.orphan_files_removed:
            log.info(
                "recovered: %s messages requeued, %s orphan files removed", report.requeued, report.orphan_files_removed
            )
        worker = container.worker()
        unsubscribe = container.events().subscribe(worker.on_event)
        if start_worker:
            worker.start()
        try:
            yield
        finally:
            unsubscribe()
            worker.stop()

    dependencies = {
        "settings": _provide(container.settings),
        "ingest": _provide(container.ingest),
        "queues": _provide(container.queues),
        "playback": _provide(container.playback),
        "storage": _provide(container.storage),
        "synthesizer": _provide(container.synthesizer),
        "audio_store": _provide(container.audio_store),
        "worker": _provide(container.worker),
    }
    return Litestar(
        route_handlers=[TtsController, audio_file, health],
        dependencies=dependencies,
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
        lifespan=[lifespan],
        openapi_config=OpenAPIConfig(title="Twitch TTS queue server", version="0.1.0", path="/schema"),
    )
