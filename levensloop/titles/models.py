"""Title types, legal titles with their extensions, placements and refusals. Free text about a
person is encrypted under that person's data key."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from levensloop.crypto.orm import EncryptedField
from levensloop.db import Timestamps, UUIDPrimaryKey, utcnow
from levensloop.extensions import db
from levensloop.titles.states import GEPLAND


class TitleType(db.Model):
    """A kind of legal title with its defaults; seeded from `levensloop.titles.types`."""

    __tablename__ = "title_types"

    code: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    legal_basis: Mapped[str] = mapped_column(sa.String(200))
    category: Mapped[str] = mapped_column(sa.String(20))
    default_months: Mapped[int | None]
    default_weeks: Mapped[int | None]
    extension_months: Mapped[int | None]
    max_months: Mapped[int | None]
    max_weeks: Mapped[int | None]
    wvggz_rule: Mapped[bool] = mapped_column(default=False)
    verified: Mapped[bool] = mapped_column(default=False)
    sort_order: Mapped[int] = mapped_column(default=0)
    note: Mapped[str | None] = mapped_column(sa.String(300))

    @property
    def has_defaults(self) -> bool:
        return any(
            (
                self.default_months,
                self.default_weeks,
                self.extension_months,
                self.max_months,
                self.max_weeks,
            )
        )


class LegalTitle(UUIDPrimaryKey, Timestamps, db.Model):
    __tablename__ = "legal_titles"

    person_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("persons.id"), index=True)
    region_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("regions.id"), index=True)
    type_code: Mapped[str] = mapped_column(sa.ForeignKey("title_types.code"), index=True)
    status: Mapped[str] = mapped_column(sa.String(30), default=GEPLAND)
    status_changed_at: Mapped[datetime | None]
    status_changed_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"))
    start_date: Mapped[date]
    expected_end: Mapped[date | None] = mapped_column(index=True)
    maximum_end: Mapped[date | None]
    conditionally_ended_on: Mapped[date | None]
    ended_on: Mapped[date | None]
    executor_organisation_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("organisations.id")
    )
    financier: Mapped[str | None] = mapped_column(sa.String(20))
    supervisor: Mapped[str | None] = mapped_column(sa.String(20))
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)

    conditions_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    conditions = EncryptedField(subject="person_id")
    legal_basis_note_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    legal_basis_note = EncryptedField(subject="person_id")

    type: Mapped[TitleType] = relationship(lazy="joined")
    extensions: Mapped[list[TitleExtension]] = relationship(
        back_populates="title", order_by="TitleExtension.decided_on"
    )

    __mapper_args__ = {"version_id_col": version}


class TitleExtension(UUIDPrimaryKey, db.Model):
    """One extension of a title: the court's (or issuer's) decision and the new end date."""

    __tablename__ = "title_extensions"

    title_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("legal_titles.id"), index=True)
    person_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("persons.id"), index=True)
    previous_end: Mapped[date | None]
    new_end: Mapped[date]
    decided_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"))

    note_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    note = EncryptedField(subject="person_id")

    title: Mapped[LegalTitle] = relationship(back_populates="extensions")


class Placement(UUIDPrimaryKey, db.Model):
    """A stay with a provider: the treatment history (behandelgeschiedenis)."""

    __tablename__ = "placements"

    person_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("persons.id"), index=True)
    region_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("regions.id"), index=True)
    provider_organisation_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("organisations.id")
    )
    setting: Mapped[str] = mapped_column(sa.String(20))
    security_level: Mapped[int]
    start_date: Mapped[date] = mapped_column(index=True)
    end_date: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)

    provider_name_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    provider_name = EncryptedField(subject="person_id")
    end_reason_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    end_reason = EncryptedField(subject="person_id")

    __mapper_args__ = {"version_id_col": version}


class PlacementRefusal(UUIDPrimaryKey, db.Model):
    """A provider that declined to take the person in, and why: the field must see what was
    tried."""

    __tablename__ = "placement_refusals"

    person_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("persons.id"), index=True)
    region_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("regions.id"), index=True)
    provider_organisation_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("organisations.id")
    )
    setting: Mapped[str] = mapped_column(sa.String(20))
    security_level: Mapped[int]
    refused_on: Mapped[date] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"))

    provider_name_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    provider_name = EncryptedField(subject="person_id")
    reason_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    reason = EncryptedField(subject="person_id")
