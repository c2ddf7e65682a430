"""run owner (pid, host), alert claims by run and re-send count, article parse flags

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 10:00:00
"""

from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pid", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("host", sa.String(length=255), nullable=True))
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claimed_by_run", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("resends", sa.Integer(), server_default="0", nullable=False))
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("parse_flags", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_column("parse_flags")
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_column("resends")
        batch_op.drop_column("claimed_by_run")
    with op.batch_alter_table("runs", schema=None) as batch_op:
        batch_op.drop_column("host")
        batch_op.drop_column("pid")
