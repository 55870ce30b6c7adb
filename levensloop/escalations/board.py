"""What the escalation pages show: the board (per level, overdue first), one person's
escalations and one escalation with its chain. Read-only; each records the read it makes."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from levensloop.audit.services import record
from levensloop.auth.models import User
from levensloop.db import local_today
from levensloop.escalations import sla
from levensloop.escalations import states as s
from levensloop.escalations.models import Escalation
from levensloop.escalations.services import CATEGORIES, OBJECT_TYPE, may_handle, may_open
from levensloop.extensions import db
from levensloop.organisations.models import Organisation, Region
from levensloop.persons.models import Person
from levensloop.persons.services import names_for
from levensloop.sharing import policy
from levensloop.web import SimplePage, simple_page

PAGE_SIZE = 25

# ---------------------------------------------------------------- the board

LOPEND, ALLE = "lopend", "alle"
STATUS_FILTERS = {
    LOPEND: _l("Lopend (open en in behandeling)"),
    **s.ESCALATION.labels,
    ALLE: _l("Alle"),
}


@dataclass
class BoardFilters:
    level: int | None = None
    status: str = LOPEND


@dataclass
class Row:
    id: uuid.UUID
    person_id: uuid.UUID
    person_name: str | None
    level: int
    reason: str
    status: str
    due_date: date
    overdue: bool
    suspended_until: date | None
    owner: str


@dataclass
class Board:
    rows: list[Row]
    page: SimplePage
    levels: dict
    counts: dict  # level -> (running, overdue)


def _visible(actor, region: Region):
    """Escalations of the region whose person the actor may see (the policy, in SQL)."""
    return sa.and_(
        Escalation.region_id == region.id,
        Escalation.person_id.in_(
            sa.select(Person.id).where(policy.accessible_persons_clause(actor, region.id))
        ),
    )


def board(
    actor, region: Region, filters: BoardFilters, *, page: int = 1, today: date | None = None
) -> Board:
    """One page of the board: overdue first, then by due date; filtered and paged in SQL; the
    names of the page's persons in one more query. The view is recorded as a search."""
    today = today or local_today()
    overdue = sla.overdue_clause(today)
    where = [_visible(actor, region)]
    if filters.level is not None:
        where.append(Escalation.level == filters.level)
    if filters.status == LOPEND:
        where.append(Escalation.status.in_(s.ACTIVE))
    elif filters.status in s.ESCALATION.labels:
        where.append(Escalation.status == filters.status)
    total = db.session.scalar(sa.select(sa.func.count(Escalation.id)).where(*where)) or 0
    current = simple_page(total, page, PAGE_SIZE)
    query = (
        sa.select(Escalation, Organisation.name)
        .join(Organisation, Organisation.id == Escalation.owner_organisation_id)
        .where(*where)
        .order_by(
            sa.case((overdue, 0), else_=1),
            Escalation.due_date,
            Escalation.opened_on,
            Escalation.id,
        )
        .limit(PAGE_SIZE)
        .offset((current.page - 1) * PAGE_SIZE)
    )
    found = db.session.execute(query).all()
    names = names_for(actor, region, [e.person_id for e, _name in found])
    rows = [
        Row(
            id=e.id,
            person_id=e.person_id,
            person_name=names.get(e.person_id),
            level=e.level,
            reason=e.reason,
            status=e.status,
            due_date=e.due_date,
            overdue=e.is_overdue(today),
            suspended_until=e.suspended_until if e.is_suspended(today) else None,
            owner=owner,
        )
        for e, owner in found
    ]
    counts = {
        level: (running, late)
        for level, running, late in db.session.execute(
            sa.select(
                Escalation.level,
                sa.func.count(Escalation.id),
                sa.func.count(Escalation.id).filter(overdue),
            )
            .where(_visible(actor, region), Escalation.status.in_(s.ACTIVE))
            .group_by(Escalation.level)
        )
    }
    record(
        "search",
        actor=actor,
        region_id=region.id,
        object_type=OBJECT_TYPE,
        categories=["identiteit", "proces"],
        details={
            "list": "escalaties",
            "level": filters.level,
            "status": filters.status,
            "results": len(rows),
        },
    )
    db.session.commit()
    return Board(rows, current, sla.levels_of(region.id), counts)


# ---------------------------------------------------------------- one person's escalations


@dataclass
class PersonList:
    rows: list[Row]
    levels: dict
    may_open: bool


def person_escalations(actor, region: Region, person: Person, *, today: date | None = None):
    """All escalations of one person, newest first, with the owners' names in the same query.
    Viewing is recorded as a read of process data."""
    today = today or local_today()
    found = db.session.execute(
        sa.select(Escalation, Organisation.name)
        .join(Organisation, Organisation.id == Escalation.owner_organisation_id)
        .where(Escalation.person_id == person.id, Escalation.region_id == region.id)
        .order_by(Escalation.opened_on.desc(), Escalation.level.desc(), Escalation.id)
    ).all()
    rows = [
        Row(
            id=e.id,
            person_id=e.person_id,
            person_name=None,
            level=e.level,
            reason=e.reason,
            status=e.status,
            due_date=e.due_date,
            overdue=e.is_overdue(today),
            suspended_until=e.suspended_until if e.is_suspended(today) else None,
            owner=owner,
        )
        for e, owner in found
    ]
    record(
        "read",
        actor=actor,
        region_id=region.id,
        person_id=person.id,
        object_type=OBJECT_TYPE,
        categories=CATEGORIES,
        details={"list": "persoon", "results": len(rows)},
    )
    db.session.commit()
    return PersonList(rows, sla.levels_of(region.id), may_open(actor, person))


# ---------------------------------------------------------------- the detail page


@dataclass
class ChainLink:
    id: uuid.UUID
    level: int
    status: str
    opened_on: date
    closed_on: date | None
    current: bool


@dataclass
class Detail:
    id: uuid.UUID
    person_id: uuid.UUID
    level: int
    reason: str
    level3_type: str | None
    status: str
    version: int
    opened_on: date
    opened_by: str | None
    initial_due_date: date
    due_date: date
    overdue: bool
    suspended_until: date | None  # only while suspended
    suspension_reason: str | None
    extended_on: date | None
    extension_reason: str | None
    closed_on: date | None
    owner_organisation: str
    owner_user: str | None
    description: str | None
    outcome: str | None
    handover_id: uuid.UUID | None
    levels: dict
    chain: list[ChainLink] = field(default_factory=list)
    can_handle: bool = False
    steps: frozenset = frozenset()  # the states the machine allows from here

    @property
    def running(self) -> bool:
        return self.status in s.ACTIVE

    @property
    def can_escalate(self) -> bool:
        return s.OPGESCHAALD in self.steps and self.level < s.TOP_LEVEL

    @property
    def next_level(self) -> int | None:
        return self.level + 1 if self.level < s.TOP_LEVEL else None


def _chain(person: Person, escalation: Escalation) -> list[ChainLink]:
    """The escalation's line from the first level to the last, from one query."""
    rows = db.session.execute(
        sa.select(
            Escalation.id,
            Escalation.parent_id,
            Escalation.level,
            Escalation.status,
            Escalation.opened_on,
            Escalation.closed_on,
        ).where(Escalation.person_id == person.id)
    ).all()
    by_id = {r.id: r for r in rows}
    child_of = {r.parent_id: r for r in rows if r.parent_id is not None}
    line = []
    node = by_id.get(escalation.id)
    while node is not None and node.id not in {n.id for n in line}:
        line.insert(0, node)
        node = by_id.get(node.parent_id) if node.parent_id else None
    node = child_of.get(escalation.id)
    while node is not None and len(line) <= len(rows):
        line.append(node)
        node = child_of.get(node.id)
    return [
        ChainLink(r.id, r.level, r.status, r.opened_on, r.closed_on, r.id == escalation.id)
        for r in line
    ]


def detail(
    actor, region: Region, person: Person, escalation: Escalation, *, today: date | None = None
) -> Detail:
    """What the detail page shows, decrypted; recorded as one read of process data."""
    today = today or local_today()
    user_ids = {escalation.opened_by_id, escalation.owner_user_id} - {None}
    users = (
        dict(
            db.session.execute(
                sa.select(User.id, User.display_name).where(User.id.in_(user_ids))
            ).all()
        )
        if user_ids
        else {}
    )
    organisation = db.session.get(Organisation, escalation.owner_organisation_id)
    handler = may_handle(actor, escalation, person)
    view = Detail(
        id=escalation.id,
        person_id=person.id,
        level=escalation.level,
        reason=escalation.reason,
        level3_type=escalation.level3_type,
        status=escalation.status,
        version=escalation.version,
        opened_on=escalation.opened_on,
        opened_by=users.get(escalation.opened_by_id),
        initial_due_date=escalation.initial_due_date,
        due_date=escalation.due_date,
        overdue=escalation.is_overdue(today),
        suspended_until=escalation.suspended_until if escalation.is_suspended(today) else None,
        suspension_reason=escalation.suspension_reason if escalation.is_suspended(today) else None,
        extended_on=escalation.extended_on,
        extension_reason=escalation.extension_reason,
        closed_on=escalation.closed_on,
        owner_organisation=organisation.name if organisation else "",
        owner_user=users.get(escalation.owner_user_id),
        description=escalation.description,
        outcome=escalation.outcome,
        handover_id=escalation.handover_id,
        levels=sla.levels_of(region.id),
        chain=_chain(person, escalation),
        can_handle=handler,
        steps=s.ESCALATION.allowed.get(escalation.status, frozenset()) if handler else frozenset(),
    )
    record(
        "read",
        actor=actor,
        region_id=region.id,
        person_id=person.id,
        object_type=OBJECT_TYPE,
        object_id=escalation.id,
        categories=CATEGORIES,
    )
    db.session.commit()
    return view
