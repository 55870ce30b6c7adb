"""escalation route: levels per region with response times in werkdagen, escalations

Revision ID: a85c1e6f3b54
Revises: e63a9c4d1f32
Create Date: 2026-11-23 19:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a85c1e6f3b54'
down_revision = 'e63a9c4d1f32'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('escalation_levels',
    sa.Column('region_id', sa.Uuid(), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('response_days', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Uuid(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint('level BETWEEN 0 AND 3', name=op.f('ck_escalation_levels_level_range')),
    sa.CheckConstraint('response_days BETWEEN 1 AND 120', name=op.f('ck_escalation_levels_response_days_range')),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_escalation_levels_region_id_regions')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_escalation_levels_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_escalation_levels')),
    sa.UniqueConstraint('region_id', 'level', name=op.f('uq_escalation_levels_region_id_level'))
    )
    with op.batch_alter_table('escalation_levels', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_escalation_levels_region_id'), ['region_id'], unique=False)

    op.create_table('escalations',
    sa.Column('region_id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=40), nullable=False),
    sa.Column('level3_type', sa.String(length=40), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('status_changed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('status_changed_by_id', sa.Uuid(), nullable=True),
    sa.Column('owner_organisation_id', sa.Uuid(), nullable=False),
    sa.Column('owner_user_id', sa.Uuid(), nullable=True),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('opened_by_id', sa.Uuid(), nullable=True),
    sa.Column('initial_due_date', sa.Date(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('suspended_until', sa.Date(), nullable=True),
    sa.Column('extended_on', sa.Date(), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('parent_id', sa.Uuid(), nullable=True),
    sa.Column('handover_id', sa.Uuid(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('description_enc', sa.LargeBinary(), nullable=True),
    sa.Column('suspension_reason_enc', sa.LargeBinary(), nullable=True),
    sa.Column('extension_reason_enc', sa.LargeBinary(), nullable=True),
    sa.Column('outcome_enc', sa.LargeBinary(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('level BETWEEN 0 AND 3', name=op.f('ck_escalations_level_range')),
    sa.ForeignKeyConstraint(['opened_by_id'], ['users.id'], name=op.f('fk_escalations_opened_by_id_users')),
    sa.ForeignKeyConstraint(['owner_organisation_id'], ['organisations.id'], name=op.f('fk_escalations_owner_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['owner_user_id'], ['users.id'], name=op.f('fk_escalations_owner_user_id_users')),
    sa.ForeignKeyConstraint(['parent_id'], ['escalations.id'], name=op.f('fk_escalations_parent_id_escalations')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_escalations_person_id_persons')),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_escalations_region_id_regions')),
    sa.ForeignKeyConstraint(['status_changed_by_id'], ['users.id'], name=op.f('fk_escalations_status_changed_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_escalations'))
    )
    with op.batch_alter_table('escalations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_escalations_due_date'), ['due_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_escalations_handover_id'), ['handover_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_escalations_owner_organisation_id'), ['owner_organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_escalations_owner_user_id'), ['owner_user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_escalations_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_escalations_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_escalations_region_id'), ['region_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_escalations_status'), ['status'], unique=False)


def downgrade():
    with op.batch_alter_table('escalations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_escalations_status'))
        batch_op.drop_index(batch_op.f('ix_escalations_region_id'))
        batch_op.drop_index(batch_op.f('ix_escalations_person_id'))
        batch_op.drop_index(batch_op.f('ix_escalations_parent_id'))
        batch_op.drop_index(batch_op.f('ix_escalations_owner_user_id'))
        batch_op.drop_index(batch_op.f('ix_escalations_owner_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_escalations_handover_id'))
        batch_op.drop_index(batch_op.f('ix_escalations_due_date'))

    op.drop_table('escalations')
    with op.batch_alter_table('escalation_levels', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_escalation_levels_region_id'))

    op.drop_table('escalation_levels')
