"""Questions drafted from an article await the teacher's review; speaker corrections

Revision ID: d9b3e5f1a7c4
Revises: 5696212c89b6
Create Date: 2026-12-01 12:55:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd9b3e5f1a7c4'
down_revision = '5696212c89b6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('draft_proposal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('draft_set_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('questions', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['draft_set_id'], ['draft_set.id'], name=op.f('fk_draft_proposal_draft_set_id_draft_set'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draft_proposal')),
    sa.UniqueConstraint('draft_set_id', 'position', name=op.f('uq_draft_proposal_draft_set_id'))
    )
    op.create_table('speaker_correction',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('draft_set_id', sa.Integer(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('quote', sa.Text(), nullable=False),
    sa.Column('speaker', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['draft_set_id'], ['draft_set.id'], name=op.f('fk_speaker_correction_draft_set_id_draft_set'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_speaker_correction')),
    sa.UniqueConstraint('draft_set_id', 'start', name=op.f('uq_speaker_correction_draft_set_id'))
    )


def downgrade():
    op.drop_table('speaker_correction')
    op.drop_table('draft_proposal')
