"""``tts-server worker``: a process that only synthesizes, beside API processes on the same database and audio store."""

from __future__ import annotations

import logging
import signal
import threading

from adapters.sql.revision import require_current_schema
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
    require_current_schema(container.sql_engine())
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.set())
    relay = container.event_relay()
    if settings.many_processes:
        relay.start()  # new messages from the API processes wake the worker at once (not at its next poll)
    report = container.recovery().recover()
    if report.changed_anything:
        log.info("recovered at start-up: %s", report)
    worker = container.worker()
    unsubscribe = container.events().subscribe(worker.on_event)
    worker.start()
    log.info("synthesis worker running (engine: %s, %s process)", settings.engine, settings.process_mode)
    try:
        while not stopping.wait(1.0):
            pass
        log.info("stopping: finishing the message in hand")
        worker.stop(timeout=settings.synthesis_lease_seconds)
    finally:
        unsubscribe()
        relay.stop()
    return 0
