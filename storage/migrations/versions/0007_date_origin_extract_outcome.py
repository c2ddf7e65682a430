"""article date origin; page extraction outcome, its cause and the extractor version (retried on a change)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 14:30:00
"""

from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("date_origin", sa.String(length=10), nullable=True))
    with op.batch_alter_table("pages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("extract_status", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("extract_note", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("extractor_version", sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pages", schema=None) as batch_op:
        batch_op.drop_column("extractor_version")
        batch_op.drop_column("extract_note")
        batch_op.drop_column("extract_status")
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_column("date_origin")
