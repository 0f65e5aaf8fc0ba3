"""Fixtures shared by unit and integration tests."""

from __future__ import annotations

import pytest

from adapters.memory import FakeSynthesizer, InMemoryAudioStore, InMemoryStorage, ManualClock, RecordingEventSink
from tests.world import World


@pytest.fixture
def world() -> World:
    """A fresh in-memory world with a 200 MiB mentions budget."""
    return World(
        storage=InMemoryStorage(),
        audio=InMemoryAudioStore(),
        clock=ManualClock(),
        events=RecordingEventSink(),
        engine=FakeSynthesizer(),
        budget_bytes=200 * 1024 * 1024,
    )
