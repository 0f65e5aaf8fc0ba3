"""Per-user voices, the pronunciation dictionary, player volumes per queue, and each message's engine text.

Revision ID: 0004
Revises: 0003 (re-chained onto 0003, moderation, when both are merged)
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the three settings tables and add ``engine_text`` to messages."""
    op.create_table(
        "user_voice",
        sa.Column("user", sa.String(25), primary_key=True),
        sa.Column("voice", sa.String(200), nullable=False),
    )
    op.create_table(
        "pronunciation",
        sa.Column("word", sa.String(50), primary_key=True),
        sa.Column("say", sa.String(200), nullable=True),
        sa.Column("phonemes", sa.String(200), nullable=True),
    )
    op.create_table(
        "queue_volume",
        sa.Column("queue", sa.String(16), primary_key=True),
        sa.Column("volume", sa.Float, nullable=False),
    )
    with op.batch_alter_table("message") as batch:
        batch.add_column(sa.Column("engine_text", sa.Text, nullable=True))


def downgrade() -> None:
    """Drop them again."""
    with op.batch_alter_table("message") as batch:
        batch.drop_column("engine_text")
    for table in ("queue_volume", "pronunciation", "user_voice"):
        op.drop_table(table)
