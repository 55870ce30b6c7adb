"""Plan versions, domain sections with score history, goals and actions. Texts are encrypted."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from levensloop.crypto.orm import EncryptedField
from levensloop.db import Timestamps, UUIDPrimaryKey, utcnow
from levensloop.extensions import db
from levensloop.plans.domains import CONCEPT


class Plan(UUIDPrimaryKey, Timestamps, db.Model):
    __tablename__ = "plans"
    __table_args__ = (sa.UniqueConstraint("trajectory_id", "version_no"),)

    trajectory_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("trajectories.id"), index=True)
    person_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("persons.id"), index=True)
    region_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("regions.id"), index=True)
    version_no: Mapped[int]
    status: Mapped[str] = mapped_column(sa.String(20), default=CONCEPT)
    status_changed_at: Mapped[datetime | None]
    status_changed_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"))
    adopted_on: Mapped[date | None]

    sections: Mapped[list[PlanSection]] = relationship(
        back_populates="plan", cascade="all, delete-orphan"
    )
    goals: Mapped[list[Goal]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="Goal.created_at"
    )


class PlanSection(UUIDPrimaryKey, db.Model):
    """One domain of one plan version: the current situation and the score."""

    __tablename__ = "plan_sections"
    __table_args__ = (sa.UniqueConstraint("plan_id", "domain"),)

    plan_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("plans.id"), index=True)
    person_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("persons.id"))
    domain: Mapped[str] = mapped_column(sa.String(20))
    score: Mapped[int | None]
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    situation_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    situation = EncryptedField(subject="person_id")

    plan: Mapped[Plan] = relationship(back_populates="sections")

    __mapper_args__ = {"version_id_col": version}


class ScoreChange(UUIDPrimaryKey, db.Model):
    """The history of a domain's score across plan versions."""

    __tablename__ = "score_changes"

    trajectory_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("trajectories.id"), index=True)
    domain: Mapped[str] = mapped_column(sa.String(20))
    score: Mapped[int]
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    changed_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"))


class Goal(UUIDPrimaryKey, db.Model):
    __tablename__ = "goals"

    plan_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("plans.id"), index=True)
    person_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("persons.id"))
    domain: Mapped[str] = mapped_column(sa.String(20))
    target_date: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    text_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    text = EncryptedField(subject="person_id")

    plan: Mapped[Plan] = relationship(back_populates="goals")
    actions: Mapped[list[Action]] = relationship(
        back_populates="goal", cascade="all, delete-orphan", order_by="Action.due_date"
    )


class Action(UUIDPrimaryKey, db.Model):
    __tablename__ = "actions"

    goal_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("goals.id"), index=True)
    person_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("persons.id"), index=True)
    owner_organisation_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("organisations.id"))
    due_date: Mapped[date | None] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(sa.String(20), default="open")
    version: Mapped[int] = mapped_column(default=1)

    text_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    text = EncryptedField(subject="person_id")
    owner_person_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    owner_person = EncryptedField(subject="person_id")

    goal: Mapped[Goal] = relationship(back_populates="actions")

    __mapper_args__ = {"version_id_col": version}
