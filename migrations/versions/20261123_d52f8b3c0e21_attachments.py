"""attachments on a person's file: metadata (encrypted title, description, filename) and the encrypted content apart

Revision ID: d52f8b3c0e21
Revises: c41e7a2b9d10
Create Date: 2026-11-23 20:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd52f8b3c0e21'
down_revision = 'c41e7a2b9d10'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('documents',
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('region_id', sa.Uuid(), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('uploaded_by_id', sa.Uuid(), nullable=True),
    sa.Column('uploaded_by_organisation_id', sa.Uuid(), nullable=True),
    sa.Column('title_enc', sa.LargeBinary(), nullable=True),
    sa.Column('description_enc', sa.LargeBinary(), nullable=True),
    sa.Column('filename_enc', sa.LargeBinary(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_documents_person_id_persons')),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_documents_region_id_regions')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_documents_uploaded_by_id_users')),
    sa.ForeignKeyConstraint(['uploaded_by_organisation_id'], ['organisations.id'], name=op.f('fk_documents_uploaded_by_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_documents'))
    )
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_documents_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_region_id'), ['region_id'], unique=False)

    op.create_table('document_contents',
    sa.Column('document_id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('content_enc', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_document_contents_document_id_documents')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_document_contents_person_id_persons')),
    sa.PrimaryKeyConstraint('document_id', name=op.f('pk_document_contents'))
    )
    with op.batch_alter_table('document_contents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_contents_person_id'), ['person_id'], unique=False)


def downgrade():
    with op.batch_alter_table('document_contents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_contents_person_id'))

    op.drop_table('document_contents')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_documents_region_id'))
        batch_op.drop_index(batch_op.f('ix_documents_person_id'))

    op.drop_table('documents')
