"""Retention rules per region and record type, and the destruction list the privacy officer
reviews.

A rule is never edited in place: a change adds the next version, so every entry keeps pointing
at the rule that applied when it was drafted (and copies its period and flag). Without a rule
of its own a region uses the defaults in `levensloop.retention.rules`, which are marked as
unconfirmed.

An entry of the destruction list stays forever: once its person is destroyed it is the line of
the destruction report (date, rule, approver, the tombstone id). It holds no personal data in
plain text; the reasons the privacy officer gives are encrypted under the person's key.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from levensloop.crypto.orm import EncryptedField
from levensloop.db import UUIDPrimaryKey, utcnow
from levensloop.extensions import db


class RetentionRule(UUIDPrimaryKey, db.Model):
    """One version of a region's retention period for one record type."""

    __tablename__ = "retention_rules"
    __table_args__ = (
        sa.UniqueConstraint("region_id", "record_type", "version_no"),
        sa.CheckConstraint("period_months BETWEEN 1 AND 1200", name="period_months_range"),
    )

    region_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("regions.id"), index=True)
    record_type: Mapped[str] = mapped_column(sa.String(40))
    version_no: Mapped[int]
    period_months: Mapped[int]
    trigger_kind: Mapped[str] = mapped_column(sa.String(40))
    # True while the period is provisional (the Wgs/BGS periods are still to be confirmed).
    default_unconfirmed: Mapped[bool] = mapped_column(default=True)
    # Why the privacy officer set it: policy of the region, never about a person.
    reason: Mapped[str] = mapped_column(sa.String(500))
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DestructionEntry(UUIDPrimaryKey, db.Model):
    """A person on the destruction list, and what the privacy officer decided."""

    __tablename__ = "destruction_entries"
    __table_args__ = (
        # At most one open proposal per person, whoever drafts (the night job or the button).
        sa.Index(
            "uq_destruction_entries_open_person",
            "person_id",
            unique=True,
            sqlite_where=sa.text("status = 'voorgesteld'"),
            postgresql_where=sa.text("status = 'voorgesteld'"),
        ),
    )

    region_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("regions.id"), index=True)
    person_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("persons.id"), index=True)
    # The rule version that applied (None: the region's default in code).
    rule_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("retention_rules.id"))
    record_type: Mapped[str] = mapped_column(sa.String(40))
    period_months: Mapped[int]
    rule_unconfirmed: Mapped[bool]
    trigger_date: Mapped[date]
    due_since: Mapped[date] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(sa.String(30), index=True)
    proposed_at: Mapped[datetime] = mapped_column(default=utcnow)
    proposed_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"))
    status_changed_at: Mapped[datetime | None]
    status_changed_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"))
    # Who approved, extended or placed the legal hold, and when.
    decided_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    extended_until: Mapped[date | None]
    # Why the night job withdrew a proposal (a code, see rules.BLOCKERS).
    withdrawn_code: Mapped[str | None] = mapped_column(sa.String(40))
    destroyed_at: Mapped[datetime | None] = mapped_column(index=True)
    version: Mapped[int] = mapped_column(default=1)

    # The privacy officer's reasons may say something about the person: encrypted.
    reason_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    reason = EncryptedField(subject="person_id")
    lift_reason_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    lift_reason = EncryptedField(subject="person_id")

    __mapper_args__ = {"version_id_col": version}
