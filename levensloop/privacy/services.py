"""Questions the privacy officer asks of the audit log: who saw this person, on what basis."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased

from levensloop.audit.models import AuditEvent
from levensloop.auth.models import User
from levensloop.extensions import db
from levensloop.organisations.models import Organisation, Region
from levensloop.sharing.legal_bases import label as legal_basis_label

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

# Events that touch a person's data (the access report lists these).
PERSON_EVENTS = (
    "create",
    "read",
    "update",
    "search",
    "export",
    "print",
    "share",
    "shred",
    "break_glass",
    "participant_added",
    "participant_ended",
    "assigned",
    "access_denied",
)


EVENT_LABELS = {
    "create": _l("aangemaakt"),
    "read": _l("ingezien"),
    "update": _l("gewijzigd"),
    "search": _l("gezocht"),
    "export": _l("geëxporteerd"),
    "print": _l("afgedrukt"),
    "share": _l("gedeeld"),
    "shred": _l("vernietigd"),
    "break_glass": _l("noodtoegang"),
    "participant_added": _l("deelnemer toegevoegd"),
    "participant_ended": _l("deelname beëindigd"),
    "assigned": _l("toegewezen"),
    "access_denied": _l("toegang geweigerd"),
}


def event_label(event_type: str) -> str:
    return str(EVENT_LABELS.get(event_type, event_type))


@dataclass
class LogFilters:
    person_id: uuid.UUID | None = None
    user_id: uuid.UUID | None = None
    organisation_id: uuid.UUID | None = None
    event_type: str | None = None
    date_from: date | None = None
    date_to: date | None = None


def _bounds(filters: LogFilters):
    clauses = []
    if filters.date_from:
        clauses.append(
            AuditEvent.occurred_at >= datetime.combine(filters.date_from, time.min, AMSTERDAM)
        )
    if filters.date_to:
        clauses.append(
            AuditEvent.occurred_at
            < datetime.combine(filters.date_to + timedelta(days=1), time.min, AMSTERDAM)
        )
    return clauses


def search_log(region: Region, filters: LogFilters, page: int = 1):
    """One page of events (paged in SQL) plus the names on that page (one more query)."""
    query = sa.select(AuditEvent).where(AuditEvent.region_id == region.id, *_bounds(filters))
    if filters.person_id:
        query = query.where(AuditEvent.person_id == filters.person_id)
    if filters.user_id:
        query = query.where(AuditEvent.actor_user_id == filters.user_id)
    if filters.organisation_id:
        query = query.where(AuditEvent.actor_organisation_id == filters.organisation_id)
    if filters.event_type:
        query = query.where(AuditEvent.event_type == filters.event_type)
    pagination = db.paginate(
        query.order_by(AuditEvent.chain_seq.desc()), page=page, per_page=50, error_out=False
    )
    user_ids = {e.actor_user_id for e in pagination.items if e.actor_user_id}
    org_ids = {e.actor_organisation_id for e in pagination.items if e.actor_organisation_id}
    users = (
        dict(
            db.session.execute(
                sa.select(User.id, User.display_name).where(User.id.in_(user_ids))
            ).all()
        )
        if user_ids
        else {}
    )
    organisations = (
        dict(
            db.session.execute(
                sa.select(Organisation.id, Organisation.name).where(Organisation.id.in_(org_ids))
            ).all()
        )
        if org_ids
        else {}
    )
    rows = [
        (e, users.get(e.actor_user_id), organisations.get(e.actor_organisation_id))
        for e in pagination.items
    ]
    return pagination, rows


@dataclass
class AccessRow:
    occurred_at: datetime
    user: str
    organisation: str
    roles: str
    event: str
    categories: str
    basis: str
    break_glass: bool


def _access_query(region: Region, person_id: uuid.UUID):
    actor = aliased(User)
    organisation = aliased(Organisation)
    return (
        sa.select(AuditEvent, actor.display_name, organisation.name)
        .outerjoin(actor, actor.id == AuditEvent.actor_user_id)
        .outerjoin(organisation, organisation.id == AuditEvent.actor_organisation_id)
        .where(
            AuditEvent.region_id == region.id,
            AuditEvent.person_id == person_id,
            AuditEvent.event_type.in_(PERSON_EVENTS),
        )
        .order_by(AuditEvent.chain_seq.desc())
    )


def _access_row(event: AuditEvent, user_name: str | None, organisation_name: str | None):
    glass = (
        event.event_type == "break_glass"
        or event.purpose == "noodtoegang"
        or bool((event.details or {}).get("break_glass"))
    )
    return AccessRow(
        event.occurred_at,
        user_name or str(_l("systeem")),
        organisation_name or "",
        event.actor_roles or "",
        event.event_type,
        event.categories or "",
        legal_basis_label(event.legal_basis) or _role_basis(event),
        glass,
    )


def access_report(region: Region, person_id: uuid.UUID) -> list[AccessRow]:
    """Wie heeft dit dossier ingezien: who, when, organisation, role, what, on what basis."""
    return [_access_row(*row) for row in db.session.execute(_access_query(region, person_id))]


PER_PAGE = 50


def access_page(region: Region, person_id: uuid.UUID, page: int = 1):
    """The same report, one page at a time (the logboek tab of the person's file): the rows of
    the page in one query, the total in another."""
    from levensloop.web import simple_page

    query = _access_query(region, person_id)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    paging = simple_page(total, page, PER_PAGE)
    rows = db.session.execute(query.limit(PER_PAGE).offset((paging.page - 1) * PER_PAGE)).all()
    return [_access_row(*row) for row in rows], paging


VIA_LABELS = {
    "regio": _l("procesregie (rol in de regio)"),
    "caseload": _l("eigen caseload"),
    "casusregie": _l("gemeentelijke casusregie"),
    "noodtoegang": _l("noodtoegang"),
}


def _role_basis(event: AuditEvent) -> str:
    via = (event.details or {}).get("via") or []
    return str(VIA_LABELS.get(via[0], "")) if via else ""


def log_filter_options(region: Region) -> tuple[list[User], list[str]]:
    """The users of the region's organisations and the event types in its log."""
    users = list(
        db.session.scalars(
            sa.select(User)
            .join(User.organisation)
            .where(Organisation.region_id == region.id)
            .order_by(User.display_name)
        )
    )
    types = list(
        db.session.scalars(
            sa.select(AuditEvent.event_type)
            .where(AuditEvent.region_id == region.id)
            .distinct()
            .order_by(AuditEvent.event_type)
        )
    )
    return users, types


def read_log(actor, region: Region, filters: LogFilters, page: int = 1):
    """Search the log; the search itself is logged (with the filters, never personal text)."""
    from levensloop.audit.services import record

    result = search_log(region, filters, page=page)
    record(
        "audit_read",
        actor=actor,
        region_id=region.id,
        person_id=filters.person_id,
        details={"filters": {k: str(v) for k, v in vars(filters).items() if v}},
    )
    db.session.commit()
    return result
