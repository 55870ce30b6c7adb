"""Demo data for the escalation route, plainly fictional and marked "(demo)": for one of the demo
coördinator's persons a case escalation that went up to ZVH procesregie about 15 werkdagen ago
and is now overdue there; for another a case escalation that the coördinator is handling."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import sqlalchemy as sa

from levensloop.auth.models import User
from levensloop.escalations import services, sla
from levensloop.escalations.models import Escalation
from levensloop.extensions import db
from levensloop.organisations.models import Region
from levensloop.persons.models import Person
from levensloop.sharing.models import CaseAssignment
from levensloop.workdays import add_workdays

COORDINATOR = "coordinator@zvh-demo.example"


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10, 0), tzinfo=UTC)


def _backdate(escalation: Escalation, opened_on: date, response_days: int) -> None:
    escalation.opened_on = opened_on
    escalation.initial_due_date = escalation.due_date = sla.due_date(opened_on, response_days)
    escalation.created_at = _at(opened_on)
    if escalation.status_changed_at is not None:
        escalation.status_changed_at = _at(opened_on)


def seed_demo(region: Region, today: date) -> int:
    """Add the demo escalations to `region` (after `levensloop.demo.seed_case_work`). Does
    nothing when the region already has escalations or the demo coördinator is missing.
    Commits. Returns the number of escalations added."""
    coordinator = db.session.scalar(sa.select(User).where(User.username == COORDINATOR))
    if coordinator is None or db.session.scalar(
        sa.select(sa.func.count(Escalation.id)).where(Escalation.region_id == region.id)
    ):
        return 0
    person_ids = list(
        db.session.scalars(
            sa.select(CaseAssignment.person_id)
            .where(CaseAssignment.user_id == coordinator.id, CaseAssignment.role == "coordinator")
            .order_by(CaseAssignment.start_date)
        )
    )
    persons = [db.session.get(Person, pid) for pid in person_ids[:2]]
    if len(persons) < 2:
        return 0
    levels = sla.levels_of(region.id)
    first, second = persons

    # A case escalation (level 0) opened 22 werkdagen ago, escalated after a week to ZVH
    # procesregie, where it has waited longer than its 10 werkdagen.
    case = services.open_escalation(
        coordinator,
        region,
        first,
        reason="geen_passend_bed",
        description="Geen passende woonplek met 24-uurs begeleiding; drie aanbieders hebben "
        "afgewezen (demo).",
        level=0,
    )
    services.start_handling(coordinator, region, first, case)
    upper = services.escalate(
        coordinator,
        region,
        first,
        case,
        motivation="Binnen de casus is geen plek gevonden; procesregie is nodig om aanbieders "
        "aan tafel te krijgen (demo).",
    )
    case_opened = add_workdays(today, -22)
    escalated_on = add_workdays(today, -15)
    _backdate(case, case_opened, levels[0].response_days)
    case.closed_on = escalated_on
    case.status_changed_at = _at(escalated_on)
    _backdate(upper, escalated_on, levels[1].response_days)

    # A case escalation in behandeling, still within its term.
    handling = services.open_escalation(
        coordinator,
        region,
        second,
        reason="financiering",
        description="Onduidelijk wie de dagbesteding betaalt na het einde van de indicatie (demo).",
        level=0,
    )
    services.start_handling(coordinator, region, second, handling)
    _backdate(handling, add_workdays(today, -2), levels[0].response_days)
    db.session.commit()
    return 3
