"""plan reviews at the Levenslooptafel, the review interval per region, the review schedule

Revision ID: e63a9c4d1f32
Revises: d52f8b3c0e21
Create Date: 2026-11-23 18:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e63a9c4d1f32'
down_revision = 'd52f8b3c0e21'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('review_settings',
    sa.Column('region_id', sa.Uuid(), nullable=False),
    sa.Column('interval_months', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Uuid(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint('interval_months BETWEEN 1 AND 12', name=op.f('ck_review_settings_interval_months_range')),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_review_settings_region_id_regions')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_review_settings_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_settings')),
    sa.UniqueConstraint('region_id', name=op.f('uq_review_settings_region_id'))
    )

    op.create_table('plan_reviews',
    sa.Column('trajectory_id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('region_id', sa.Uuid(), nullable=False),
    sa.Column('plan_id', sa.Uuid(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('decision', sa.String(length=30), nullable=False),
    sa.Column('next_review_on', sa.Date(), nullable=False),
    sa.Column('attendees', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Uuid(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('attendee_persons_enc', sa.LargeBinary(), nullable=True),
    sa.Column('motivation_enc', sa.LargeBinary(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_plan_reviews_person_id_persons')),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_plan_reviews_plan_id_plans')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_plan_reviews_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_plan_reviews_region_id_regions')),
    sa.ForeignKeyConstraint(['trajectory_id'], ['trajectories.id'], name=op.f('fk_plan_reviews_trajectory_id_trajectories')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_reviews')),
    sa.UniqueConstraint('trajectory_id', 'held_on', name=op.f('uq_plan_reviews_trajectory_id_held_on'))
    )
    with op.batch_alter_table('plan_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_reviews_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_reviews_region_id'), ['region_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_reviews_trajectory_id'), ['trajectory_id'], unique=False)

    op.create_table('plan_review_domains',
    sa.Column('review_id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('domain', sa.String(length=20), nullable=False),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('progress_enc', sa.LargeBinary(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_plan_review_domains_person_id_persons')),
    sa.ForeignKeyConstraint(['review_id'], ['plan_reviews.id'], name=op.f('fk_plan_review_domains_review_id_plan_reviews')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_review_domains')),
    sa.UniqueConstraint('review_id', 'domain', name=op.f('uq_plan_review_domains_review_id_domain'))
    )
    with op.batch_alter_table('plan_review_domains', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_review_domains_review_id'), ['review_id'], unique=False)

    op.create_table('review_schedule',
    sa.Column('trajectory_id', sa.Uuid(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('basis', sa.String(length=20), nullable=False),
    sa.Column('basis_on', sa.Date(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['trajectory_id'], ['trajectories.id'], name=op.f('fk_review_schedule_trajectory_id_trajectories')),
    sa.PrimaryKeyConstraint('trajectory_id', name=op.f('pk_review_schedule'))
    )
    with op.batch_alter_table('review_schedule', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_schedule_due_on'), ['due_on'], unique=False)


def downgrade():
    with op.batch_alter_table('review_schedule', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_schedule_due_on'))

    op.drop_table('review_schedule')
    with op.batch_alter_table('plan_review_domains', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_review_domains_review_id'))

    op.drop_table('plan_review_domains')
    with op.batch_alter_table('plan_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_reviews_trajectory_id'))
        batch_op.drop_index(batch_op.f('ix_plan_reviews_region_id'))
        batch_op.drop_index(batch_op.f('ix_plan_reviews_person_id'))

    op.drop_table('plan_reviews')
    op.drop_table('review_settings')
