"""When the next review of a trajectory is due (DOMAIN.md §3: every 3 months by default,
configurable per region).

The rule, in this order: the next date the table set at the last review; else the adopted
plan's date plus the region's interval; else the inclusion date plus the interval.

`ensure_schedule` writes the answer into `review_schedule` (one row per trajectory, a plain
indexed column) once there is an adopted plan or a review; recording a review, changing the
interval and opening the review list keep it up to date. `reviews_due` reads it for the
dashboards in one statement and, for a trajectory without a (current) row, computes the same
rule in SQL, so no trajectory is missing from a dashboard and none shows a stale date.

Adding months in SQL differs per dialect; `SQLAddMonths` compiles it for SQLite and PostgreSQL
with the same end-of-month rule as `add_months` (31 January plus one month is 28 or 29
February).
"""

from __future__ import annotations

import calendar
import uuid
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from levensloop.db import local_today, utcnow
from levensloop.extensions import db
from levensloop.inclusion.models import Trajectory
from levensloop.inclusion.states import UITGESTROOMD
from levensloop.plans.domains import VASTGESTELD
from levensloop.plans.models import Plan
from levensloop.reviews.models import PlanReview, ReviewSchedule, ReviewSetting

DEFAULT_INTERVAL = 3
MIN_INTERVAL, MAX_INTERVAL = 1, 12
MAX_AHEAD_MONTHS = 12  # the next review is at most this long after a review

OPNAME, PLAN, EVALUATIE = "opname", "plan", "evaluatie"


def add_months(day: date, months: int) -> date:
    """`day` plus whole months; a day that the target month lacks becomes its last day."""
    years, month0 = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month0 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class SQLAddMonths(FunctionElement):
    """SQL: a date plus a whole number of months, as a date (see `add_months`)."""

    type = sa.Date()
    name = "add_months"
    inherit_cache = True


@compiles(SQLAddMonths)
def _add_months_postgresql(element, compiler, **kw):
    day, months = list(element.clauses)
    return (
        f"CAST(({compiler.process(day, **kw)}) + make_interval(months => "
        f"CAST(({compiler.process(months, **kw)}) AS INTEGER)) AS DATE)"
    )


@compiles(SQLAddMonths, "sqlite")
def _add_months_sqlite(element, compiler, **kw):
    day, months = list(element.clauses)
    d, m = compiler.process(day, **kw), compiler.process(months, **kw)
    # date(d, '+N months') overflows into the next month (31 Jan + 1 = 3 Mar); the last day of
    # the target month caps it. ISO dates compare correctly as text.
    return (
        f"min(date({d}, 'start of month', '+' || ({m}) || ' months', '+1 month', '-1 day'), "
        f"date({d}, '+' || ({m}) || ' months'))"
    )


# ---------------------------------------------------------------- the rule in Python


def interval_months(region_id: uuid.UUID) -> int:
    value = db.session.scalar(
        sa.select(ReviewSetting.interval_months).where(ReviewSetting.region_id == region_id)
    )
    return value or DEFAULT_INTERVAL


def last_review(trajectory: Trajectory) -> PlanReview | None:
    return db.session.scalar(
        sa.select(PlanReview)
        .where(PlanReview.trajectory_id == trajectory.id)
        .order_by(PlanReview.held_on.desc())
        .limit(1)
    )


def _adopted_on(trajectory: Trajectory) -> date | None:
    return db.session.scalar(
        sa.select(sa.func.max(Plan.adopted_on)).where(
            Plan.trajectory_id == trajectory.id, Plan.status == VASTGESTELD
        )
    )


@dataclass(frozen=True)
class Due:
    due_on: date
    basis: str  # OPNAME | PLAN | EVALUATIE
    basis_on: date
    interval: int  # the region's interval in months (for the explanation on screen)


def next_review_due(trajectory: Trajectory) -> Due:
    """When the next review of this trajectory is due, and why."""
    interval = interval_months(trajectory.region_id)
    last = last_review(trajectory)
    if last is not None:
        return Due(last.next_review_on, EVALUATIE, last.held_on, interval)
    adopted_on = _adopted_on(trajectory)
    if adopted_on is not None:
        return Due(add_months(adopted_on, interval), PLAN, adopted_on, interval)
    return Due(
        add_months(trajectory.included_on, interval), OPNAME, trajectory.included_on, interval
    )


def ensure_schedule(trajectory: Trajectory, today: date | None = None) -> Due:
    """Bring the trajectory's row in `review_schedule` up to date and return the due date.

    Call it when a plan is adopted (after `adopted_on` is set) and whenever else the rule's
    inputs change; recording a review and changing the interval call it themselves. It adds to
    the current transaction; the caller commits. Before a plan is adopted no row is kept:
    `reviews_due` computes that case from the inclusion date itself."""
    due = next_review_due(trajectory)
    row = db.session.get(ReviewSchedule, trajectory.id)
    if due.basis == OPNAME:
        if row is not None:  # a statement, not the ORM: two requests may both get here
            db.session.execute(
                sa.delete(ReviewSchedule).where(ReviewSchedule.trajectory_id == trajectory.id)
            )
            db.session.expunge(row)
        return due
    if row is None:
        _insert_or_update(trajectory.id, due)
    elif (row.due_on, row.basis, row.basis_on) != (due.due_on, due.basis, due.basis_on):
        row.due_on, row.basis, row.basis_on = due.due_on, due.basis, due.basis_on
    return due


def _insert_or_update(trajectory_id: uuid.UUID, due: Due) -> None:
    """INSERT ... ON CONFLICT DO UPDATE (SQLite and PostgreSQL spell it alike): two requests
    that both find no row both succeed."""
    insert = (
        postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    )
    statement = insert(ReviewSchedule).values(
        trajectory_id=trajectory_id,
        due_on=due.due_on,
        basis=due.basis,
        basis_on=due.basis_on,
        updated_at=utcnow(),
    )
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=[ReviewSchedule.trajectory_id],
            set_={c: statement.excluded[c] for c in ("due_on", "basis", "basis_on", "updated_at")},
        )
    )


def reschedule_region(region_id: uuid.UUID, interval: int) -> int:
    """After a change of the region's interval: move the due dates that follow from the plan's
    date (not those the table set at a review). One query, then the changed rows. The caller
    commits. Returns how many dates moved."""
    rows = db.session.scalars(
        sa.select(ReviewSchedule)
        .join(Trajectory, Trajectory.id == ReviewSchedule.trajectory_id)
        .where(
            Trajectory.region_id == region_id,
            Trajectory.status != UITGESTROOMD,
            ReviewSchedule.basis == PLAN,
        )
    )
    moved = 0
    for row in rows:
        due_on = add_months(row.basis_on, interval)
        if row.due_on != due_on:
            row.due_on = due_on
            moved += 1
    return moved


# ---------------------------------------------------------------- the dashboards


def reviews_due(today: date | None = None, *, region_id: uuid.UUID | None = None) -> sa.Select:
    """One SELECT of every trajectory that has not ended, with the date its next review is due:
    columns `trajectory_id`, `due_date` and `overdue` (due before `today`).

    Join it as a subquery into a list, e.g.
        due = reviews_due(today, region_id=region.id).subquery()
        query.outerjoin(due, due.c.trajectory_id == Trajectory.id) ... due.c.due_date
    The stored date is used where it still holds; otherwise the rule is computed in the same
    statement (adopted plan's date, else the inclusion date, plus the region's interval)."""
    today = today or local_today()
    adopted = sa.select(Plan.trajectory_id, sa.func.max(Plan.adopted_on).label("adopted_on")).where(
        Plan.status == VASTGESTELD
    )
    if region_id is not None:
        adopted = adopted.where(Plan.region_id == region_id)
    adopted = adopted.group_by(Plan.trajectory_id).subquery()
    interval = sa.func.coalesce(ReviewSetting.interval_months, DEFAULT_INTERVAL)
    computed = SQLAddMonths(
        sa.func.coalesce(adopted.c.adopted_on, Trajectory.included_on), interval
    )
    # A stored date counts when the table set it at a review, or when it was computed from the
    # plan that is adopted now (so a plan adopted without `ensure_schedule` is never missed).
    stored_holds = sa.or_(
        ReviewSchedule.basis == EVALUATIE, ReviewSchedule.basis_on == adopted.c.adopted_on
    )
    due = sa.case((stored_holds, ReviewSchedule.due_on), else_=computed)
    query = (
        sa.select(
            Trajectory.id.label("trajectory_id"),
            due.label("due_date"),
            (due < today).label("overdue"),
        )
        .outerjoin(ReviewSchedule, ReviewSchedule.trajectory_id == Trajectory.id)
        .outerjoin(adopted, adopted.c.trajectory_id == Trajectory.id)
        .outerjoin(ReviewSetting, ReviewSetting.region_id == Trajectory.region_id)
        .where(Trajectory.status != UITGESTROOMD)
    )
    if region_id is not None:
        query = query.where(Trajectory.region_id == region_id)
    return query


def ensure_schedules(region_id: uuid.UUID, today: date | None = None) -> int:
    """Fill in `review_schedule` for every running trajectory of a region that has an adopted
    plan or a review (for data from before this module, or a job). The caller commits."""
    count = 0
    for trajectory in db.session.scalars(
        sa.select(Trajectory).where(
            Trajectory.region_id == region_id, Trajectory.status != UITGESTROOMD
        )
    ):
        if ensure_schedule(trajectory, today).basis != OPNAME:
            count += 1
    return count
