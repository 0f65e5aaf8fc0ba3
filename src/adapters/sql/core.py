"""SQLAlchemy Core handles of the SQLModel tables, for statements that skip the ORM."""

from __future__ import annotations

from sqlalchemy import Table
from sqlmodel import SQLModel

from adapters.sql.tables import MessageRow, MuteRow, QueueCounterRow, RememberedDeletionRow, ServerStateRow
from adapters.sql.voice_tables import PronunciationRow, QueueVolumeRow, UserVoiceRow


def _table(model: type[SQLModel]) -> Table:
    table = getattr(model, "__table__")  # noqa: B009 - mypy does not see SQLModel's class attribute
    assert isinstance(table, Table)
    return table


MESSAGE = _table(MessageRow)
MUTE = _table(MuteRow)
REMEMBERED_DELETION = _table(RememberedDeletionRow)
QUEUE_COUNTER = _table(QueueCounterRow)
SERVER_STATE = _table(ServerStateRow)
USER_VOICE = _table(UserVoiceRow)
PRONUNCIATION = _table(PronunciationRow)
QUEUE_VOLUME = _table(QueueVolumeRow)
