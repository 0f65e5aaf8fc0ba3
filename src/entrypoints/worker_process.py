"""``tts-server worker``: a process that only synthesizes, beside API processes on the same database and audio store."""

from __future__ import annotations

import logging
import signal
import threading

from adapters.sql import check_at_head
from entrypoints.container import build_container
from entrypoints.settings import Settings

log = logging.getLogger(__name__)


def run_worker(settings: Settings) -> int:
    """Run a synthesis worker until SIGTERM or SIGINT, then finish the message in hand and return 0.

    A worker killed outright (``kill -9``, a power cut) leaves its claim behind: the claim's lease expires and
    another worker (or the reconcile pass of an API process) takes the message back.
    """
    if settings.engine == "kokoro":
        from adapters.kokoro import validate_voice_mix
        from entrypoints.engines import kokoro_config

        validate_voice_mix(kokoro_config(settings))
    container = build_container(settings)
    # a worker needs no one's events, only a nudge when something committed (below): its own events go to the
    # outbox (with TTS_PROCESSES=many) for the API processes, and to nobody here
    container.event_sink.override(container.events)
    check_at_head(container.sql_engine())
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.set())
    report = container.recovery().recover()
    if report.changed_anything:
        log.info("recovered at start-up: %s", report)
    worker = container.worker()
    wake_up = container.worker_wake_up()  # PostgreSQL: woken at once by new messages; elsewhere it polls
    wake_up.start()
    worker.start()
    log.info("synthesis worker running (engine: %s, %s process)", settings.engine, settings.process_mode)
    try:
        while not stopping.wait(1.0):
            pass
        log.info("stopping: finishing the message in hand")
        worker.stop(timeout=settings.synthesis_lease_seconds)
    finally:
        wake_up.stop()
    return 0
