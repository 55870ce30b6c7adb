"""The audit log (NEN 7513). Append-only and hash-chained; never personal plaintext: persons
and objects appear by id only."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from levensloop.db import utcnow
from levensloop.extensions import db

GENESIS_HASH = "0" * 64


class AuditEvent(db.Model):
    __tablename__ = "audit_events"

    seq: Mapped[int] = mapped_column(
        sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    id: Mapped[uuid.UUID] = mapped_column(unique=True, default=uuid.uuid4)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    event_type: Mapped[str] = mapped_column(sa.String(60), index=True)
    outcome: Mapped[str] = mapped_column(sa.String(20), default="success")
    # Who: the user, their organisation and roles, and on whose behalf they acted.
    actor_user_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    actor_organisation_id: Mapped[uuid.UUID | None]
    actor_roles: Mapped[str | None] = mapped_column(sa.String(200))
    on_behalf_of_user_id: Mapped[uuid.UUID | None]
    region_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    # The person concerned, by id only (for "who has seen this file").
    person_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    categories: Mapped[str | None] = mapped_column(sa.String(200))
    purpose: Mapped[str | None] = mapped_column(sa.String(200))
    legal_basis: Mapped[str | None] = mapped_column(sa.String(200))
    object_type: Mapped[str | None] = mapped_column(sa.String(60))
    object_id: Mapped[str | None] = mapped_column(sa.String(64))
    access_point: Mapped[str | None] = mapped_column(sa.String(64))
    # Structured, non-personal detail (field names changed, role given), as JSON.
    details: Mapped[dict | None] = mapped_column(sa.JSON)
    # The hash chain: each record holds the hash of the previous one and of its own content.
    chain_seq: Mapped[int] = mapped_column(
        sa.BigInteger().with_variant(sa.Integer, "sqlite"), unique=True
    )
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64))


class AuditChainHead(db.Model):
    """One row: the last sequence number and hash of the chain. Updating it serialises writers."""

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(sa.BigInteger().with_variant(sa.Integer, "sqlite"), default=0)
    hash: Mapped[str] = mapped_column(sa.String(64), default=GENESIS_HASH)
