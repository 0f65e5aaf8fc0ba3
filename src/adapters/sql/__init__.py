"""SQL storage: SQLModel tables on SQLite (PostgreSQL later), schema managed by Alembic."""

from adapters.sql.engine import create_sql_engine
from adapters.sql.migrate import upgrade_to_head
from adapters.sql.storage import SqlModelStorage

__all__ = ["SqlModelStorage", "create_sql_engine", "upgrade_to_head"]
