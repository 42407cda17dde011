"""Uploads list the questions they skipped

Revision ID: c4f1a2b3d5e6
Revises: c4e8a1f3d2b7
Create Date: 2026-12-01 13:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4f1a2b3d5e6'
down_revision = 'c4e8a1f3d2b7'
branch_labels = None
depends_on = None


def upgrade():
    # An upload staged before this revision skipped nothing: an empty list.
    with op.batch_alter_table('pending_upload', schema=None) as batch_op:
        batch_op.add_column(sa.Column('skipped', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(
            sa.Column('skipped_count', sa.Integer(), nullable=False, server_default='0')
        )


def downgrade():
    with op.batch_alter_table('pending_upload', schema=None) as batch_op:
        batch_op.drop_column('skipped_count')
        batch_op.drop_column('skipped')
