"""Mijn caseload (coördinator) and the region overview (procesregisseur): one paged SQL query
with the counts per person as subqueries, and the data keys of the page in one more query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from levensloop.audit.services import record
from levensloop.db import local_today
from levensloop.extensions import db
from levensloop.inclusion.models import Trajectory
from levensloop.inclusion.states import UITGESTROOMD
from levensloop.keys import services as keys
from levensloop.persons.models import Person
from levensloop.plans.domains import VERVALLEN
from levensloop.plans.models import Action, Goal, Plan
from levensloop.sharing.models import CaseAssignment
from levensloop.sharing.policy import active_on
from levensloop.web import SimplePage

PAGE_SIZE = 25


@dataclass
class Filters:
    status: str = ""
    coordinator_id: object = None
    organisation_id: object = None
    ave_phase: str = ""
    overdue: bool = False
    carrousel: bool = False


def _open_actions(today: date, persons):
    """Open actions of plans that are still in force, per person: overdue count and next due."""
    live = (
        sa.select(Action.person_id.label("person_id"), Action.due_date.label("due_date"))
        .join(Goal, Goal.id == Action.goal_id)
        .join(Plan, Plan.id == Goal.plan_id)
        .where(Plan.status != VERVALLEN, Action.status != "gereed", Action.person_id.in_(persons))
        .subquery()
    )
    return (
        sa.select(
            live.c.person_id,
            sa.func.count().filter(live.c.due_date < today).label("overdue"),
            sa.func.min(live.c.due_date).filter(live.c.due_date >= today).label("next_due"),
        )
        .group_by(live.c.person_id)
        .subquery()
    )


def _base(region_id, today: date, persons=None):
    """Every person of the region (or of `persons`, a select of person ids) with their running
    trajectory (if any) and, per person, the counts and dates the lists show; each is a
    subquery joined once, so the number of queries does not grow with the number of persons.
    Every subquery is limited to the list's persons, so its cost follows the list (a caseload,
    a region) and not the size of the country."""
    from levensloop.escalations.models import Escalation
    from levensloop.escalations.services import open_escalations_per_person
    from levensloop.handovers.models import Handover
    from levensloop.handovers.services import open_handovers_per_person
    from levensloop.reviews.schedule import reviews_due
    from levensloop.titles.models import LegalTitle
    from levensloop.titles.services import carrousel_person_ids, titles_ending_within

    if persons is None:
        persons = sa.select(Person.id).where(Person.region_id == region_id)
    actions = _open_actions(today, persons)
    active = (
        sa.select(Trajectory)
        .where(
            Trajectory.status != UITGESTROOMD,
            Trajectory.region_id == region_id,
            Trajectory.person_id.in_(persons),
        )
        .subquery()
    )
    trajectory = sa.orm.aliased(Trajectory, active)
    reviews = (
        reviews_due(today, region_id=region_id).where(Trajectory.person_id.in_(persons)).subquery()
    )
    # Both lists are for roles that see every category of the persons on them (the
    # procesregisseur; the coördinator for the own caseload), so no category filter here.
    titles = (
        titles_ending_within(today, ENDING_SOON_DAYS, region_id=region_id)
        .where(LegalTitle.person_id.in_(persons))
        .subquery()
    )
    carrousel = Person.id.in_(carrousel_person_ids(today, persons=persons))
    handovers = open_handovers_per_person().where(Handover.person_id.in_(persons)).subquery()
    escalations = open_escalations_per_person().where(Escalation.person_id.in_(persons)).subquery()
    query = (
        sa.select(
            Person,
            trajectory,
            actions.c.overdue,
            actions.c.next_due,
            reviews.c.due_date.label("review_due"),
            titles.c.ends_on.label("title_ends"),
            carrousel.label("carrousel"),
            handovers.c.open_handovers,
            escalations.c.open_escalations,
        )
        .outerjoin(trajectory, trajectory.person_id == Person.id)
        .outerjoin(actions, actions.c.person_id == Person.id)
        .outerjoin(reviews, reviews.c.trajectory_id == trajectory.id)
        .outerjoin(titles, titles.c.person_id == Person.id)
        .outerjoin(handovers, handovers.c.person_id == Person.id)
        .outerjoin(escalations, escalations.c.person_id == Person.id)
        .where(Person.region_id == region_id, Person.shredded_at.is_(None))
    )
    return query, trajectory, Parts(actions, reviews, titles, carrousel, handovers, escalations)


ENDING_SOON_DAYS = 90


@dataclass
class Parts:
    actions: object
    reviews: object
    titles: object
    carrousel: object
    handovers: object
    escalations: object


# The filters of Mijn caseload; each is also a count on top of the list.
CASELOAD_FILTERS = (
    "achterstallig",
    "evaluatie",
    "titels",
    "overdrachten",
    "escalaties",
    "carrousel",
)


def _caseload_clause(name: str, parts: Parts, today: date):
    return {
        "achterstallig": parts.actions.c.overdue > 0,
        "evaluatie": parts.reviews.c.due_date < today,
        "titels": parts.titles.c.ends_on.is_not(None),
        "carrousel": parts.carrousel,
        "overdrachten": parts.handovers.c.open_handovers > 0,
        "escalaties": parts.escalations.c.open_escalations > 0,
    }[name]


def caseload(user, region, *, only: str = "", page: int = 1, today: date | None = None):
    """The coördinator's caseload, most urgent first; `only` is one of CASELOAD_FILTERS."""
    today = today or local_today()
    mine = sa.select(CaseAssignment.person_id).where(
        CaseAssignment.user_id == user.id,
        CaseAssignment.role == "coordinator",
        active_on(CaseAssignment, today),
    )
    query, _trajectory, parts = _base(region.id, today, persons=mine)
    query = query.where(Person.id.in_(mine))
    counts = _counts(query, parts, today)
    if only in CASELOAD_FILTERS:
        query = query.where(_caseload_clause(only, parts, today))
    query = query.order_by(
        sa.func.coalesce(parts.actions.c.overdue, 0).desc(),
        parts.actions.c.next_due.is_(None),
        parts.actions.c.next_due,
        Person.created_at,
    )
    rows, paging = _page(query, page, actor=user, region=region, what="caseload")
    return rows, paging, counts


def _counts(query, parts: Parts, today: date) -> dict:
    """How many persons of the list each filter would show: one aggregate query."""
    listed = (
        query.order_by(None)
        .with_only_columns(
            Person.id,
            parts.actions.c.overdue,
            parts.reviews.c.due_date.label("review_due"),
            parts.titles.c.ends_on.label("title_ends"),
            sa.case((parts.carrousel, 1), else_=0).label("carrousel"),
            parts.handovers.c.open_handovers,
            parts.escalations.c.open_escalations,
        )
        .subquery()
    )
    columns = {
        "achterstallig": sa.func.count().filter(listed.c.overdue > 0),
        "evaluatie": sa.func.count().filter(listed.c.review_due < today),
        "titels": sa.func.count().filter(listed.c.title_ends.is_not(None)),
        "carrousel": sa.func.count().filter(listed.c.carrousel == 1),
        "overdrachten": sa.func.count().filter(listed.c.open_handovers > 0),
        "escalaties": sa.func.count().filter(listed.c.open_escalations > 0),
    }
    row = db.session.execute(
        sa.select(
            sa.func.count().label("iedereen"), *(c.label(k) for k, c in columns.items())
        ).select_from(listed)
    ).one()
    return dict(row._mapping)


def region_overview(actor, region, filters: Filters, *, page: int = 1, today: date | None = None):
    """The region's running trajectories, newest inclusion first. Two steps, so the cost of a
    page does not grow with the region: first the page's persons (filters and order on the
    trajectory, and only the counts a filter asks for), then the counts and dates for just
    those persons."""
    today = today or local_today()
    ids = _region_persons(region.id, filters, today)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(ids.subquery())) or 0
    pages = max(1, (total + PAGE_SIZE - 1) // PAGE_SIZE)
    page = min(max(page, 1), pages)
    page_ids = list(db.session.scalars(ids.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)))
    query, trajectory, _parts = _base(region.id, today, persons=page_ids)
    query = query.where(trajectory.id.is_not(None)).order_by(
        trajectory.included_on.desc(), Person.id
    )
    return _page(query, page, actor=actor, region=region, what="regio", paged=(pages, total))


def _region_persons(region_id, filters: Filters, today: date):
    """A select of the ids of the region's persons with a running trajectory, in list order,
    with the filters applied."""
    from levensloop.reviews.schedule import reviews_due
    from levensloop.titles.services import carrousel_person_ids

    query = (
        sa.select(Person.id)
        .join(
            Trajectory,
            sa.and_(
                Trajectory.person_id == Person.id,
                Trajectory.region_id == region_id,
                Trajectory.status != UITGESTROOMD,
            ),
        )
        .where(Person.region_id == region_id, Person.shredded_at.is_(None))
    )
    if filters.status:
        query = query.where(Trajectory.status == filters.status)
    if filters.coordinator_id:
        query = query.where(Trajectory.coordinator_id == filters.coordinator_id)
    if filters.organisation_id:
        query = query.where(Trajectory.provider_organisation_id == filters.organisation_id)
    if filters.ave_phase:
        query = query.where(Trajectory.ave_phase == filters.ave_phase)
    region_persons = sa.select(Person.id).where(Person.region_id == region_id)
    if filters.overdue:
        overdue_action = (
            sa.select(Action.id)
            .join(Goal, Goal.id == Action.goal_id)
            .join(Plan, Plan.id == Goal.plan_id)
            .where(
                Action.person_id == Person.id,
                Plan.status != VERVALLEN,
                Action.status != "gereed",
                Action.due_date < today,
            )
            .exists()
        )
        reviews = reviews_due(today, region_id=region_id).subquery()
        review_late = Trajectory.id.in_(
            sa.select(reviews.c.trajectory_id).where(reviews.c.due_date < today)
        )
        query = query.where(sa.or_(overdue_action, review_late))
    if filters.carrousel:
        query = query.where(Person.id.in_(carrousel_person_ids(today, persons=region_persons)))
    return query.order_by(Trajectory.included_on.desc(), Person.id)


@dataclass
class Row:
    person: Person
    trajectory: Trajectory | None
    overdue: int
    next_due: date | None
    review_due: date | None = None
    title_ends: date | None = None
    carrousel: bool = False
    open_handovers: int | None = None
    open_escalations: int | None = None


def _page(query, page: int, *, actor, region, what: str, paged: tuple[int, int] | None = None):
    """One page of `query`; with `paged` (pages, total) the query already holds just that page's
    persons (the region overview pages in its first step)."""
    if paged is None:
        total = (
            db.session.scalar(
                sa.select(sa.func.count()).select_from(query.order_by(None).subquery())
            )
            or 0
        )
        pages = max(1, (total + PAGE_SIZE - 1) // PAGE_SIZE)
        page = min(max(page, 1), pages)
        query = query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    else:
        pages, total = paged
    rows = [
        Row(p, t, overdue or 0, next_due, *rest)
        for p, t, overdue, next_due, *rest in db.session.execute(query).all()
    ]
    keys.preload_data_keys(r.person.id for r in rows)
    record(
        "search",
        actor=actor,
        region_id=region.id,
        object_type="overzicht",
        categories=["identiteit", "proces"],
        details={"list": what, "results": len(rows)},
    )
    db.session.commit()
    return rows, SimplePage(page, pages, total)
