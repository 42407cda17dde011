"""Count throttling events per key (device, account and address pair, address, registration, join code)

Revision ID: 3f2b9c1d7a41
Revises: 5d7a4c1e9b20
Create Date: 2026-12-01 09:45:00.000000

"""
from alembic import op
import sqlalchemy as sa

import quizapp.models.types


# revision identifiers, used by Alembic.
revision = '3f2b9c1d7a41'
down_revision = '5d7a4c1e9b20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('throttle_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('account', sa.String(length=64), nullable=False),
    sa.Column('member', sa.String(length=64), nullable=False),
    sa.Column('created_at', quizapp.models.types.UtcDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_throttle_event'))
    )
    with op.batch_alter_table('throttle_event', schema=None) as batch_op:
        batch_op.create_index('ix_throttle_event_account', ['account'], unique=False)
        batch_op.create_index('ix_throttle_event_key_at', ['key', 'created_at'], unique=False)
    # Failures counted the old way expire within minutes anyway: nothing worth carrying over.
    with op.batch_alter_table('login_failure', schema=None) as batch_op:
        batch_op.drop_index('ix_login_failure_address_at')
        batch_op.drop_index('ix_login_failure_account_at')
    op.drop_table('login_failure')


def downgrade():
    op.create_table('login_failure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account', sa.String(length=64), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('created_at', quizapp.models.types.UtcDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_failure'))
    )
    with op.batch_alter_table('login_failure', schema=None) as batch_op:
        batch_op.create_index('ix_login_failure_account_at', ['account', 'created_at'], unique=False)
        batch_op.create_index('ix_login_failure_address_at', ['address', 'created_at'], unique=False)
    with op.batch_alter_table('throttle_event', schema=None) as batch_op:
        batch_op.drop_index('ix_throttle_event_key_at')
        batch_op.drop_index('ix_throttle_event_account')
    op.drop_table('throttle_event')
