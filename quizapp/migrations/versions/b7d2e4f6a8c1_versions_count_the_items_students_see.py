"""Versions count the items students see

Revision ID: b7d2e4f6a8c1
Revises: a3c9e7d15b20
Create Date: 2026-12-02 01:40:00.000000

"""
from alembic import context, op
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


#: Versions read and counted per short transaction while the previous release serves.
BATCH = 200


def upgrade():
    # Nullable: servers of the previous release go on inserting versions without it. A
    # version they write after the backfill below counts its questions, as they did, until
    # the set is published again; a version with no Part B has the same count either way.
    with op.batch_alter_table('question_set_version', schema=None) as batch_op:
        batch_op.add_column(sa.Column('item_count', sa.Integer(), nullable=True))
    if context.is_offline_mode():
        return  # SQL written for later (flask db upgrade --sql) has no documents to count
    # The column is committed first, so that serving waits on no lock of this migration; each
    # batch's UPDATEs then commit on their own.
    with op.get_context().autocommit_block():
        connection = op.get_bind()
        after = 0
        while True:
            rows = connection.execute(
                sa.select(VERSIONS.c.id, VERSIONS.c.document)
                .where(VERSIONS.c.item_count.is_(None), VERSIONS.c.id > after)
                .order_by(VERSIONS.c.id)
                .limit(BATCH)
            ).all()
            if not rows:
                break
            for version_id, document in rows:
                connection.execute(
                    VERSIONS.update()
                    .where(VERSIONS.c.id == version_id)
                    .values(item_count=_item_count(document))
                )
            after = rows[-1][0]


def downgrade():
    with op.batch_alter_table('question_set_version', schema=None) as batch_op:
        batch_op.drop_column('item_count')
