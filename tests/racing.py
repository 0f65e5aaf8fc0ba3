"""A storage wrapper in which another process changes a row between a unit's read of it and its save."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any, cast

from tts_core import ConcurrentUpdate
from tts_core.ports import ReadOnlyUnitOfWork, Storage, UnitOfWork

Change = Callable[[UnitOfWork], object]


class RacingStorage(Storage):
    """Wraps a storage: once armed, another process's change lands on the rows just before the ``at_save``-th
    save from now, so that save meets a row that is no longer as it was read; when the unit then fails, the
    other change is committed on its own, as the other process did."""

    def __init__(self, inner: Storage) -> None:
        self.inner = inner
        self._other: Change | None = None
        self._saves_left = 0

    def arm(self, other: Change, *, at_save: int = 1) -> None:
        """Let ``other`` happen just before the ``at_save``-th save from now."""
        self._other, self._saves_left = other, at_save

    def due(self) -> Change | None:
        """The other change, when the save about to happen is the armed one."""
        if self._other is None:
            return None
        self._saves_left -= 1
        if self._saves_left > 0:
            return None
        change, self._other = self._other, None
        return change

    def reading(self) -> AbstractContextManager[ReadOnlyUnitOfWork]:
        return self.inner.reading()

    def healthy(self) -> bool:
        return self.inner.healthy()

    @contextmanager
    def unit_of_work(self) -> Iterator[UnitOfWork]:
        raced: list[Change] = []
        try:
            with self.inner.unit_of_work() as uow:
                yield cast(UnitOfWork, _RacingUnit(uow, self, raced))
        except ConcurrentUpdate:
            for change in raced:
                with self.inner.unit_of_work() as other:
                    change(other)
            raise


class _RacingUnit:
    def __init__(self, inner: UnitOfWork, storage: RacingStorage, raced: list[Change]) -> None:
        self._inner, self._storage, self._raced = inner, storage, raced

    def save(self, message: Any) -> None:
        change = self._storage.due()
        if change is not None:
            change(self._inner)
            self._raced.append(change)
        self._inner.save(message)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)
