"""Playback has one owner: of several API processes, one holds the lease and runs autoplay; another takes over
when it stops renewing."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import attrs
import pytest

from adapters.memory import ManualClock
from adapters.sql import create_sql_engine
from adapters.sql.leases import SqlRoleLease
from entrypoints.playback_owner import PlaybackOwner
from tests.integration.shared_database import shared_database_url  # noqa: F401  (a fixture)

LEASE_SECONDS = 15.0


@attrs.define
class FakeDriver:
    """Stands in for the autoplay driver: whether it runs."""

    running: bool = False

    def start(self) -> None:
        self.running = True

    def stop(self, timeout: float = 5.0) -> None:
        self.running = False


@pytest.fixture
def contenders(shared_database_url: str) -> Iterator[tuple[ManualClock, list[PlaybackOwner]]]:  # noqa: F811
    clock = ManualClock()
    engines = [create_sql_engine(shared_database_url) for _ in range(2)]
    owners = [
        PlaybackOwner(SqlRoleLease(engine, role="playback", owner=name, seconds=LEASE_SECONDS), FakeDriver(), clock)
        for engine, name in zip(engines, ("api-1", "api-2"), strict=True)
    ]
    yield clock, owners
    for engine in engines:
        engine.dispose()


def test_of_two_contending_processes_exactly_one_owns_playback(
    contenders: tuple[ManualClock, list[PlaybackOwner]],
) -> None:
    """Both try at the same moment, many times: one holds the lease and runs autoplay, the other does not."""
    _, owners = contenders
    barrier = threading.Barrier(2)
    results: dict[int, list[bool]] = {0: [], 1: []}

    def contend(index: int) -> None:
        for _ in range(20):
            barrier.wait()
            results[index].append(owners[index].step())

    threads = [threading.Thread(target=contend, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winner = 0 if results[0][0] else 1
    assert results[winner] == [True] * 20
    assert results[1 - winner] == [False] * 20
    assert [o.driver.running for o in owners] == [winner == 0, winner == 1]


def test_the_other_process_takes_over_once_the_owner_stops_renewing(
    contenders: tuple[ManualClock, list[PlaybackOwner]],
) -> None:
    """The owner dies (no more renewals): the other waits while the lease lasts, then owns playback."""
    clock, (first, second) = contenders
    assert first.step() and not second.step()
    clock.advance(LEASE_SECONDS - 1)
    assert not second.step()
    assert first.step()  # renewed: a live owner keeps the role
    clock.advance(LEASE_SECONDS - 1)
    assert not second.step()
    clock.advance(1)  # the first stopped renewing: its lease has ended
    assert second.step() and second.driver.running
    assert not first.step()
    assert not first.driver.running


def test_a_clean_stop_hands_playback_over_at_once(contenders: tuple[ManualClock, list[PlaybackOwner]]) -> None:
    """Stopping the owner gives the role up: the other need not wait for the lease to expire."""
    _, (first, second) = contenders
    assert first.step()
    first.stop()
    assert not first.driver.running
    assert second.step()
