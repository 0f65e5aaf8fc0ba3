"""The worker loads the engine in its own thread and tries again while loading fails."""

from __future__ import annotations

import attrs

from adapters.memory import FakeSynthesizer
from entrypoints.worker import SynthesisWorker
from tests.world import World


@attrs.define
class FlakyLoadingEngine(FakeSynthesizer):
    """Fails to load the first ``failures`` times, then is ready."""

    failures: int = 1
    loads: int = 0

    def load(self) -> None:
        self.loads += 1
        self.ready = self.loads > self.failures


def test_failed_load_is_retried_and_pending_messages_then_get_spoken(world: World) -> None:
    """A load that fails (no network yet) is tried again; the waiting message is spoken once it succeeds."""
    engine = FlakyLoadingEngine(ready=False, failures=1)
    world.engine = engine
    message = world.add("@streamer hi")
    worker = SynthesisWorker(world.synthesis, engine, poll_interval=0.01, reload_interval=0.0)
    world.run_until_ready(worker, message, "message was never spoken")
    assert engine.loads == 2
