"""The escalation route: each region's levels (names, response times) and the escalations.

An escalation sits at one level. Escalating it closes it (`opgeschaald`) and opens a new one at
the next level that points back to it (`parent_id`), so the chain from the case up to the
national point stays readable. Free text about the person is encrypted with the person's key.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from levensloop.crypto.orm import EncryptedField
from levensloop.db import Timestamps, UUIDPrimaryKey, utcnow
from levensloop.escalations.states import ACTIVE, OPEN
from levensloop.extensions import db


class EscalationLevel(UUIDPrimaryKey, db.Model):
    """A region's own name and response time (werkdagen) for one level; absent: the default."""

    __tablename__ = "escalation_levels"
    __table_args__ = (
        sa.UniqueConstraint("region_id", "level"),
        sa.CheckConstraint("level BETWEEN 0 AND 3", name="level_range"),
        sa.CheckConstraint("response_days BETWEEN 1 AND 120", name="response_days_range"),
    )

    region_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("regions.id"), index=True)
    level: Mapped[int]
    name: Mapped[str] = mapped_column(sa.String(120))
    response_days: Mapped[int]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class Escalation(UUIDPrimaryKey, Timestamps, db.Model):
    __tablename__ = "escalations"
    __table_args__ = (sa.CheckConstraint("level BETWEEN 0 AND 3", name="level_range"),)

    region_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("regions.id"), index=True)
    person_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("persons.id"), index=True)
    level: Mapped[int]
    reason: Mapped[str] = mapped_column(sa.String(40))
    level3_type: Mapped[str | None] = mapped_column(sa.String(40))
    status: Mapped[str] = mapped_column(sa.String(20), default=OPEN, index=True)
    status_changed_at: Mapped[datetime | None]
    status_changed_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"))

    # Who must act: the owning organisation, and the person there who follows it up.
    owner_organisation_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("organisations.id"), index=True
    )
    owner_user_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"), index=True)

    opened_on: Mapped[date]
    opened_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"))
    initial_due_date: Mapped[date]  # opened_on + the level's response time in werkdagen
    due_date: Mapped[date] = mapped_column(index=True)  # after extension or suspension
    suspended_until: Mapped[date | None]
    extended_on: Mapped[date | None]
    closed_on: Mapped[date | None]

    parent_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("escalations.id"), index=True)
    # The warm handover whose rejection led here; no foreign key (that table comes later).
    handover_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    version: Mapped[int] = mapped_column(default=1)

    description_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    description = EncryptedField(subject="person_id")
    suspension_reason_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    suspension_reason = EncryptedField(subject="person_id")
    extension_reason_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    extension_reason = EncryptedField(subject="person_id")
    outcome_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    outcome = EncryptedField(subject="person_id")

    __mapper_args__ = {"version_id_col": version}

    def is_suspended(self, today: date) -> bool:
        return self.suspended_until is not None and self.suspended_until >= today

    def is_overdue(self, today: date) -> bool:
        """Past its due date, still open or in behandeling, and not suspended today."""
        return self.status in ACTIVE and self.due_date < today and not self.is_suspended(today)
