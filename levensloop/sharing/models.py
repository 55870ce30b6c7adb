"""Sharing rules per region, case participants, case assignments and break-glass access."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from levensloop.crypto.orm import EncryptedField
from levensloop.db import Timestamps, UUIDPrimaryKey, enum_column, utcnow
from levensloop.extensions import db
from levensloop.organisations.models import Organisation, OrganisationType
from levensloop.sharing.categories import Category


class SharingRule(UUIDPrimaryKey, db.Model):
    """A region's own grant for one organisation type and category (absent: the default)."""

    __tablename__ = "sharing_rules"
    __table_args__ = (sa.UniqueConstraint("region_id", "organisation_type", "category"),)

    region_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("regions.id"), index=True)
    organisation_type: Mapped[OrganisationType] = mapped_column(enum_column(OrganisationType))
    category: Mapped[Category] = mapped_column(enum_column(Category))
    allowed: Mapped[bool]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"))


class CaseParticipant(UUIDPrimaryKey, Timestamps, db.Model):
    """An organisation that takes part in a person's case, with purpose and legal basis."""

    __tablename__ = "case_participants"

    person_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("persons.id"), index=True)
    organisation_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("organisations.id"), index=True
    )
    legal_basis: Mapped[str] = mapped_column(sa.String(40))
    legal_basis_article: Mapped[str | None] = mapped_column(sa.String(200))
    start_date: Mapped[date]
    end_date: Mapped[date | None]
    added_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"))
    ended_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)

    # The purpose can say something about the person: encrypted under the person's key.
    purpose_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    purpose = EncryptedField(subject="person_id")

    organisation: Mapped[Organisation] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}

    def active_on(self, day: date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


class CaseAssignment(UUIDPrimaryKey, db.Model):
    """A user responsible for a person: the levensloopcoördinator (caseload) or the
    gemeentelijke casusregisseur."""

    __tablename__ = "case_assignments"

    person_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("persons.id"), index=True)
    user_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("users.id"), index=True)
    role: Mapped[str] = mapped_column(sa.String(30))  # "coordinator" | "casusregisseur"
    start_date: Mapped[date]
    end_date: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class BreakGlass(UUIDPrimaryKey, db.Model):
    """Emergency access to one person outside one's normal access: reason, fresh login, 60
    minutes, and a review by the privacy officer."""

    __tablename__ = "break_glass"

    user_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("users.id"), index=True)
    person_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("persons.id"), index=True)
    region_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("regions.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    reviewed_at: Mapped[datetime | None]
    reviewed_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"))

    reason_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    reason = EncryptedField(subject="person_id")
    review_remark_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    review_remark = EncryptedField(subject="person_id")

    def active_at(self, moment: datetime) -> bool:
        return self.started_at <= moment < self.expires_at
