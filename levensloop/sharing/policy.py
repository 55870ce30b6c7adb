"""The one door to personal data: `access()`, `visible_categories()` and `can()`.

Every view, service, export and job that touches a person asks here. The rules:

- Another region's person: nothing (the loader answers 404).
- Procesregisseur: the whole region, every category.
- Levensloopcoördinator: the persons of their own caseload in full.
- Gemeentelijke casusregisseur: the persons assigned to them, with the grants of their
  organisation type.
- Any user whose organisation takes part in the person's case today: the categories the
  region's sharing matrix grants that organisation type, on the participation's legal basis.
- A coördinator or procesregisseur with active break-glass access: every category, logged.
- Privacy officer, functioneel beheerder, landelijk analist: no case content.
"""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from flask import g, has_request_context

from levensloop.auth.models import Role, User
from levensloop.db import local_today, utcnow
from levensloop.extensions import db
from levensloop.organisations.models import OrganisationType
from levensloop.sharing.categories import ALL, DEFAULT_GRANTS, Category  # noqa: F401  (ALL is re-exported)
from levensloop.sharing.models import BreakGlass, CaseAssignment, CaseParticipant, SharingRule

READ, UPDATE, MANAGE = "read", "update", "manage"


@dataclass(frozen=True)
class Access:
    categories: frozenset[Category] = frozenset()
    can_update: bool = False
    can_manage: bool = False  # participants and assignments
    via: tuple[str, ...] = ()
    legal_basis: str | None = None
    break_glass: BreakGlass | None = field(default=None, compare=False)

    @property
    def any(self) -> bool:
        return bool(self.categories)

    @property
    def only_by_break_glass(self) -> bool:
        return self.via == ("noodtoegang",)


NO_ACCESS = Access()


def grants(region_id: uuid.UUID, organisation_type: OrganisationType) -> frozenset[Category]:
    """The categories a region grants an organisation type: its own rules over the defaults."""
    allowed = set(DEFAULT_GRANTS.get(organisation_type, frozenset()))
    for rule in _rules(region_id):
        if rule.organisation_type == organisation_type:
            (allowed.add if rule.allowed else allowed.discard)(rule.category)
    return frozenset(allowed)


def _rules(region_id: uuid.UUID) -> list[SharingRule]:
    cache = g.setdefault("sharing_rules", {}) if has_request_context() else {}
    if region_id not in cache:
        cache[region_id] = list(
            db.session.scalars(sa.select(SharingRule).where(SharingRule.region_id == region_id))
        )
    return cache[region_id]


def access(
    user: User | None, person, *, today: date | None = None, now: datetime | None = None
) -> Access:
    if user is None or not getattr(user, "is_authenticated", False):
        return NO_ACCESS
    cache = g.setdefault("person_access", {}) if has_request_context() else {}
    key = (user.id, person.id)
    if key in cache and today is None and now is None:
        return cache[key]
    decision = _decide(user, person, today or local_today(), now or utcnow())
    cache[key] = decision
    return decision


def _decide(user: User, person, today: date, now: datetime) -> Access:
    roles = user.roles_in(person.region_id)
    if not roles or person.is_shredded:
        return NO_ACCESS
    categories: set[Category] = set()
    via: list[str] = []
    can_update = can_manage = False
    legal_basis = None
    if Role.PROCESREGISSEUR in roles:
        categories |= ALL
        via.append("regio")
        can_update = can_manage = True
    assignments = _assignments(user.id, person.id, today)
    if Role.LEVENSLOOPCOORDINATOR in roles and "coordinator" in assignments:
        categories |= ALL
        via.append("caseload")
        can_update = can_manage = True
    if Role.CASUSREGISSEUR in roles and "casusregisseur" in assignments:
        categories |= grants(person.region_id, user.organisation.type)
        via.append("casusregie")
    if roles & {Role.KETENPARTNER, Role.CASUSREGISSEUR, Role.LEVENSLOOPCOORDINATOR}:
        participation = _participation(user.organisation_id, person.id, today)
        if participation is not None:
            categories |= grants(person.region_id, user.organisation.type)
            via.append("deelnemer")
            legal_basis = participation.legal_basis
    if roles & {Role.LEVENSLOOPCOORDINATOR, Role.PROCESREGISSEUR} and ALL - categories:
        glass = active_break_glass(user.id, person.id, now)
        if glass is not None:
            return (
                Access(
                    ALL,
                    can_update=can_update,
                    can_manage=can_manage,
                    via=(*via, "noodtoegang"),
                    legal_basis=legal_basis,
                    break_glass=glass,
                )
                if via
                else Access(ALL, via=("noodtoegang",), break_glass=glass)
            )
    return Access(frozenset(categories), can_update, can_manage, tuple(via), legal_basis)


def active_on(model, today: date):
    """SQL: a participation or assignment (start_date, end_date) that runs on `today`."""
    return sa.and_(
        model.start_date <= today, sa.or_(model.end_date.is_(None), model.end_date >= today)
    )


def _assignments(user_id: uuid.UUID, person_id: uuid.UUID, today: date) -> set[str]:
    rows = db.session.scalars(
        sa.select(CaseAssignment.role).where(
            CaseAssignment.user_id == user_id,
            CaseAssignment.person_id == person_id,
            active_on(CaseAssignment, today),
        )
    )
    return set(rows)


def _participation(
    organisation_id: uuid.UUID, person_id: uuid.UUID, today: date
) -> CaseParticipant | None:
    return db.session.scalar(
        sa.select(CaseParticipant)
        .where(
            CaseParticipant.organisation_id == organisation_id,
            CaseParticipant.person_id == person_id,
            active_on(CaseParticipant, today),
        )
        .limit(1)
    )


def active_break_glass(
    user_id: uuid.UUID, person_id: uuid.UUID, now: datetime
) -> BreakGlass | None:
    return db.session.scalar(
        sa.select(BreakGlass)
        .where(
            BreakGlass.user_id == user_id,
            BreakGlass.person_id == person_id,
            BreakGlass.started_at <= now,
            BreakGlass.expires_at > now,
        )
        .order_by(BreakGlass.expires_at.desc())
        .limit(1)
    )


def visible_categories(user: User | None, person) -> frozenset[Category]:
    return access(user, person).categories


def can(user: User | None, action: str, person, category: Category | str | None = None) -> bool:
    decision = access(user, person)
    if action == READ:
        return Category(category) in decision.categories if category else decision.any
    if action == UPDATE:
        return decision.can_update
    if action == MANAGE:
        return decision.can_manage
    return False


def forget() -> None:
    """Drop cached decisions after a change in participants, assignments or break-glass."""
    if has_request_context():
        g.pop("person_access", None)
        g.pop("sharing_rules", None)


# ---------------------------------------------------------------- lists: the same rules in SQL


def accessible_persons_clause(user: User, region_id: uuid.UUID, today: date | None = None):
    """A WHERE clause on Person for the persons this user may see in this region (no
    break-glass: emergency access opens one person, it does not put anyone in a list)."""
    from levensloop.persons.models import Person

    today = today or local_today()
    roles = user.roles_in(region_id)
    if Role.PROCESREGISSEUR in roles:
        return Person.region_id == region_id
    clauses = []
    active = functools.partial(active_on, today=today)
    assignment_roles = [
        r
        for r, needed in (
            ("coordinator", Role.LEVENSLOOPCOORDINATOR),
            ("casusregisseur", Role.CASUSREGISSEUR),
        )
        if needed in roles
    ]
    if assignment_roles:
        clauses.append(
            Person.id.in_(
                sa.select(CaseAssignment.person_id).where(
                    CaseAssignment.user_id == user.id,
                    CaseAssignment.role.in_(assignment_roles),
                    active(CaseAssignment),
                )
            )
        )
    if roles & {Role.KETENPARTNER, Role.CASUSREGISSEUR, Role.LEVENSLOOPCOORDINATOR}:
        if grants(region_id, user.organisation.type):
            clauses.append(
                Person.id.in_(
                    sa.select(CaseParticipant.person_id).where(
                        CaseParticipant.organisation_id == user.organisation_id,
                        active(CaseParticipant),
                    )
                )
            )
    if not clauses:
        return sa.false()
    return sa.and_(Person.region_id == region_id, Person.shredded_at.is_(None), sa.or_(*clauses))
