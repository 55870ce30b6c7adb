"""legal titles with types as data, extensions, placements and refusals

Revision ID: c41e7a2b9d10
Revises: f74b0d5e2a43
Create Date: 2026-11-23 18:05:00.000000

"""
from alembic import op
import sqlalchemy as sa

# The one list of title types; a pure data module without Flask or database imports.
from levensloop.titles.types import TITLE_TYPES


# revision identifiers, used by Alembic.
revision = 'c41e7a2b9d10'
down_revision = 'f74b0d5e2a43'
branch_labels = None
depends_on = None


def upgrade():
    title_types = op.create_table('title_types',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('legal_basis', sa.String(length=200), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('default_months', sa.Integer(), nullable=True),
    sa.Column('default_weeks', sa.Integer(), nullable=True),
    sa.Column('extension_months', sa.Integer(), nullable=True),
    sa.Column('max_months', sa.Integer(), nullable=True),
    sa.Column('max_weeks', sa.Integer(), nullable=True),
    sa.Column('wvggz_rule', sa.Boolean(), nullable=False),
    sa.Column('verified', sa.Boolean(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=True),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_title_types'))
    )
    op.bulk_insert(title_types, [spec.as_row() for spec in TITLE_TYPES])

    op.create_table('legal_titles',
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('region_id', sa.Uuid(), nullable=False),
    sa.Column('type_code', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('status_changed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('status_changed_by_id', sa.Uuid(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('expected_end', sa.Date(), nullable=True),
    sa.Column('maximum_end', sa.Date(), nullable=True),
    sa.Column('conditionally_ended_on', sa.Date(), nullable=True),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('executor_organisation_id', sa.Uuid(), nullable=True),
    sa.Column('financier', sa.String(length=20), nullable=True),
    sa.Column('supervisor', sa.String(length=20), nullable=True),
    sa.Column('created_by_id', sa.Uuid(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('conditions_enc', sa.LargeBinary(), nullable=True),
    sa.Column('legal_basis_note_enc', sa.LargeBinary(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_legal_titles_created_by_id_users')),
    sa.ForeignKeyConstraint(['executor_organisation_id'], ['organisations.id'], name=op.f('fk_legal_titles_executor_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_legal_titles_person_id_persons')),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_legal_titles_region_id_regions')),
    sa.ForeignKeyConstraint(['status_changed_by_id'], ['users.id'], name=op.f('fk_legal_titles_status_changed_by_id_users')),
    sa.ForeignKeyConstraint(['type_code'], ['title_types.code'], name=op.f('fk_legal_titles_type_code_title_types')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_legal_titles'))
    )
    with op.batch_alter_table('legal_titles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_legal_titles_expected_end'), ['expected_end'], unique=False)
        batch_op.create_index(batch_op.f('ix_legal_titles_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_legal_titles_region_id'), ['region_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_legal_titles_type_code'), ['type_code'], unique=False)

    op.create_table('title_extensions',
    sa.Column('title_id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('previous_end', sa.Date(), nullable=True),
    sa.Column('new_end', sa.Date(), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Uuid(), nullable=True),
    sa.Column('note_enc', sa.LargeBinary(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_title_extensions_created_by_id_users')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_title_extensions_person_id_persons')),
    sa.ForeignKeyConstraint(['title_id'], ['legal_titles.id'], name=op.f('fk_title_extensions_title_id_legal_titles')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_title_extensions'))
    )
    with op.batch_alter_table('title_extensions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_title_extensions_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_title_extensions_title_id'), ['title_id'], unique=False)

    op.create_table('placements',
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('region_id', sa.Uuid(), nullable=False),
    sa.Column('provider_organisation_id', sa.Uuid(), nullable=True),
    sa.Column('setting', sa.String(length=20), nullable=False),
    sa.Column('security_level', sa.Integer(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Uuid(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('provider_name_enc', sa.LargeBinary(), nullable=True),
    sa.Column('end_reason_enc', sa.LargeBinary(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_placements_created_by_id_users')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_placements_person_id_persons')),
    sa.ForeignKeyConstraint(['provider_organisation_id'], ['organisations.id'], name=op.f('fk_placements_provider_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_placements_region_id_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_placements'))
    )
    with op.batch_alter_table('placements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_placements_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_placements_region_id'), ['region_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_placements_start_date'), ['start_date'], unique=False)

    op.create_table('placement_refusals',
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('region_id', sa.Uuid(), nullable=False),
    sa.Column('provider_organisation_id', sa.Uuid(), nullable=True),
    sa.Column('setting', sa.String(length=20), nullable=False),
    sa.Column('security_level', sa.Integer(), nullable=False),
    sa.Column('refused_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Uuid(), nullable=True),
    sa.Column('provider_name_enc', sa.LargeBinary(), nullable=True),
    sa.Column('reason_enc', sa.LargeBinary(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_placement_refusals_created_by_id_users')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_placement_refusals_person_id_persons')),
    sa.ForeignKeyConstraint(['provider_organisation_id'], ['organisations.id'], name=op.f('fk_placement_refusals_provider_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_placement_refusals_region_id_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_placement_refusals'))
    )
    with op.batch_alter_table('placement_refusals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_placement_refusals_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_placement_refusals_refused_on'), ['refused_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_placement_refusals_region_id'), ['region_id'], unique=False)


def downgrade():
    with op.batch_alter_table('placement_refusals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_placement_refusals_region_id'))
        batch_op.drop_index(batch_op.f('ix_placement_refusals_refused_on'))
        batch_op.drop_index(batch_op.f('ix_placement_refusals_person_id'))

    op.drop_table('placement_refusals')
    with op.batch_alter_table('placements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_placements_start_date'))
        batch_op.drop_index(batch_op.f('ix_placements_region_id'))
        batch_op.drop_index(batch_op.f('ix_placements_person_id'))

    op.drop_table('placements')
    with op.batch_alter_table('title_extensions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_title_extensions_title_id'))
        batch_op.drop_index(batch_op.f('ix_title_extensions_person_id'))

    op.drop_table('title_extensions')
    with op.batch_alter_table('legal_titles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_legal_titles_type_code'))
        batch_op.drop_index(batch_op.f('ix_legal_titles_region_id'))
        batch_op.drop_index(batch_op.f('ix_legal_titles_person_id'))
        batch_op.drop_index(batch_op.f('ix_legal_titles_expected_end'))

    op.drop_table('legal_titles')
    op.drop_table('title_types')
