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
    referrer_user_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("users.id"), index=True
    )
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
    triages: Mapped[list[Triage]] = relationship(
        back_populates="referral", order_by="Triage.held_on"
    )

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


class InclusionMeeting(UUIDPrimaryKey, Timestamps, db.Model):
    """A meeting of the inclusion table, chaired by the procesregisseur."""

    __tablename__ = "inclusion_meetings"

    region_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("regions.id"), index=True)
    held_on: Mapped[date]
    chair_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("users.id"))
    # Attending organisations by id (not personal data), comma-separated.
    attendees: Mapped[str] = mapped_column(sa.Text, default="")

    decisions: Mapped[list[InclusionDecision]] = relationship(back_populates="meeting")

    @property
    def attendee_ids(self) -> list[uuid.UUID]:
        return [uuid.UUID(x) for x in self.attendees.split(",") if x]


class InclusionDecision(UUIDPrimaryKey, db.Model):
    """One person's decision at a meeting, recorded as one act: criteria, positions, outcome."""

    __tablename__ = "inclusion_decisions"

    meeting_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("inclusion_meetings.id"), index=True
    )
    referral_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("referrals.id"), index=True)
    person_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("persons.id"), index=True)
    outcome: Mapped[str] = mapped_column(sa.String(30))
    # The version of the region's own criteria that applied (None: before there were any).
    criteria_set_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("region_criteria_sets.id")
    )
    decided_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    # Criteria with evidence, positions of the organisations, motivation: JSON text, encrypted.
    criteria_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    criteria = EncryptedField(subject="person_id")
    positions_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    positions = EncryptedField(subject="person_id")
    motivation_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    motivation = EncryptedField(subject="person_id")

    meeting: Mapped[InclusionMeeting] = relationship(back_populates="decisions")


class Trajectory(UUIDPrimaryKey, Timestamps, db.Model):
    """An inclusion period: from the table's decision to uitstroom. A person can have several."""

    __tablename__ = "trajectories"

    region_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("regions.id"), index=True)
    person_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("persons.id"), index=True)
    decision_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("inclusion_decisions.id"))
    status: Mapped[str] = mapped_column(sa.String(30), index=True)
    status_changed_at: Mapped[datetime | None]
    status_changed_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"))
    included_on: Mapped[date]
    exited_on: Mapped[date | None]
    exit_reason: Mapped[str | None] = mapped_column(sa.String(30))
    ave_phase: Mapped[str | None] = mapped_column(sa.String(20))
    provider_organisation_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("organisations.id")
    )
    coordinator_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"))
    casusregisseur_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"))
    procesregisseur_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class RegionCriteriaSet(UUIDPrimaryKey, db.Model):
    """One version of a region's own inclusion criteria (on top of the five national ones).

    A change never edits a version: it adds the next one, so each decision keeps pointing at the
    criteria that applied when it was taken. The texts are policy, not personal data."""

    __tablename__ = "region_criteria_sets"
    __table_args__ = (sa.UniqueConstraint("region_id", "version_no"),)

    region_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("regions.id"), index=True)
    version_no: Mapped[int]
    # JSON list of {"key": "regio_1", "label": "..."}; empty list = no criteria of its own.
    criteria: Mapped[str] = mapped_column(sa.Text, default="[]")
    reason: Mapped[str] = mapped_column(sa.String(500))
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def items(self) -> list[dict]:
        import json

        return json.loads(self.criteria or "[]")
