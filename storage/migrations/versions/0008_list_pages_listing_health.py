"""list pages kept pending after a failure; listing counts and error causes in source health

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 14:30:00
"""

from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "list_pages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("page_no", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("first_failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name=op.f("fk_list_pages_run_id_runs")),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], name=op.f("fk_list_pages_source_id_sources")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_list_pages")),
        sa.UniqueConstraint("source_id", "url", name=op.f("uq_list_pages_source_id_url")),
    )
    with op.batch_alter_table("list_pages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_list_pages_source_id"), ["source_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_list_pages_status"), ["status"], unique=False)
    with op.batch_alter_table("source_health", schema=None) as batch_op:
        batch_op.add_column(sa.Column("listings_ok", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("listings_failed", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("error_causes", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("source_health", schema=None) as batch_op:
        batch_op.drop_column("error_causes")
        batch_op.drop_column("listings_failed")
        batch_op.drop_column("listings_ok")
    with op.batch_alter_table("list_pages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_list_pages_status"))
        batch_op.drop_index(batch_op.f("ix_list_pages_source_id"))
    op.drop_table("list_pages")
