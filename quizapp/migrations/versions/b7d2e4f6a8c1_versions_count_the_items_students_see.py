"""Versions count the items students see

Revision ID: b7d2e4f6a8c1
Revises: a3c9e7d15b20
Create Date: 2026-12-02 01:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7d2e4f6a8c1'
down_revision = 'a3c9e7d15b20'
branch_labels = None
depends_on = None

VERSIONS = sa.table(
    'question_set_version',
    sa.column('id', sa.Integer),
    sa.column('document', sa.JSON),
    sa.column('item_count', sa.Integer),
)


def _item_count(document):
    """Items as the quiz pages them (domain.selection.question_items, written out here so this
    step keeps its meaning when that code changes): a Part B joins its Part A."""
    seen = set()
    count = 0
    for question in (document or {}).get('questions') or []:
        if not isinstance(question, dict):
            continue
        part_of = question.get('part_of')
        if not (part_of and part_of in seen):
            count += 1
            seen.add(question.get('id'))
    return count


def upgrade():
    # Nullable: servers of the previous release keep inserting versions while this runs; their
    # versions count their questions until a later step or publish fills the column.
    with op.batch_alter_table('question_set_version', schema=None) as batch_op:
        batch_op.add_column(sa.Column('item_count', sa.Integer(), nullable=True))
    connection = op.get_bind()
    ids = connection.scalars(
        sa.select(VERSIONS.c.id).where(VERSIONS.c.item_count.is_(None)).order_by(VERSIONS.c.id)
    ).all()
    for version_id in ids:  # one document at a time: a district's versions may be many
        document = connection.scalar(
            sa.select(VERSIONS.c.document).where(VERSIONS.c.id == version_id)
        )
        connection.execute(
            VERSIONS.update()
            .where(VERSIONS.c.id == version_id)
            .values(item_count=_item_count(document))
        )


def downgrade():
    with op.batch_alter_table('question_set_version', schema=None) as batch_op:
        batch_op.drop_column('item_count')
