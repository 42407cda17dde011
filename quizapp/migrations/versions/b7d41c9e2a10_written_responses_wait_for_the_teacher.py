"""Evidence-based reading: pending written responses, provisional scores, source citations

Revision ID: b7d41c9e2a10
Revises: 5c1f0a7d2e91
Create Date: 2026-12-01 10:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7d41c9e2a10'
down_revision = '5c1f0a7d2e91'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('attempt', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pending_points', sa.Double(), server_default='0', nullable=False))
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pending', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('source_text', schema=None) as batch_op:
        for name in ('url', 'publisher', 'author'):
            batch_op.add_column(sa.Column(name, sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('published', sa.String(length=32), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('source_text', schema=None) as batch_op:
        for name in ('published', 'author', 'publisher', 'url'):
            batch_op.drop_column(name)
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.drop_column('pending')
    with op.batch_alter_table('attempt', schema=None) as batch_op:
        batch_op.drop_column('pending_points')
