"""Remember students removed from a class, so its code does not let them back in

Revision ID: 5c1f0a7d2e91
Revises: 5b7e2c1d9a40
Create Date: 2026-12-01 09:45:00.000000

"""
from alembic import op
import sqlalchemy as sa

import quizapp.models.types


# revision identifiers, used by Alembic.
revision = '5c1f0a7d2e91'
down_revision = '5b7e2c1d9a40'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('class_removal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('classroom_id', sa.Integer(), nullable=False),
    sa.Column('student_id', sa.Integer(), nullable=False),
    sa.Column('removed_at', quizapp.models.types.UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['classroom_id'], ['classroom.id'], name=op.f('fk_class_removal_classroom_id_classroom')),
    sa.ForeignKeyConstraint(['student_id'], ['user.id'], name=op.f('fk_class_removal_student_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_class_removal')),
    sa.UniqueConstraint('classroom_id', 'student_id', name=op.f('uq_class_removal_classroom_id'))
    )
    with op.batch_alter_table('class_removal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_class_removal_classroom_id'), ['classroom_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_class_removal_student_id'), ['student_id'], unique=False)


def downgrade():
    with op.batch_alter_table('class_removal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_class_removal_student_id'))
        batch_op.drop_index(batch_op.f('ix_class_removal_classroom_id'))

    op.drop_table('class_removal')
