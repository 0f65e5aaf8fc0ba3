"""SQL storage: SQLModel tables on SQLite or PostgreSQL, schema managed by Alembic."""

from adapters.sql.engine import create_sql_engine
from adapters.sql.migrate import SchemaNotCurrent, check_at_head, prepare_schema, upgrade_to_head
from adapters.sql.storage import SqlModelStorage

__all__ = [
    "SchemaNotCurrent",
    "SqlModelStorage",
    "check_at_head",
    "create_sql_engine",
    "prepare_schema",
    "upgrade_to_head",
]
