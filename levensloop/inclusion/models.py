"""Referrals (aanmeldingen) and their triage."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from levensloop.crypto.orm import EncryptedField
from levensloop.db import Timestamps, UUIDPrimaryKey, utcnow
from levensloop.extensions import db
from levensloop.inclusion.states import INGEDIEND
from levensloop.organisations.models import Organisation


class Referral(UUIDPrimaryKey, Timestamps, db.Model):
    __tablename__ = "referrals"

    region_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("regions.id"), index=True)
    person_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("persons.id"), index=True)
    referrer_user_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    referrer_organisation_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("organisations.id"))
    status: Mapped[str] = mapped_column(sa.String(30), default=INGEDIEND, index=True)
    status_changed_at: Mapped[datetime | None]
    status_changed_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)

    # Why the person is referred and which criteria apply: about the person, so encrypted.
    reason_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    reason = EncryptedField(subject="person_id")
    criteria_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    criteria = EncryptedField(subject="person_id")  # comma-separated keys of REFERRAL_CRITERIA

    referrer_organisation: Mapped[Organisation] = relationship(lazy="joined")
    triages: Mapped[list[Triage]] = relationship(back_populates="referral", order_by="Triage.held_on")

    __mapper_args__ = {"version_id_col": version}

    @property
    def criteria_list(self) -> list[str]:
        return [c for c in (self.criteria or "").split(",") if c]


class Triage(UUIDPrimaryKey, db.Model):
    """The weegteam's assessment of a referral."""

    __tablename__ = "triages"

    referral_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("referrals.id"), index=True)
    person_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("persons.id"))
    held_on: Mapped[date]
    outcome: Mapped[str] = mapped_column(sa.String(30))
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    participants_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    participants = EncryptedField(subject="person_id")
    motivation_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    motivation = EncryptedField(subject="person_id")

    referral: Mapped[Referral] = relationship(back_populates="triages")
