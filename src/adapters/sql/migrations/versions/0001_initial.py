"""Initial schema: messages, per-queue counters, server state.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

QUEUES = ("mentions", "bits")


def upgrade() -> None:
    """Create the three tables and seed one counter row per queue and the state row."""
    op.create_table(
        "message",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("queue", sa.String(16), nullable=False),
        sa.Column("sent_by", sa.String(100), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("spoken_text", sa.Text, nullable=False),
        sa.Column("voice", sa.String(200), nullable=True),
        sa.Column("bits_amount", sa.Integer, nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("audio_ref", sa.String(200), nullable=True),
        sa.Column("audio_size_bytes", sa.BigInteger, nullable=True),
        sa.Column("audio_duration_seconds", sa.Float, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ready_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("playing_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("played_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deletion_reason", sa.String(16), nullable=True),
        sa.Column("error", sa.Text, nullable=True),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_message_queue_status_id", "message", ["queue", "status", "id"])
    counter = op.create_table(
        "queue_counter",
        sa.Column("queue", sa.String(16), primary_key=True),
        *(
            sa.Column(name, sa.Integer, nullable=False, server_default="0")
            for name in ("pending", "synthesizing", "ready", "playing", "played", "error", "deleted")
        ),
        sa.Column("audio_bytes", sa.BigInteger, nullable=False, server_default="0"),
    )
    state = op.create_table(
        "server_state",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("active_queue", sa.String(16), nullable=False),
        sa.Column("autoplay", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.bulk_insert(counter, [{"queue": q} for q in QUEUES])
    op.bulk_insert(state, [{"id": 1, "active_queue": "mentions", "autoplay": False}])


def downgrade() -> None:
    """Drop everything."""
    op.drop_table("server_state")
    op.drop_table("queue_counter")
    op.drop_index("ix_message_queue_status_id", table_name="message")
    op.drop_table("message")
