"""Archive classes, assignments and sets; a teacher's own name for a set

Revision ID: 5b7e2c1d9a40
Revises: 3f2b9c1d7a41
Create Date: 2026-12-01 09:50:00.000000

"""
from alembic import op
import sqlalchemy as sa

import quizapp.models.types


# revision identifiers, used by Alembic.
revision = '5b7e2c1d9a40'
down_revision = '3f2b9c1d7a41'
branch_labels = None
depends_on = None


def upgrade():
    # Additive only: nullable columns, so every existing row stays as it was (nothing archived).
    with op.batch_alter_table('classroom', schema=None) as batch_op:
        batch_op.add_column(sa.Column('archived_at', quizapp.models.types.UtcDateTime(), nullable=True))
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('archived_at', quizapp.models.types.UtcDateTime(), nullable=True))
    with op.batch_alter_table('question_set', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('archived_at', quizapp.models.types.UtcDateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('question_set', schema=None) as batch_op:
        batch_op.drop_column('archived_at')
        batch_op.drop_column('name')
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.drop_column('archived_at')
    with op.batch_alter_table('classroom', schema=None) as batch_op:
        batch_op.drop_column('archived_at')
