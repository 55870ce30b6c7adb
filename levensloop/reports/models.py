"""Frozen monthly counts: one snapshot per (region, month, revision) and its cells.

A snapshot is never changed. A correction adds the next revision with a reason; every reader
takes the latest revision of a month. Cells hold counts only (measure, dimension, value): no
person ids, nothing personal.
"""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from levensloop.db import UUIDPrimaryKey, utcnow
from levensloop.extensions import db


class ReportSnapshot(UUIDPrimaryKey, db.Model):
    __tablename__ = "report_snapshots"
    __table_args__ = (sa.UniqueConstraint("region_id", "month", "revision"),)

    region_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("regions.id"), index=True)
    month: Mapped[str] = mapped_column(sa.String(7), index=True)  # "2026-10"
    revision: Mapped[int]
    # Required from revision 2 on: why the numbers were corrected.
    reason: Mapped[str | None] = mapped_column(sa.String(500))
    source: Mapped[str] = mapped_column(sa.String(20))  # scherm | cli | taak | demo
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"))

    cells: Mapped[list[ReportCell]] = relationship(
        back_populates="snapshot", cascade="all, delete-orphan"
    )


class ReportCell(UUIDPrimaryKey, db.Model):
    __tablename__ = "report_cells"
    __table_args__ = (sa.UniqueConstraint("snapshot_id", "measure", "dimension"),)

    snapshot_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("report_snapshots.id"), index=True)
    measure: Mapped[str] = mapped_column(sa.String(40))
    dimension: Mapped[str] = mapped_column(sa.String(60), default="")  # "" = no breakdown
    value: Mapped[int]

    snapshot: Mapped[ReportSnapshot] = relationship(back_populates="cells")
