"""audit log: NEN 7513 fields and hash chain

Revision ID: 5d73fdb75fa1
Revises: 6fa055c1043b
Create Date: 2026-11-23 16:07:51.758257

"""
import datetime
import hashlib
import json

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5d73fdb75fa1'
down_revision = '6fa055c1043b'
branch_labels = None
depends_on = None


GENESIS = "0" * 64
CONTENT_FIELDS = ("id", "occurred_at", "event_type", "outcome", "actor_user_id", "actor_organisation_id",
                  "actor_roles", "on_behalf_of_user_id", "region_id", "person_id", "categories", "purpose",
                  "legal_basis", "object_type", "object_id", "access_point", "details", "chain_seq")

events = sa.table(
    "audit_events",
    sa.column("seq", sa.Integer), sa.column("id", sa.Uuid), sa.column("occurred_at", sa.DateTime(timezone=True)),
    sa.column("event_type", sa.String), sa.column("outcome", sa.String), sa.column("actor_user_id", sa.Uuid),
    sa.column("actor_organisation_id", sa.Uuid), sa.column("actor_roles", sa.String),
    sa.column("on_behalf_of_user_id", sa.Uuid), sa.column("region_id", sa.Uuid), sa.column("person_id", sa.Uuid),
    sa.column("categories", sa.String), sa.column("purpose", sa.String), sa.column("legal_basis", sa.String),
    sa.column("object_type", sa.String), sa.column("object_id", sa.String), sa.column("access_point", sa.String),
    sa.column("details", sa.JSON), sa.column("chain_seq", sa.Integer), sa.column("prev_hash", sa.String),
    sa.column("hash", sa.String),
)
head = sa.table("audit_chain_head", sa.column("id", sa.Integer), sa.column("seq", sa.Integer),
                sa.column("hash", sa.String))


def _canonical(row, chain_seq):
    """The chain's canonical form as of this revision (kept here so later code changes do not
    change what this migration wrote)."""
    content = {}
    for name in CONTENT_FIELDS:
        value = chain_seq if name == "chain_seq" else row._mapping[name]
        if name == "occurred_at":
            if value.tzinfo is None:
                value = value.replace(tzinfo=datetime.timezone.utc)
            value = value.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        elif value is not None and name != "details" and not isinstance(value, (int, str)):
            value = str(value)
        content[name] = value
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=True, default=str).encode()


def upgrade():
    op.create_table('audit_chain_head',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_chain_head'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('on_behalf_of_user_id', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('categories', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('purpose', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('legal_basis', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('chain_seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True))
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('hash', sa.String(length=64), nullable=True))

    # Chain the events that already exist, in the order they were written.
    conn = op.get_bind()
    prev, chain_seq = GENESIS, 0
    for row in conn.execute(sa.select(events).order_by(events.c.seq)).all():
        chain_seq += 1
        digest = hashlib.sha256(prev.encode() + b"|" + _canonical(row, chain_seq)).hexdigest()
        conn.execute(events.update().where(events.c.seq == row.seq)
                     .values(chain_seq=chain_seq, prev_hash=prev, hash=digest))
        prev = digest
    conn.execute(head.insert().values(id=1, seq=chain_seq, hash=prev))

    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.alter_column('chain_seq', existing_type=sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
                              nullable=False)
        batch_op.alter_column('prev_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_audit_events_chain_seq'), ['chain_seq'])

    if conn.dialect.name == "postgresql":
        # Append-only at the database too. Maintenance (retention after 5 years) must set
        # levensloop.audit_maintenance = 'on' in its own transaction.
        op.execute("""
            CREATE FUNCTION levensloop_audit_append_only() RETURNS trigger AS $$
            BEGIN
                IF coalesce(current_setting('levensloop.audit_maintenance', true), '') = 'on' THEN
                    RETURN COALESCE(NEW, OLD);
                END IF;
                RAISE EXCEPTION 'audit_events is append-only';
            END;
            $$ LANGUAGE plpgsql
        """)
        op.execute("""
            CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
            FOR EACH ROW EXECUTE FUNCTION levensloop_audit_append_only()
        """)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_events_append_only ON audit_events")
        op.execute("DROP FUNCTION IF EXISTS levensloop_audit_append_only()")
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_audit_events_chain_seq'), type_='unique')
        batch_op.drop_column('hash')
        batch_op.drop_column('prev_hash')
        batch_op.drop_column('chain_seq')
        batch_op.drop_column('legal_basis')
        batch_op.drop_column('purpose')
        batch_op.drop_column('categories')
        batch_op.drop_column('on_behalf_of_user_id')

    op.drop_table('audit_chain_head')
    # ### end Alembic commands ###
