"""The claim of one run of one job for one period. The unique (job, period) pair is the lock:
whoever inserts the row first runs the job; everyone else skips."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from levensloop.db import UUIDPrimaryKey, utcnow
from levensloop.extensions import db

RUNNING, OK, FAILED = "running", "ok", "failed"


class JobRun(UUIDPrimaryKey, db.Model):
    __tablename__ = "job_runs"
    __table_args__ = (sa.UniqueConstraint("job", "period"),)

    job: Mapped[str] = mapped_column(sa.String(80))
    period: Mapped[str] = mapped_column(sa.String(20))  # 2026-11-23T06 | 2026-11-23 | 2026-W48
    status: Mapped[str] = mapped_column(sa.String(10), default=RUNNING)
    claimed_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=1)
    # The class name of the exception only: messages can hold data.
    error: Mapped[str | None] = mapped_column(sa.String(120))
    host: Mapped[str | None] = mapped_column(sa.String(255))
    pid: Mapped[int | None]
