"""The player pages connected now (runtime state): kept per connection, every change announced to all clients."""

from __future__ import annotations

import threading

import attrs

from tts_core.events import PlayersChanged
from tts_core.players import ConnectedPlayer, PlayerStatus
from tts_core.ports import Storage
from tts_core.services.announce import announce


@attrs.define
class PlayersService:
    """The last status of each connected player page; forgotten when its connection closes. Thread-safe.

    Each change is announced as ``players_changed`` (with a ``seq``, in the order of the changes) carrying the
    whole list, so a client never needs the previous one. Nothing is persisted: after a restart no player is
    connected until the pages reconnect and report again.
    """

    storage: Storage
    _players: dict[int, ConnectedPlayer] = attrs.field(factory=dict, init=False)
    _lock: threading.Lock = attrs.field(factory=threading.Lock, init=False)

    def connected(self) -> tuple[ConnectedPlayer, ...]:
        """The players connected now, in the order they first reported."""
        with self._lock:
            return tuple(self._players.values())

    def report(self, connection: int, status: PlayerStatus) -> ConnectedPlayer:
        """Remember ``status`` as connection ``connection``'s; announce the list if it changed.

        Raises ``StorageError`` when the announcement cannot be stored; then nothing changed.
        """
        player = ConnectedPlayer(id=connection, status=status)
        with self._lock:
            if self._players.get(connection) == player:
                return player
            changed = {**self._players, connection: player}
            # announced before it is kept, under the lock: the seq order is the order of the changes
            announce(self.storage, PlayersChanged(players=tuple(changed.values())))
            self._players = changed
        return player

    def disconnected(self, connection: int) -> bool:
        """Forget connection ``connection`` (a no-op for one that never reported); whether it was a player.

        It is forgotten even when the announcement fails (``StorageError``): a closed page plays nothing.
        """
        with self._lock:
            if connection not in self._players:
                return False
            self._players = {key: p for key, p in self._players.items() if key != connection}
            announce(self.storage, PlayersChanged(players=tuple(self._players.values())))
        return True
