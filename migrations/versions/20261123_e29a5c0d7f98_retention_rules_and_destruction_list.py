"""retention rules per region and record type (versioned), the destruction list and report

Revision ID: e29a5c0d7f98
Revises: c07e3a8b5d76
Create Date: 2026-11-23 20:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e29a5c0d7f98'
down_revision = 'c07e3a8b5d76'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('retention_rules',
    sa.Column('region_id', sa.Uuid(), nullable=False),
    sa.Column('record_type', sa.String(length=40), nullable=False),
    sa.Column('version_no', sa.Integer(), nullable=False),
    sa.Column('period_months', sa.Integer(), nullable=False),
    sa.Column('trigger_kind', sa.String(length=40), nullable=False),
    sa.Column('default_unconfirmed', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('created_by_id', sa.Uuid(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint('period_months BETWEEN 1 AND 1200', name=op.f('ck_retention_rules_period_months_range')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_retention_rules_created_by_id_users')),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_retention_rules_region_id_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_retention_rules')),
    sa.UniqueConstraint('region_id', 'record_type', 'version_no', name=op.f('uq_retention_rules_region_id_record_type_version_no'))
    )
    with op.batch_alter_table('retention_rules', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_retention_rules_region_id'), ['region_id'], unique=False)

    op.create_table('destruction_entries',
    sa.Column('region_id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('rule_id', sa.Uuid(), nullable=True),
    sa.Column('record_type', sa.String(length=40), nullable=False),
    sa.Column('period_months', sa.Integer(), nullable=False),
    sa.Column('rule_unconfirmed', sa.Boolean(), nullable=False),
    sa.Column('trigger_date', sa.Date(), nullable=False),
    sa.Column('due_since', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('proposed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('proposed_by_id', sa.Uuid(), nullable=True),
    sa.Column('status_changed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('status_changed_by_id', sa.Uuid(), nullable=True),
    sa.Column('decided_by_id', sa.Uuid(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('extended_until', sa.Date(), nullable=True),
    sa.Column('withdrawn_code', sa.String(length=40), nullable=True),
    sa.Column('destroyed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('reason_enc', sa.LargeBinary(), nullable=True),
    sa.Column('lift_reason_enc', sa.LargeBinary(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_destruction_entries_decided_by_id_users')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_destruction_entries_person_id_persons')),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['users.id'], name=op.f('fk_destruction_entries_proposed_by_id_users')),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_destruction_entries_region_id_regions')),
    sa.ForeignKeyConstraint(['rule_id'], ['retention_rules.id'], name=op.f('fk_destruction_entries_rule_id_retention_rules')),
    sa.ForeignKeyConstraint(['status_changed_by_id'], ['users.id'], name=op.f('fk_destruction_entries_status_changed_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_destruction_entries'))
    )
    with op.batch_alter_table('destruction_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_destruction_entries_destroyed_at'), ['destroyed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_destruction_entries_due_since'), ['due_since'], unique=False)
        batch_op.create_index(batch_op.f('ix_destruction_entries_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_destruction_entries_region_id'), ['region_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_destruction_entries_status'), ['status'], unique=False)
        # At most one open proposal per person (a partial unique index).
        batch_op.create_index('uq_destruction_entries_open_person', ['person_id'], unique=True, sqlite_where=sa.text("status = 'voorgesteld'"), postgresql_where=sa.text("status = 'voorgesteld'"))


def downgrade():
    with op.batch_alter_table('destruction_entries', schema=None) as batch_op:
        batch_op.drop_index('uq_destruction_entries_open_person')
        batch_op.drop_index(batch_op.f('ix_destruction_entries_status'))
        batch_op.drop_index(batch_op.f('ix_destruction_entries_region_id'))
        batch_op.drop_index(batch_op.f('ix_destruction_entries_person_id'))
        batch_op.drop_index(batch_op.f('ix_destruction_entries_due_since'))
        batch_op.drop_index(batch_op.f('ix_destruction_entries_destroyed_at'))

    op.drop_table('destruction_entries')
    with op.batch_alter_table('retention_rules', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_retention_rules_region_id'))

    op.drop_table('retention_rules')
