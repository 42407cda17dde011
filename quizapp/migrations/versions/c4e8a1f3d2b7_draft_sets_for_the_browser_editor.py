"""Draft sets written in the browser editor

Revision ID: c4e8a1f3d2b7
Revises: c4e8a1f05b3d
Create Date: 2026-12-01 12:40:00.000000

"""
from alembic import op
import sqlalchemy as sa

import quizapp.models.types


# revision identifiers, used by Alembic.
revision = 'c4e8a1f3d2b7'
down_revision = 'c4e8a1f05b3d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('draft_set',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('set_id', sa.String(length=64), nullable=True),
    sa.Column('based_on_version_id', sa.Integer(), nullable=True),
    sa.Column('document', sa.JSON(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('created_at', quizapp.models.types.UtcDateTime(), nullable=False),
    sa.Column('updated_at', quizapp.models.types.UtcDateTime(), nullable=False),
    sa.Column('published_at', quizapp.models.types.UtcDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['based_on_version_id'], ['question_set_version.id'], name=op.f('fk_draft_set_based_on_version_id_question_set_version')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_draft_set_owner_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draft_set'))
    )
    with op.batch_alter_table('draft_set', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_draft_set_based_on_version_id'), ['based_on_version_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_draft_set_owner_id'), ['owner_id'], unique=False)


def downgrade():
    with op.batch_alter_table('draft_set', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_draft_set_owner_id'))
        batch_op.drop_index(batch_op.f('ix_draft_set_based_on_version_id'))
    op.drop_table('draft_set')
