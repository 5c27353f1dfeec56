"""Persist exit timeouts and cancel reasons

Exit timeouts were counted in memory, so a restart reset `exit_timeout_count`; and the reason
the bot cancelled an order was not kept.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 04:08:22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ft_cancel_reason", sa.String(length=255), nullable=True))
    with op.batch_alter_table("trades", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("exit_timeout_count", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("trades", schema=None) as batch_op:
        batch_op.drop_column("exit_timeout_count")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_column("ft_cancel_reason")
