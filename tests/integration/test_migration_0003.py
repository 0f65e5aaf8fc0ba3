"""Migration 0003 on a database made by 0002: existing messages get their sender key; it downgrades cleanly."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command

from adapters.sql import SqlModelStorage, create_sql_engine
from adapters.sql.migrate import alembic_config


def test_existing_messages_are_found_by_sender_after_the_upgrade(tmp_path: Path) -> None:
    """A message stored before 0003 is found by its sender's login in any case; downgrading drops the new parts."""
    engine = create_sql_engine(f"sqlite:///{tmp_path / 'old.db'}")
    config = alembic_config(str(engine.url))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0002")
        connection.execute(
            sa.text(
                "INSERT INTO message (queue, sent_by, text, spoken_text, status, created_at, attempts, failures) "
                "VALUES ('mentions', ' @Old_Troll', 'hi', 'hi', 'pending', '2026-01-01 00:00:00', 0, 0)"
            )
        )
        command.upgrade(config, "head")
    with SqlModelStorage(engine).unit_of_work() as uow:
        (found,) = uow.from_sender("old_troll")
        assert (found.twitch_message_id, found.is_moderator, found.skipped) == (None, False, False)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0002")
        assert "mute" not in sa.inspect(connection).get_table_names()
        columns = {c["name"] for c in sa.inspect(connection).get_columns("message")}
        assert "sender" not in columns
    engine.dispose()
