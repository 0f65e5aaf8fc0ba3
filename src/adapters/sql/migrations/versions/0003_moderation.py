"""Moderation: the Twitch message id, moderator and skipped flags and the sender key on messages; mutes;
remembered early deletions.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _sender_key(name: str) -> str:
    # the same as tts_core.moderation.sender_key, frozen here: a migration must not change when the code does
    return name.strip().lstrip("@").lower()


def upgrade() -> None:
    """Add the columns (filling the sender key of existing rows), their indexes and the two tables."""
    with op.batch_alter_table("message") as batch:
        batch.add_column(sa.Column("sender", sa.String(100), nullable=False, server_default=""))
        batch.add_column(sa.Column("twitch_message_id", sa.String(64), nullable=True))
        batch.add_column(sa.Column("is_moderator", sa.Boolean, nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("skipped", sa.Boolean, nullable=False, server_default=sa.false()))
    message = sa.table("message", sa.column("id", sa.Integer), sa.column("sent_by"), sa.column("sender"))
    connection = op.get_bind()
    names = connection.execute(sa.select(message.c.sent_by).distinct()).scalars().all()
    for name in names:
        connection.execute(message.update().where(message.c.sent_by == name).values(sender=_sender_key(name)))
    op.create_index("ix_message_sender_created_at", "message", ["sender", "created_at"])
    op.create_index("ix_message_twitch_message_id", "message", ["twitch_message_id"])
    op.create_table(
        "mute",
        sa.Column("user", sa.String(100), primary_key=True),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.Column("until", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "remembered_deletion",
        sa.Column("twitch_message_id", sa.String(64), primary_key=True),
        sa.Column("until", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_remembered_deletion_until", "remembered_deletion", ["until"])


def downgrade() -> None:
    """Drop them again."""
    op.drop_index("ix_remembered_deletion_until", table_name="remembered_deletion")
    op.drop_table("remembered_deletion")
    op.drop_table("mute")
    op.drop_index("ix_message_twitch_message_id", table_name="message")
    op.drop_index("ix_message_sender_created_at", table_name="message")
    with op.batch_alter_table("message") as batch:
        for name in ("skipped", "is_moderator", "twitch_message_id", "sender"):
            batch.drop_column(name)
