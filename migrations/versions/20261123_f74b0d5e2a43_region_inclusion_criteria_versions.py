"""the region's own inclusion criteria, versioned (decisions point at the version that applied); the person's network

Revision ID: f74b0d5e2a43
Revises: f28387a44fda
Create Date: 2026-11-23 19:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f74b0d5e2a43'
down_revision = 'f28387a44fda'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('region_criteria_sets',
    sa.Column('region_id', sa.Uuid(), nullable=False),
    sa.Column('version_no', sa.Integer(), nullable=False),
    sa.Column('criteria', sa.Text(), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('created_by_id', sa.Uuid(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_region_criteria_sets_created_by_id_users')),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_region_criteria_sets_region_id_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_region_criteria_sets')),
    sa.UniqueConstraint('region_id', 'version_no', name=op.f('uq_region_criteria_sets_region_id_version_no'))
    )
    with op.batch_alter_table('region_criteria_sets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_region_criteria_sets_region_id'), ['region_id'], unique=False)

    with op.batch_alter_table('inclusion_decisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('criteria_set_id', sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_inclusion_decisions_criteria_set_id_region_criteria_sets'), 'region_criteria_sets', ['criteria_set_id'], ['id'])

    op.create_table('network_contacts',
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('relation', sa.String(length=20), nullable=False),
    sa.Column('supportive', sa.Boolean(), nullable=True),
    sa.Column('since', sa.Date(), nullable=True),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Uuid(), nullable=True),
    sa.Column('name_enc', sa.LargeBinary(), nullable=True),
    sa.Column('reach_enc', sa.LargeBinary(), nullable=True),
    sa.Column('note_enc', sa.LargeBinary(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_network_contacts_created_by_id_users')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_network_contacts_person_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_network_contacts'))
    )
    with op.batch_alter_table('network_contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_network_contacts_person_id'), ['person_id'], unique=False)


def downgrade():
    with op.batch_alter_table('network_contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_network_contacts_person_id'))

    op.drop_table('network_contacts')
    with op.batch_alter_table('inclusion_decisions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_inclusion_decisions_criteria_set_id_region_criteria_sets'), type_='foreignkey')
        batch_op.drop_column('criteria_set_id')

    with op.batch_alter_table('region_criteria_sets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_region_criteria_sets_region_id'))

    op.drop_table('region_criteria_sets')
