"""The player_status command on a real uvicorn: checked fields, players_changed to every client, the snapshot's
players, and a player that closes its socket leaves the list."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.integration.live import LiveServer, live_server, ws_client

MUTED = {"volume": 0.0, "effective_volume": 0.0, "blocked": False, "page": "player"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Any:
    with live_server(tmp_path_factory.mktemp("players") / "data") as running:
        yield running


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({**MUTED, "volume": 1.5}, "volume"),
        ({**MUTED, "volume": "loud"}, "volume"),
        ({**MUTED, "effective_volume": -0.1}, "effective_volume"),
        ({"volume": 1.0, "blocked": False}, "effective_volume"),
        ({**MUTED, "blocked": "yes"}, "blocked"),
        ({"volume": 1.0, "effective_volume": 1.0}, "blocked"),
        ({**MUTED, "page": "panel"}, "page"),
    ],
)
def test_a_bad_player_status_gets_an_error_naming_the_field(
    server: LiveServer, fields: dict[str, Any], field: str
) -> None:
    """A volume outside 0.0–1.0, a missing or mistyped field, an unknown page: invalid_input naming it; no player."""
    with ws_client(server) as client:
        error = client.command("player_status", **fields)
        assert (error["type"], error["code"], error["field"]) == ("error", "invalid_input", field)
        assert field in error["detail"]
        assert client.command("snapshot")["result"]["players"] == []


def test_a_player_is_announced_listed_in_later_snapshots_and_gone_when_it_closes(server: LiveServer) -> None:
    """The panel sees players_changed when a player reports and when it closes; a panel connecting meanwhile
    finds the player in its snapshot."""
    with ws_client(server) as panel:
        assert panel.frames[0]["players"] == []
        with ws_client(server) as player:
            answer = player.command("player_status", **MUTED)
            assert answer["type"] == "ok"
            me = answer["result"]
            assert (me["state"], me["volume"], me["effective_volume"], me["blocked"]) == ("muted", 0.0, 0.0, False)

            changed = panel.until("players_changed")
            assert changed["players"] == [me]
            assert changed["seq"] > panel.frames[0]["seq"]
            with ws_client(server) as late:
                assert late.frames[0]["players"] == [me]
                assert late.frames[0]["seq"] >= changed["seq"]

            player.command("player_status", **MUTED)  # the same again: nothing to announce
            unblocked = player.command("player_status", volume=0.5, effective_volume=0.5, blocked=False)["result"]
            assert (unblocked["id"], unblocked["state"]) == (me["id"], "ok")
            assert panel.until("players_changed")["players"] == [unblocked]

        gone = panel.until("players_changed")
        assert gone["players"] == []
        assert panel.command("snapshot")["result"]["players"] == []
    assert [f["type"] for f in panel.frames].count("players_changed") == 3


def test_two_players_are_told_apart_and_a_panel_is_no_player(tmp_path: Path) -> None:
    """Each connection that reports is one player; a connection that never reported closes without an event."""
    with live_server(tmp_path / "data") as running, ws_client(running) as panel:
        with ws_client(running) as first, ws_client(running) as second:
            one = first.command("player_status", volume=1.0, effective_volume=1.0, blocked=True)["result"]
            two = second.command("player_status", volume=1.0, effective_volume=1.0, blocked=False)["result"]
            assert one["id"] != two["id"]
            assert (one["state"], two["state"]) == ("blocked", "ok")
            panel.until("players_changed")
            assert panel.until("players_changed")["players"] == [one, two]
            with ws_client(running) as onlooker:
                assert onlooker.frames[0]["players"] == [one, two]
            after_onlooker = len(panel.frames)
            assert panel.command("stats")["type"] == "ok"
            assert "players_changed" not in panel.types_since(after_onlooker)
        assert panel.until("players_changed")["players"] in ([one], [two])  # both closed: one after the other
        assert panel.until("players_changed", lambda f: f["players"] == [])["players"] == []
