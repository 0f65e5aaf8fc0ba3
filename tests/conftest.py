"""Fixtures shared by unit and integration tests, and the CI rule that real-model and browser tests must run."""

from __future__ import annotations

import os
from collections.abc import Generator
from typing import Any

import pytest

from adapters.memory import FakeSynthesizer, InMemoryAudioStore, InMemoryStorage, ManualClock, RecordingEventSink
from tests.world import World

MUST_RUN_IN_CI = ("kokoro", "browser", "postgres")


@pytest.fixture
def world() -> World:
    """A fresh in-memory world with a 200 MiB mentions budget."""
    events = RecordingEventSink()
    return World(
        storage=InMemoryStorage(events=events),
        audio=InMemoryAudioStore(),
        clock=ManualClock(),
        events=events,
        engine=FakeSynthesizer(),
        budget_bytes=200 * 1024 * 1024,
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]) -> Generator[None, Any, None]:
    """In CI (``CI`` set), a skipped real-model, browser or PostgreSQL test is a failure: a missing model,
    browser or database server must not pass silently. On a developer machine they skip with the reason."""
    outcome = yield
    report = outcome.get_result()
    if not (os.environ.get("CI") and report.skipped):
        return
    marker = next((name for name in MUST_RUN_IN_CI if item.get_closest_marker(name)), None)
    if marker is not None:
        report.outcome = "failed"
        report.longrepr = f"CI requires the {marker} tests to run, but this one was skipped: {report.longrepr}"
