"""Set ids per teacher: unique per owner, and among shipped sets

Revision ID: 5d7a4c1e9b20
Revises: ebb2a0c2c6ae
Create Date: 2026-12-01 10:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5d7a4c1e9b20'
down_revision = 'ebb2a0c2c6ae'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('question_set', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_question_set_slug'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_question_set_owner_id'), ['owner_id', 'slug'])
        batch_op.create_index(batch_op.f('ix_question_set_slug'), ['slug'], unique=False)
        batch_op.create_index(
            'uq_question_set_shipped_slug',
            ['slug'],
            unique=True,
            sqlite_where=sa.text('owner_id IS NULL'),
            postgresql_where=sa.text('owner_id IS NULL'),
        )


def downgrade():
    # Fails while two teachers hold the same id, as it must: one of them would lose their set.
    with op.batch_alter_table('question_set', schema=None) as batch_op:
        batch_op.drop_index('uq_question_set_shipped_slug')
        batch_op.drop_index(batch_op.f('ix_question_set_slug'))
        batch_op.drop_constraint(batch_op.f('uq_question_set_owner_id'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_question_set_slug'), ['slug'])
