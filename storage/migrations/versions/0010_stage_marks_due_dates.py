"""stage watermarks, milestone end dates and the indexes incremental stages query by

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 15:00:00
"""

from __future__ import annotations

from alembic import op
import sqlalchemy as sa

from alerts.periods import period_end


revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stage_marks",
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_stage_marks")),
    )
    with op.batch_alter_table("milestones", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ends_on", sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f("ix_milestones_ends_on"), ["ends_on"], unique=False)
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_projects_updated_at"), ["updated_at"], unique=False)
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_articles_published_on"), ["published_on"], unique=False)
    # existing milestones get their end date the same way new ones do (storage.models' insert listener)
    bind = op.get_bind()
    milestones = sa.table("milestones", sa.column("id", sa.Integer), sa.column("date", sa.String),
                          sa.column("ends_on", sa.Date))
    rows = bind.execute(sa.select(milestones.c.id, milestones.c.date).where(milestones.c.date.is_not(None))).all()
    for mid, when in rows:
        end = period_end(when)
        if end is not None:
            bind.execute(milestones.update().where(milestones.c.id == mid).values(ends_on=end))


def downgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_articles_published_on"))
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_projects_updated_at"))
    with op.batch_alter_table("milestones", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_milestones_ends_on"))
        batch_op.drop_column("ends_on")
    op.drop_table("stage_marks")
