"""Reviews of the levensloopplan at the Levenslooptafel, the review interval of a region and the
date the next review of a trajectory is due.

A review is recorded once and never changed (no version counter needed): what the table agreed
on that day stays as it was. Something to put right is put right at the next review.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from levensloop.crypto.orm import EncryptedField
from levensloop.db import UUIDPrimaryKey, utcnow
from levensloop.extensions import db


class ReviewSetting(UUIDPrimaryKey, db.Model):
    """A region's review interval in months (absent: the default of 3)."""

    __tablename__ = "review_settings"
    __table_args__ = (
        sa.UniqueConstraint("region_id"),
        sa.CheckConstraint("interval_months BETWEEN 1 AND 12", name="interval_months_range"),
    )

    region_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("regions.id"))
    interval_months: Mapped[int]
    # Why the functioneel beheerder changed it: about the region's way of working, not a person.
    reason: Mapped[str] = mapped_column(sa.String(500))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class PlanReview(UUIDPrimaryKey, db.Model):
    """One review of a trajectory's adopted plan at the Levenslooptafel."""

    __tablename__ = "plan_reviews"
    __table_args__ = (sa.UniqueConstraint("trajectory_id", "held_on"),)

    trajectory_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("trajectories.id"), index=True)
    person_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("persons.id"), index=True)
    region_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("regions.id"), index=True)
    plan_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("plans.id"))
    held_on: Mapped[date]
    decision: Mapped[str] = mapped_column(sa.String(30))
    next_review_on: Mapped[date]
    # Attending organisations by id (not personal data), comma-separated.
    attendees: Mapped[str] = mapped_column(sa.Text, default="")
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    # Who else was there (names, functions) and why the table decided so: encrypted.
    attendee_persons_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    attendee_persons = EncryptedField(subject="person_id")
    motivation_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    motivation = EncryptedField(subject="person_id")

    domains: Mapped[list[PlanReviewDomain]] = relationship(
        back_populates="review", cascade="all, delete-orphan"
    )

    @property
    def attendee_ids(self) -> list[uuid.UUID]:
        return [uuid.UUID(x) for x in (self.attendees or "").split(",") if x]


class PlanReviewDomain(UUIDPrimaryKey, db.Model):
    """The progress on one domain at a review, and a new ZRM score if the table gave one."""

    __tablename__ = "plan_review_domains"
    __table_args__ = (sa.UniqueConstraint("review_id", "domain"),)

    review_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("plan_reviews.id"), index=True)
    person_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("persons.id"))
    domain: Mapped[str] = mapped_column(sa.String(20))
    score: Mapped[int | None]

    progress_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    progress = EncryptedField(subject="person_id")

    review: Mapped[PlanReview] = relationship(back_populates="domains")


class ReviewSchedule(db.Model):
    """When the next review of a trajectory is due, as a plain column for the dashboards.

    Kept by `levensloop.reviews.schedule.ensure_schedule`: `basis` says where the date comes
    from ("plan": the adopted plan's date plus the region's interval; "evaluatie": the date the
    table set at the last review) and `basis_on` is that plan's or review's date."""

    __tablename__ = "review_schedule"

    trajectory_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("trajectories.id"), primary_key=True
    )
    due_on: Mapped[date] = mapped_column(index=True)
    basis: Mapped[str] = mapped_column(sa.String(20))
    basis_on: Mapped[date]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
