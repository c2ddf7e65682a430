"""project_keys: blocking keys of the live projects, so resolution looks candidates up instead of scanning

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 14:30:00
"""

from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "project_keys",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("city", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"], name=op.f("fk_project_keys_project_id_projects"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("project_id", "key", name=op.f("pk_project_keys")),
    )
    with op.batch_alter_table("project_keys", schema=None) as batch_op:
        batch_op.create_index("ix_project_keys_city_key", ["city", "key"], unique=False)
        batch_op.create_index(batch_op.f("ix_project_keys_key"), ["key"], unique=False)
    # existing databases: key every live project now (the keys come from the same code resolution uses)
    from storage.project_keys import rebuild

    rebuild(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table("project_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_keys_key"))
        batch_op.drop_index("ix_project_keys_city_key")
    op.drop_table("project_keys")
