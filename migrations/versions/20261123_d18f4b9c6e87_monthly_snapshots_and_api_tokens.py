"""monthly snapshots with revisions and their cells; API tokens (hashed, scoped, expiring)

Revision ID: d18f4b9c6e87
Revises: e29a5c0d7f98
Create Date: 2026-11-23 21:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd18f4b9c6e87'
down_revision = 'e29a5c0d7f98'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('report_snapshots',
    sa.Column('region_id', sa.Uuid(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=True),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_report_snapshots_created_by_id_users')),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_report_snapshots_region_id_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_snapshots')),
    sa.UniqueConstraint('region_id', 'month', 'revision', name=op.f('uq_report_snapshots_region_id_month_revision'))
    )
    with op.batch_alter_table('report_snapshots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_snapshots_month'), ['month'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_snapshots_region_id'), ['region_id'], unique=False)

    op.create_table('report_cells',
    sa.Column('snapshot_id', sa.Uuid(), nullable=False),
    sa.Column('measure', sa.String(length=40), nullable=False),
    sa.Column('dimension', sa.String(length=60), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['snapshot_id'], ['report_snapshots.id'], name=op.f('fk_report_cells_snapshot_id_report_snapshots')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_cells')),
    sa.UniqueConstraint('snapshot_id', 'measure', 'dimension', name=op.f('uq_report_cells_snapshot_id_measure_dimension'))
    )
    with op.batch_alter_table('report_cells', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_cells_snapshot_id'), ['snapshot_id'], unique=False)

    op.create_table('api_tokens',
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('managed_region_id', sa.Uuid(), nullable=False),
    sa.Column('region_id', sa.Uuid(), nullable=True),
    sa.Column('scopes', sa.String(length=200), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('token_prefix', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Uuid(), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_by_id', sa.Uuid(), nullable=True),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_api_tokens_created_by_id_users')),
    sa.ForeignKeyConstraint(['managed_region_id'], ['regions.id'], name=op.f('fk_api_tokens_managed_region_id_regions')),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_api_tokens_region_id_regions')),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['users.id'], name=op.f('fk_api_tokens_revoked_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_managed_region_id'), ['managed_region_id'], unique=False)


def downgrade():
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_managed_region_id'))

    op.drop_table('api_tokens')
    with op.batch_alter_table('report_cells', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_cells_snapshot_id'))

    op.drop_table('report_cells')
    with op.batch_alter_table('report_snapshots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_snapshots_region_id'))
        batch_op.drop_index(batch_op.f('ix_report_snapshots_month'))

    op.drop_table('report_snapshots')
