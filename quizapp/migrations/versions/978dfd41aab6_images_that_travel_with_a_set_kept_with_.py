"""Images that travel with a set, kept with its upload or version

Revision ID: 978dfd41aab6
Revises: c4f1a2b3d5e6
Create Date: 2026-12-01 12:31:55.701172

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '978dfd41aab6'
down_revision = 'c4f1a2b3d5e6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('set_image',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=True),
    sa.Column('upload_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('content_type', sa.String(length=32), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['upload_id'], ['pending_upload.id'], name=op.f('fk_set_image_upload_id_pending_upload'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['question_set_version.id'], name=op.f('fk_set_image_version_id_question_set_version'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_set_image')),
    sa.UniqueConstraint('upload_id', 'name', name=op.f('uq_set_image_upload_id')),
    sa.UniqueConstraint('version_id', 'name', name=op.f('uq_set_image_version_id'))
    )
    with op.batch_alter_table('set_image', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_set_image_upload_id'), ['upload_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_set_image_version_id'), ['version_id'], unique=False)



def downgrade():
    with op.batch_alter_table('set_image', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_set_image_version_id'))
        batch_op.drop_index(batch_op.f('ix_set_image_upload_id'))

    op.drop_table('set_image')
