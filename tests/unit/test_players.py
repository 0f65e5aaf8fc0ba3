"""The player pages connected now: each change of the list is announced once, in order, and a closed page is gone."""

from __future__ import annotations

import pytest

from tests.world import World
from tts_core.errors import StorageError
from tts_core.events import PlayersChanged
from tts_core.players import ConnectedPlayer, PlayerState, PlayerStatus
from tts_core.services import PlayersService

AUDIBLE = PlayerStatus(volume=1.0, effective_volume=0.6, blocked=False)
SILENT = PlayerStatus(volume=0.0, effective_volume=0.0, blocked=False)


def announced(world: World) -> list[tuple[int, ...]]:
    """The ids listed by each players_changed event, in order."""
    changes = [e for e in world.events.of_type(PlayersChanged) if isinstance(e, PlayersChanged)]
    return [tuple(p.id for p in e.players) for e in changes]


@pytest.mark.parametrize(
    ("status", "state"),
    [
        (AUDIBLE, PlayerState.OK),
        (SILENT, PlayerState.MUTED),
        (PlayerStatus(volume=1.0, effective_volume=0.0, blocked=False), PlayerState.MUTED),  # its queue is at 0
        (PlayerStatus(volume=1.0, effective_volume=1.0, blocked=True), PlayerState.BLOCKED),
        (PlayerStatus(volume=0.0, effective_volume=0.0, blocked=True), PlayerState.BLOCKED),  # a click is due first
    ],
)
def test_a_player_state_says_what_reaches_the_stream(status: PlayerStatus, state: PlayerState) -> None:
    """Blocked wins over muted; a volume of 0 (the page's or the queue's) is muted; otherwise ok."""
    assert status.state is state


def test_a_report_is_announced_with_the_whole_list(world: World) -> None:
    """Two players report: the second event lists both, in the order they connected, with a rising seq."""
    players = PlayersService(storage=world.storage)
    players.report(3, AUDIBLE)
    players.report(5, SILENT)
    assert announced(world) == [(3,), (3, 5)]
    seqs = [e.seq for e in world.events.of_type(PlayersChanged)]
    assert seqs == sorted(seqs)
    assert seqs[0] > 0
    assert players.connected() == (ConnectedPlayer(id=3, status=AUDIBLE), ConnectedPlayer(id=5, status=SILENT))


def test_the_same_status_again_is_not_announced(world: World) -> None:
    """A page repeating its status changes nothing; a new status replaces the old one in place."""
    players = PlayersService(storage=world.storage)
    players.report(3, AUDIBLE)
    players.report(3, AUDIBLE)
    players.report(3, SILENT)
    assert announced(world) == [(3,), (3,)]
    assert players.connected() == (ConnectedPlayer(id=3, status=SILENT),)


def test_a_closed_connection_is_no_player_any_more(world: World) -> None:
    """Disconnecting a player announces the list without it; a connection that never reported announces nothing."""
    players = PlayersService(storage=world.storage)
    players.report(3, AUDIBLE)
    assert players.disconnected(4) is False
    assert players.disconnected(3) is True
    assert players.disconnected(3) is False
    assert announced(world) == [(3,), ()]
    assert players.connected() == ()


def test_a_report_that_cannot_be_announced_changes_nothing(world: World) -> None:
    """The database refuses the announcement: the error reaches the caller and the list stays as it was."""
    players = PlayersService(storage=world.storage)
    world.storage.fail_commits = 1
    with pytest.raises(StorageError):
        players.report(3, AUDIBLE)
    assert players.connected() == ()
    players.report(3, AUDIBLE)
    assert announced(world) == [(3,)]


def test_a_closed_player_is_forgotten_even_when_the_announcement_fails(world: World) -> None:
    """A page that closed plays nothing: it leaves the list whether or not the event could be stored."""
    players = PlayersService(storage=world.storage)
    players.report(3, AUDIBLE)
    world.storage.fail_commits = 1
    with pytest.raises(StorageError):
        players.disconnected(3)
    assert players.connected() == ()
