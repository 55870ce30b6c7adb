"""Claim-and-run: the one way a job runs, from the scheduler process and from `run-once`.

A run first INSERTs its (job, period) row in a transaction of its own. The unique constraint
decides: whoever commits the row runs the job; anyone else gets an IntegrityError and skips
("overgeslagen"). A failed run may be claimed again (by one process: a conditional UPDATE);
a finished or running one never. The job itself runs inside a fresh app context, so it has
its own database session.
"""

from __future__ import annotations

import logging
import os
import socket
import traceback
import uuid
from dataclasses import dataclass

import sqlalchemy as sa
from flask import Flask

from levensloop.db import utcnow
from levensloop.extensions import db
from levensloop.scheduler import registry
from levensloop.scheduler.models import FAILED, OK, RUNNING, JobRun

log = logging.getLogger("levensloop.scheduler")

RAN, SKIPPED, FAILED_OUTCOME = "klaar", "overgeslagen", "mislukt"


@dataclass(frozen=True)
class Outcome:
    job: str
    period: str
    result: str  # klaar | overgeslagen | mislukt
    summary: str | None = None  # the job's own summary, or why it was skipped or failed

    @property
    def failed(self) -> bool:
        return self.result == FAILED_OUTCOME

    def line(self) -> str:
        text = f"{self.job} {self.period}: {self.result}"
        return f"{text} ({self.summary})" if self.summary else text


def _claim(job_name: str, period: str) -> uuid.UUID | None:
    """Take the (job, period) row in its own transaction; None when someone else holds it."""
    table = JobRun.__table__
    run_id = uuid.uuid4()
    who = {"host": socket.gethostname()[:255], "pid": os.getpid()}
    try:
        with db.engine.begin() as conn:
            conn.execute(
                sa.insert(table).values(
                    id=run_id,
                    job=job_name,
                    period=period,
                    status=RUNNING,
                    claimed_at=utcnow(),
                    attempts=1,
                    **who,
                )
            )
        return run_id
    except sa.exc.IntegrityError:
        pass
    # Only a failed run may be taken again, and only by one process (the UPDATE is atomic).
    with db.engine.begin() as conn:
        retried = conn.execute(
            sa.update(table)
            .where(table.c.job == job_name, table.c.period == period, table.c.status == FAILED)
            .values(
                status=RUNNING,
                claimed_at=utcnow(),
                finished_at=None,
                error=None,
                attempts=table.c.attempts + 1,
                **who,
            )
        )
        if retried.rowcount != 1:
            return None
        return conn.execute(
            sa.select(table.c.id).where(table.c.job == job_name, table.c.period == period)
        ).scalar_one()


def _finish(run_id: uuid.UUID, status: str, error: str | None = None) -> None:
    table = JobRun.__table__
    with db.engine.begin() as conn:
        conn.execute(
            sa.update(table)
            .where(table.c.id == run_id)
            .values(status=status, finished_at=utcnow(), error=error)
        )


def _holder(job_name: str, period: str) -> str:
    row = db.session.execute(
        sa.select(JobRun.status, JobRun.host, JobRun.pid).where(
            JobRun.job == job_name, JobRun.period == period
        )
    ).first()
    db.session.rollback()
    if row is None:
        return "al geclaimd"
    status, host, pid = row
    state = {RUNNING: "loopt al", OK: "al gedaan", FAILED: "mislukt"}.get(status, status)
    return f"{state} door {host or '?'}:{pid or '?'}"


def run_job(app: Flask, job: registry.Job, period: str) -> Outcome:
    """Claim (job, period) and run the job; never raises for a failing job."""
    with app.app_context():
        run_id = _claim(job.name, period)
        if run_id is None:
            outcome = Outcome(job.name, period, SKIPPED, _holder(job.name, period))
            log.info("Taak %s voor %s overgeslagen: %s", job.name, period, outcome.summary)
            return outcome
        log.info("Taak %s voor %s gestart", job.name, period)
        try:
            summary = job.func(app, period)
        except Exception as exc:
            db.session.rollback()
            error = type(exc).__name__
            _finish(run_id, FAILED, error[:120])
            # The class name and the code lines only: an exception's message can hold data.
            log.error(
                "Taak %s voor %s mislukt: %s\n%s",
                job.name,
                period,
                error,
                "".join(traceback.format_tb(exc.__traceback__)),
            )
            return Outcome(job.name, period, FAILED_OUTCOME, error)
        finally:
            db.session.remove()
        _finish(run_id, OK)
        log.info("Taak %s voor %s klaar%s", job.name, period, f": {summary}" if summary else "")
        return Outcome(job.name, period, RAN, summary)


def run_scheduled(app: Flask, job_name: str) -> None:
    """What the scheduler's trigger calls: the current period of the job, then claim-and-run."""
    job = registry.load_jobs()[job_name]
    try:
        run_job(app, job, registry.current_period(job.period))
    except Exception as exc:  # the database is away, for example; the next trigger tries again
        log.error("Taak %s niet uitgevoerd: %s", job_name, type(exc).__name__)
