"""Several processes on one database: the event outbox and the playback owner's lease.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``event_outbox`` and ``process_lease`` (with its one ``playback`` row, so taking it is an UPDATE)."""
    op.create_table(
        "event_outbox",
        sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_event_outbox_created_at", "event_outbox", ["created_at"])
    leases = op.create_table(
        "process_lease",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("owner", sa.String(200), nullable=True),
        sa.Column("until", sa.DateTime(timezone=True), nullable=True),
    )
    op.bulk_insert(leases, [{"name": "playback", "owner": None, "until": None}])


def downgrade() -> None:
    """Drop them again."""
    op.drop_table("process_lease")
    op.drop_index("ix_event_outbox_created_at", table_name="event_outbox")
    op.drop_table("event_outbox")
