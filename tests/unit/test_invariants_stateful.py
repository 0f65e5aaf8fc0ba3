"""The queue invariants hold after every step of random add/synthesize/play/clear/reconcile runs under faults,
on the in-memory adapters."""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test

from adapters.memory import InMemoryAudioStore, InMemoryStorage
from tests.queue_machine import Backend, QueueMachine
from tts_core.ports import EventSink


class InMemoryQueueMachine(QueueMachine):
    """The machine on InMemoryStorage and InMemoryAudioStore."""

    def open_backend(self, events: EventSink) -> Backend:
        audio = InMemoryAudioStore()
        return Backend(
            storage=InMemoryStorage(events=events), audio=audio, files=lambda: set(audio.files), close=lambda: None
        )


def test_queue_invariants_hold_in_memory() -> None:
    """Counters, the mentions budget, files, leases and event order hold after every step; every message ends."""
    run_state_machine_as_test(
        InMemoryQueueMachine,
        settings=settings(
            max_examples=80,
            stateful_step_count=50,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
