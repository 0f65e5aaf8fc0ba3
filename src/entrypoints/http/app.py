"""Builds the Litestar application around a container; the worker and the Twitch chat reader start and stop with it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from litestar import Litestar
from litestar.di import Provide

from entrypoints.container import Container
from entrypoints.engine_watch import watch_engine
from entrypoints.http.access_policy import policy_from
from entrypoints.http.allow_header import repair_allow_headers
from entrypoints.http.api import TtsController
from entrypoints.http.audio import audio_file
from entrypoints.http.commands import CommandHandler
from entrypoints.http.errors import EXCEPTION_HANDLERS
from entrypoints.http.guard import RequestGuard
from entrypoints.http.health import health
from entrypoints.http.limits import MAX_BODY_BYTES
from entrypoints.http.moderation_api import ModerationController
from entrypoints.http.openai_speech import OpenAISpeechController
from entrypoints.http.schema_ui import openapi_config, schema_assets_router
from entrypoints.http.speech_gate import SpeechGate
from entrypoints.http.twitch_api import TwitchController
from entrypoints.http.voices_api import VoicesController
from entrypoints.http.websocket import live_socket
from entrypoints.ingest_batcher import IngestBatcher
from entrypoints.voices import seed_voices
from entrypoints.web import to_panel, web_router

log = logging.getLogger(__name__)


def _provide(factory: Callable[[], Any]) -> Provide:
    def provide() -> Any:
        return factory()

    return Provide(provide, sync_to_thread=False)


@asynccontextmanager
async def _lifespan(container: Container, start_worker: bool, ingest_batcher: IngestBatcher) -> AsyncIterator[None]:
    """The background parts of the process, started before the first request and stopped after the last."""
    many = container.settings().many_processes
    relay = container.event_relay() if many else None
    if relay is not None:  # first: it starts at the newest event, and everything after reaches the listeners
        relay.start()
    seed_voices(container.settings(), container.voices())
    report = container.recovery().recover()
    if report.changed_anything:
        log.info("recovered at start-up: %s", report)
    maintenance = container.maintenance()
    maintenance.start()
    worker = container.worker()
    worker.ingest_first = ingest_batcher.wait_quiet  # a burst of chat is taken in before synthesis goes on
    unsubscribe = container.events().subscribe(worker.on_event)
    if start_worker:
        worker.start()
    driver = container.autoplay_driver()
    unsubscribe_driver = container.events().subscribe(driver.on_event)
    owner = container.playback_owner()
    if many:
        owner.start()  # the driver runs while this process holds the playback lease
    else:
        driver.start()
    engine_watch = asyncio.create_task(watch_engine(container.synthesizer(), container.storage()))
    twitch = container.twitch_reader()
    if container.settings().twitch_channel:
        await twitch.start()
    try:
        yield
    finally:
        await twitch.close()
        engine_watch.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await engine_watch
        ingest_batcher.stop()
        unsubscribe_driver()
        if many:
            owner.stop()
        driver.stop()
        unsubscribe()
        worker.stop()
        maintenance.stop()
        if relay is not None:
            relay.stop()


def create_app(container: Container, *, start_worker: bool = True) -> Litestar:
    """The HTTP/WebSocket app and the web panel. With ``start_worker`` the synthesis worker runs while the app
    does; the engine-status watch always does, and the autoplay driver too (among several processes: while this
    one holds the playback lease; see ``docs/scale-out.md``). Every request first passes the
    :class:`RequestGuard` (Host, Origin, token, JSON body; see ``docs/api.md``)."""

    ingest_batcher = IngestBatcher(container.ingest)

    def commands() -> CommandHandler:
        return CommandHandler(
            ingest=container.ingest(),
            queues=container.queues(),
            playback=container.playback(),
            autoplay=container.autoplay(),
            moderation=container.moderation(),
            synthesizer=container.synthesizer(),
            cooldown_seconds=container.settings().autoplay_cooldown,
            voices=container.voices(),
            players=container.players(),
        )

    settings = container.settings()
    speech_gate = SpeechGate(concurrency=settings.speech_concurrency, wait_seconds=settings.speech_wait_seconds)
    dependencies = {
        "settings": _provide(container.settings),
        "ingest": _provide(container.ingest),
        "ingest_batcher": _provide(lambda: ingest_batcher),
        "queues": _provide(container.queues),
        "playback": _provide(container.playback),
        "storage": _provide(container.storage),
        "synthesizer": _provide(container.synthesizer),
        "audio_store": _provide(container.audio_store),
        "worker": _provide(container.worker),
        "autoplay": _provide(container.autoplay),
        "moderation": _provide(container.moderation),
        "events": _provide(container.events),
        "commands": _provide(commands),
        "speech_gate": _provide(lambda: speech_gate),
        "voices": _provide(container.voices),
        "finisher": _provide(container.finisher),
        "twitch": _provide(container.twitch_reader),
    }
    app = Litestar(
        route_handlers=[
            TtsController,
            ModerationController,
            VoicesController,
            TwitchController,
            OpenAISpeechController,
            audio_file,
            health,
            live_socket,
            schema_assets_router(),
            web_router(),
            to_panel,
        ],
        dependencies=dependencies,
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
        lifespan=[lambda _: _lifespan(container, start_worker, ingest_batcher)],
        request_max_body_size=MAX_BODY_BYTES,
        openapi_config=openapi_config(),
    )
    repair_allow_headers(app)
    # in front of Litestar's router (not route middleware), so no path, 404 or WebSocket escapes the checks
    settings = container.settings()
    app.asgi_handler = RequestGuard(app.asgi_handler, policy_from(settings), default_port=settings.port)
    return app
