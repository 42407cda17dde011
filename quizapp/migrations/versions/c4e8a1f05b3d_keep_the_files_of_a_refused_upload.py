"""Keep the files of a refused upload for the teacher's next try

Revision ID: c4e8a1f05b3d
Revises: 7ad3566dc69a
Create Date: 2026-12-01 12:45:00.000000

"""
from alembic import op
import sqlalchemy as sa

import quizapp.models.types


# revision identifiers, used by Alembic.
revision = 'c4e8a1f05b3d'
down_revision = '7ad3566dc69a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('held_upload_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('teacher_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', quizapp.models.types.UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['teacher_id'], ['user.id'], name=op.f('fk_held_upload_file_teacher_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_held_upload_file'))
    )
    with op.batch_alter_table('held_upload_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_held_upload_file_teacher_id'), ['teacher_id'], unique=False)


def downgrade():
    with op.batch_alter_table('held_upload_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_held_upload_file_teacher_id'))

    op.drop_table('held_upload_file')
