"""warm handovers between titles, organisations, coordinators and regions

Revision ID: c07e3a8b5d76
Revises: b96d2f7a4c65
Create Date: 2026-11-23 19:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c07e3a8b5d76'
down_revision = 'b96d2f7a4c65'
branch_labels = None
# The links to predecessor and successor titles need the legal_titles table.
depends_on = None

# The checklist of DOMAIN.md §5 (the same list as levensloop.handovers.states.CHECKLIST).
CHECKLIST = (
    'behandelhistorie',
    'risicotaxatie_signaleringsplan',
    'levensloopplan',
    'netwerk_contacten',
    'zorg_medicatie',
    'financiering_indicatie',
    'warme_kennismaking',
)
INDEXED = (
    'due_date',
    'person_id',
    'region_id',
    'status',
    'to_organisation_id',
    'to_region_id',
    'to_user_id',
    'trajectory_id',
)
USER_COLUMNS = (
    'status_changed_by_id',
    'from_user_id',
    'to_user_id',
    'created_by_id',
    'offered_by_id',
    'accepted_by_id',
    'completed_by_id',
    'rejected_by_id',
    'withdrawn_by_id',
) + tuple(f'{item}_by_id' for item in CHECKLIST)


def upgrade():
    checklist_columns = []
    for item in CHECKLIST:
        checklist_columns += [
            sa.Column(item, sa.Boolean(), nullable=False),
            sa.Column(f'{item}_by_id', sa.Uuid(), nullable=True),
            sa.Column(f'{item}_at', sa.DateTime(timezone=True), nullable=True),
        ]
    user_keys = [
        sa.ForeignKeyConstraint(
            [column], ['users.id'], name=op.f(f'fk_handovers_{column}_users')
        )
        for column in USER_COLUMNS
    ]
    op.create_table('handovers',
    sa.Column('region_id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('trajectory_id', sa.Uuid(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('status_changed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('status_changed_by_id', sa.Uuid(), nullable=True),
    sa.Column('from_organisation_id', sa.Uuid(), nullable=True),
    sa.Column('to_organisation_id', sa.Uuid(), nullable=True),
    sa.Column('from_user_id', sa.Uuid(), nullable=True),
    sa.Column('to_user_id', sa.Uuid(), nullable=True),
    sa.Column('from_region_id', sa.Uuid(), nullable=True),
    sa.Column('to_region_id', sa.Uuid(), nullable=True),
    sa.Column('predecessor_title_id', sa.Uuid(), nullable=True),
    sa.Column('successor_title_id', sa.Uuid(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('created_by_id', sa.Uuid(), nullable=True),
    sa.Column('offered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('offered_by_id', sa.Uuid(), nullable=True),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('accepted_by_id', sa.Uuid(), nullable=True),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('completed_by_id', sa.Uuid(), nullable=True),
    sa.Column('rejected_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('rejected_by_id', sa.Uuid(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_by_id', sa.Uuid(), nullable=True),
    *checklist_columns,
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('reject_reason_enc', sa.LargeBinary(), nullable=True),
    sa.Column('note_enc', sa.LargeBinary(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['from_organisation_id'], ['organisations.id'], name=op.f('fk_handovers_from_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['from_region_id'], ['regions.id'], name=op.f('fk_handovers_from_region_id_regions')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_handovers_person_id_persons')),
    sa.ForeignKeyConstraint(['predecessor_title_id'], ['legal_titles.id'], name=op.f('fk_handovers_predecessor_title_id_legal_titles')),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_handovers_region_id_regions')),
    sa.ForeignKeyConstraint(['successor_title_id'], ['legal_titles.id'], name=op.f('fk_handovers_successor_title_id_legal_titles')),
    sa.ForeignKeyConstraint(['to_organisation_id'], ['organisations.id'], name=op.f('fk_handovers_to_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['to_region_id'], ['regions.id'], name=op.f('fk_handovers_to_region_id_regions')),
    sa.ForeignKeyConstraint(['trajectory_id'], ['trajectories.id'], name=op.f('fk_handovers_trajectory_id_trajectories')),
    *user_keys,
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handovers'))
    )
    with op.batch_alter_table('handovers', schema=None) as batch_op:
        for column in INDEXED:
            batch_op.create_index(batch_op.f(f'ix_handovers_{column}'), [column], unique=False)


def downgrade():
    with op.batch_alter_table('handovers', schema=None) as batch_op:
        for column in INDEXED:
            batch_op.drop_index(batch_op.f(f'ix_handovers_{column}'))

    op.drop_table('handovers')
