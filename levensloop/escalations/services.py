"""The escalation route: opening, handling, escalating, resolving, suspending and extending an
escalation, and the selects for the alerts. The pages read through `board.py`; the region's
levels are set in `settings.py`.

Who may do what (DOMAIN.md §6, ARCHITECTURE roles):
- Opening an escalation for a person needs the right to update that person's file (the
  procesregisseur of the region, the person's coördinator). Opening directly at level 2 or 3 is
  for the procesregisseur: the coördinator starts at the case (0) or ZVH procesregie (1).
- The procesregisseur handles every level; level 0 can also be handled by the person's
  coördinator. Another region's escalation does not exist (404).
- Every change is audited as object type "escalatie" with category `proces`; free text is
  encrypted with the person's key and never goes into the audit details.

Each public function is one unit of work: it checks, changes, audits and commits, or raises and
changes nothing.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from levensloop.audit.services import record
from levensloop.auth.models import Role, User
from levensloop.db import local_today
from levensloop.errors import Conflict, DomainError, NotAllowed, NotFound, TransitionNotAllowed
from levensloop.escalations import sla
from levensloop.escalations import states as s
from levensloop.escalations.models import Escalation
from levensloop.extensions import db
from levensloop.inclusion.models import Trajectory
from levensloop.inclusion.states import UITGESTROOMD
from levensloop.organisations.models import Organisation, OrganisationType, Region
from levensloop.persons.models import Person
from levensloop.sharing import policy
from levensloop.sharing.models import CaseAssignment
from levensloop.workdays import is_workday
from levensloop.workflow import transition

OBJECT_TYPE = "escalatie"
CATEGORIES = ["proces"]
MIN_TEXT = 10
MAX_TEXT = 3000
MAX_REASON = 1000
MAX_SUSPENSION = timedelta(days=366)


class InvalidInput(DomainError):
    """Several fields can be wrong at once: `errors` maps each field to its Dutch message."""

    def __init__(self, errors: dict[str, str]):
        first = next(iter(errors))
        super().__init__(errors[first], field=first)
        self.errors = errors


# ---------------------------------------------------------------- rights


def may_open(actor, person: Person) -> bool:
    return actor is not None and not person.is_shredded and policy.can(actor, policy.UPDATE, person)


def may_handle(actor, escalation: Escalation, person: Person) -> bool:
    """The procesregisseur of the region, and for level 0 also the person's coördinator."""
    if actor is None or person.is_shredded:
        return False
    roles = actor.roles_in(escalation.region_id)
    if Role.PROCESREGISSEUR in roles and policy.can(actor, policy.UPDATE, person):
        return True
    return (
        escalation.level == 0
        and Role.LEVENSLOOPCOORDINATOR in roles
        and "caseload" in policy.access(actor, person).via
    )


def _require_handler(actor, escalation: Escalation, person: Person) -> None:
    """`actor=None` is the system (a job, the CLI): trusted code, as in the person services."""
    if actor is None and not person.is_shredded:
        return
    if may_handle(actor, escalation, person):
        return
    if escalation.level == 0:
        raise NotAllowed(
            _(
                "Alleen de procesregisseur en de coördinator van deze persoon handelen deze "
                "escalatie af."
            )
        )
    raise NotAllowed(_("Alleen de procesregisseur handelt escalaties vanaf niveau 1 af."))


def require_handler(actor, region: Region, person: Person, escalation: Escalation) -> None:
    """403 unless the actor may act on this escalation (a view asks before reading a form)."""
    if escalation.region_id != region.id or escalation.person_id != person.id:
        raise NotFound(_("Deze escalatie bestaat niet."))
    _require_handler(actor, escalation, person)


def _require_step(escalation: Escalation, target: str) -> None:
    """The same refusal `workflow.transition` gives, before anything else is checked."""
    if not s.ESCALATION.can(escalation.status, target):
        raise TransitionNotAllowed(
            _(
                "Van \u201c%(current)s\u201d naar \u201c%(target)s\u201d is niet toegestaan.",
                current=s.ESCALATION.label(escalation.status),
                target=s.ESCALATION.label(target),
            )
        )


def _require_version(escalation: Escalation, version: int | None) -> None:
    if version is not None and version != escalation.version:
        raise Conflict(
            _(
                "Iemand anders heeft deze escalatie intussen gewijzigd. Bekijk de nieuwe stand "
                "en probeer het opnieuw."
            )
        )


def _commit() -> None:
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise Conflict(
            _("Iemand anders heeft deze escalatie intussen gewijzigd. Bekijk de nieuwe stand.")
        ) from None


def _text(value: str | None) -> str:
    return (value or "").strip()


def _check_text(errors: dict, name: str, value: str, message: str, maximum: int) -> None:
    if len(value) < MIN_TEXT:
        errors[name] = message
    elif len(value) > maximum:
        errors[name] = _("Gebruik hoogstens %(n)s tekens.", n=maximum)


# ---------------------------------------------------------------- loading


def get_escalation(region: Region, person: Person, escalation_id: uuid.UUID | None) -> Escalation:
    """An escalation of this person in this region; anything else is 404."""
    escalation = db.session.get(Escalation, escalation_id) if escalation_id else None
    if escalation is None or escalation.region_id != region.id or escalation.person_id != person.id:
        raise NotFound(_("Deze escalatie bestaat niet."))
    return escalation


# ---------------------------------------------------------------- opening


def _current_trajectory(person: Person) -> Trajectory | None:
    return db.session.scalar(
        sa.select(Trajectory)
        .where(Trajectory.person_id == person.id, Trajectory.status != UITGESTROOMD)
        .order_by(Trajectory.included_on.desc())
        .limit(1)
    )


def _organisation_of_type(region: Region, kind: OrganisationType) -> uuid.UUID | None:
    return db.session.scalar(
        sa.select(Organisation.id)
        .where(
            Organisation.region_id == region.id,
            Organisation.type == kind,
            Organisation.active,
        )
        .order_by(Organisation.name)
        .limit(1)
    )


def _default_owner(
    actor, region: Region, person: Person, level: int, organisation_id: uuid.UUID | None
) -> tuple[uuid.UUID, uuid.UUID | None]:
    """Who must act: at the case (0) the coördinator and the Levensloopaanbieder; from level 1
    the procesregisseur of the trajectory at the ZVH, at level 3 the national point if the
    region has one as an organisation."""
    trajectory = _current_trajectory(person)
    user_id = None
    if level == 0:
        user_id = trajectory.coordinator_id if trajectory else None
        if user_id is None:
            user_id = db.session.scalar(
                sa.select(CaseAssignment.user_id)
                .where(
                    CaseAssignment.person_id == person.id,
                    CaseAssignment.role == "coordinator",
                    policy.active_on(CaseAssignment, local_today()),
                )
                .order_by(CaseAssignment.start_date)
                .limit(1)
            )
        if organisation_id is None and trajectory is not None:
            organisation_id = trajectory.provider_organisation_id
        if organisation_id is None and user_id is not None:
            organisation_id = db.session.scalar(
                sa.select(User.organisation_id).where(User.id == user_id)
            )
    else:
        user_id = trajectory.procesregisseur_id if trajectory else None
        if (
            user_id is None
            and actor is not None
            and Role.PROCESREGISSEUR in actor.roles_in(region.id)
        ):
            user_id = actor.id
        if organisation_id is None and level == s.TOP_LEVEL:
            organisation_id = _organisation_of_type(region, OrganisationType.LANDELIJK)
        if organisation_id is None:
            organisation_id = _organisation_of_type(region, OrganisationType.ZVH)
    if organisation_id is None and actor is not None:
        organisation_id = actor.organisation_id
    if organisation_id is None:
        raise DomainError(_("Kies de organisatie die moet handelen."), field="owner_organisation")
    return organisation_id, user_id


def _create(
    actor,
    region: Region,
    person: Person,
    *,
    level: int,
    reason: str,
    level3_type: str | None,
    description: str,
    owner_organisation_id: uuid.UUID | None,
    parent_id: uuid.UUID | None,
    handover_id: uuid.UUID | None,
) -> Escalation:
    today = local_today()
    setting = sla.levels_of(region.id)[level]
    organisation_id, user_id = _default_owner(actor, region, person, level, owner_organisation_id)
    due = sla.due_date(today, setting.response_days)
    escalation = Escalation(
        id=uuid.uuid4(),
        region_id=region.id,
        person_id=person.id,
        level=level,
        reason=reason,
        level3_type=level3_type if level == s.TOP_LEVEL else None,
        status=s.ESCALATION.initial,
        owner_organisation_id=organisation_id,
        owner_user_id=user_id,
        opened_on=today,
        opened_by_id=actor.id if actor is not None else None,
        initial_due_date=due,
        due_date=due,
        parent_id=parent_id,
        handover_id=handover_id,
    )
    db.session.add(escalation)
    escalation.description = description
    record(
        "escalation_opened",
        actor=actor,
        region_id=region.id,
        person_id=person.id,
        object_type=OBJECT_TYPE,
        object_id=escalation.id,
        categories=CATEGORIES,
        details={
            "level": level,
            "reason": reason,
            "due_date": due.isoformat(),
            "parent": str(parent_id) if parent_id else None,
            "handover": str(handover_id) if handover_id else None,
        },
    )
    return escalation


def open_escalation(
    actor,
    region: Region,
    person: Person,
    *,
    reason: str,
    description: str,
    level: int = 0,
    owner_organisation_id: uuid.UUID | None = None,
    handover_id: uuid.UUID | None = None,
    level3_type: str | None = None,
) -> Escalation:
    """Open an escalation for a person at `level` (0 unless said otherwise). The due date is
    today plus the level's response time in werkdagen. `handover_id`: the warm handover whose
    rejection led to it. `actor=None` is the system (a job, the CLI)."""
    if person.region_id != region.id:
        raise NotFound(_("Deze persoon bestaat niet in deze regio."))
    if person.is_shredded:
        raise DomainError(_("De gegevens van deze persoon zijn vernietigd."))
    if actor is not None and not may_open(actor, person):
        raise NotAllowed(_("U mag voor deze persoon geen escalatie openen."))
    errors: dict[str, str] = {}
    if level not in s.LEVELS:
        errors["level"] = _("Kies een niveau van 0 tot en met 3.")
    elif level > 1 and actor is not None and Role.PROCESREGISSEUR not in actor.roles_in(region.id):
        errors["level"] = _(
            "Alleen de procesregisseur opent een escalatie op niveau 2 of 3. Kies niveau 0 of 1."
        )
    if reason not in s.REASONS:
        errors["reason"] = _("Kies de reden van de escalatie.")
    if level == s.TOP_LEVEL and level3_type not in s.LEVEL3_TYPES:
        errors["level3_type"] = _("Kies welk landelijk punt de escalatie oppakt.")
    description = _text(description)
    _check_text(
        errors,
        "description",
        description,
        _("Beschrijf wat er vastloopt en wat al is geprobeerd, in minstens 10 tekens."),
        MAX_TEXT,
    )
    if owner_organisation_id is not None:
        organisation = db.session.get(Organisation, owner_organisation_id)
        if organisation is None or organisation.region_id != region.id or not organisation.active:
            errors["owner_organisation"] = _("Kies een organisatie uit deze regio.")
    if errors:
        raise InvalidInput(errors)
    escalation = _create(
        actor,
        region,
        person,
        level=level,
        reason=reason,
        level3_type=level3_type,
        description=description,
        owner_organisation_id=owner_organisation_id,
        parent_id=None,
        handover_id=handover_id,
    )
    _commit()
    return escalation


# ---------------------------------------------------------------- the state machine


def _step(actor, region: Region, person: Person, escalation: Escalation, target: str, **details):
    transition(
        s.ESCALATION,
        escalation,
        target,
        actor=actor,
        region_id=region.id,
        person_id=person.id,
        details={"level": escalation.level, **details},
    )


def _guard(actor, region, person, escalation, target, version) -> None:
    if escalation.region_id != region.id or escalation.person_id != person.id:
        raise NotFound(_("Deze escalatie bestaat niet."))
    _require_handler(actor, escalation, person)
    _require_step(escalation, target)
    _require_version(escalation, version)


def start_handling(
    actor, region: Region, person: Person, escalation: Escalation, *, version: int | None = None
) -> Escalation:
    """In behandeling nemen: whoever takes it becomes the person who follows it up."""
    _guard(actor, region, person, escalation, s.IN_BEHANDELING, version)
    _step(actor, region, person, escalation, s.IN_BEHANDELING)
    if actor is not None:
        escalation.owner_user_id = actor.id
    _commit()
    return escalation


def _close(actor, region, person, escalation, target, version, *, text, field, message, limit):
    """Close an escalation (opgelost or ingetrokken) with a required text, kept as the outcome."""
    _guard(actor, region, person, escalation, target, version)
    text = _text(text)
    errors: dict[str, str] = {}
    _check_text(errors, field, text, message, limit)
    if errors:
        raise InvalidInput(errors)
    _step(actor, region, person, escalation, target)
    escalation.outcome = text
    escalation.closed_on = local_today()
    _commit()
    return escalation


def resolve(
    actor,
    region: Region,
    person: Person,
    escalation: Escalation,
    *,
    outcome: str,
    version: int | None = None,
) -> Escalation:
    """Opgelost, with the outcome and the decision taken."""
    return _close(
        actor,
        region,
        person,
        escalation,
        s.OPGELOST,
        version,
        text=outcome,
        field="outcome",
        message=_("Leg de uitkomst en het besluit vast, in minstens 10 tekens."),
        limit=MAX_TEXT,
    )


def withdraw(
    actor,
    region: Region,
    person: Person,
    escalation: Escalation,
    *,
    reason: str,
    version: int | None = None,
) -> Escalation:
    """Ingetrokken, with the reason (kept as the outcome)."""
    return _close(
        actor,
        region,
        person,
        escalation,
        s.INGETROKKEN,
        version,
        text=reason,
        field="reason",
        message=_("Geef aan waarom de escalatie wordt ingetrokken, in minstens 10 tekens."),
        limit=MAX_REASON,
    )


def escalate(
    actor,
    region: Region,
    person: Person,
    escalation: Escalation,
    *,
    motivation: str,
    level3_type: str | None = None,
    version: int | None = None,
) -> Escalation:
    """Opgeschaald: this escalation closes and a linked one opens at the next level, with its
    own owner and due date. Returns the new escalation. Level 3 is the top."""
    if escalation.region_id != region.id or escalation.person_id != person.id:
        raise NotFound(_("Deze escalatie bestaat niet."))
    _require_handler(actor, escalation, person)
    if escalation.level >= s.TOP_LEVEL:
        raise TransitionNotAllowed(
            _(
                "Niveau 3 is het hoogste niveau: deze escalatie kan niet verder worden "
                "opgeschaald. Los haar op of trek haar in."
            )
        )
    _require_step(escalation, s.OPGESCHAALD)
    _require_version(escalation, version)
    next_level = escalation.level + 1
    motivation = _text(motivation)
    errors: dict[str, str] = {}
    if next_level == s.TOP_LEVEL and level3_type not in s.LEVEL3_TYPES:
        errors["level3_type"] = _("Kies welk landelijk punt de escalatie oppakt.")
    _check_text(
        errors,
        "motivation",
        motivation,
        _("Motiveer waarom het volgende niveau nodig is, in minstens 10 tekens."),
        MAX_TEXT,
    )
    if errors:
        raise InvalidInput(errors)
    _step(actor, region, person, escalation, s.OPGESCHAALD, to_level=next_level)
    escalation.outcome = motivation
    escalation.closed_on = local_today()
    successor = _create(
        actor,
        region,
        person,
        level=next_level,
        reason=escalation.reason,
        level3_type=level3_type,
        description=motivation,
        owner_organisation_id=None,
        parent_id=escalation.id,
        handover_id=escalation.handover_id,
    )
    _commit()
    return successor


def transition_escalation(
    actor,
    region: Region,
    person: Person,
    escalation: Escalation,
    target: str,
    *,
    text: str = "",
    level3_type: str | None = None,
    version: int | None = None,
) -> Escalation:
    """One entry for every step of the machine: `text` is the outcome (opgelost), the reason
    (ingetrokken) or the motivation (opgeschaald). Returns the escalation that is current
    afterwards (for opgeschaald the new one at the next level)."""
    if target == s.IN_BEHANDELING:
        return start_handling(actor, region, person, escalation, version=version)
    if target == s.OPGELOST:
        return resolve(actor, region, person, escalation, outcome=text, version=version)
    if target == s.INGETROKKEN:
        return withdraw(actor, region, person, escalation, reason=text, version=version)
    if target == s.OPGESCHAALD:
        return escalate(
            actor,
            region,
            person,
            escalation,
            motivation=text,
            level3_type=level3_type,
            version=version,
        )
    _guard(actor, region, person, escalation, target, version)
    raise TransitionNotAllowed(_("Deze stap bestaat niet."))  # pragma: no cover


# ---------------------------------------------------------------- suspension and extension


def _require_running(escalation: Escalation, message: str) -> None:
    if escalation.status not in s.ACTIVE:
        raise TransitionNotAllowed(message)


def suspend(
    actor,
    region: Region,
    person: Person,
    escalation: Escalation,
    *,
    until: date | None,
    reason: str,
    version: int | None = None,
) -> Escalation:
    """Opschorten tot en met `until`: the clock stops; the werkdagen that were left start
    again after the suspension (see `sla.due_after_suspension`)."""
    if escalation.region_id != region.id or escalation.person_id != person.id:
        raise NotFound(_("Deze escalatie bestaat niet."))
    _require_handler(actor, escalation, person)
    _require_running(escalation, _("Alleen een lopende escalatie kan worden opgeschort."))
    _require_version(escalation, version)
    today = local_today()
    reason = _text(reason)
    errors: dict[str, str] = {}
    if until is None:
        errors["until"] = _("Vul de datum in tot wanneer de escalatie is opgeschort.")
    elif until <= today:
        errors["until"] = _("Kies een datum in de toekomst.")
    elif until > today + MAX_SUSPENSION:
        errors["until"] = _("Schort hoogstens een jaar op.")
    _check_text(
        errors,
        "reason",
        reason,
        _("Geef de reden van de opschorting, in minstens 10 tekens."),
        MAX_REASON,
    )
    if errors:
        raise InvalidInput(errors)
    previous = escalation.due_date
    escalation.due_date = sla.due_after_suspension(today, previous, until)
    escalation.suspended_until = until
    escalation.suspension_reason = reason
    record(
        "escalation_suspended",
        actor=actor,
        region_id=region.id,
        person_id=person.id,
        object_type=OBJECT_TYPE,
        object_id=escalation.id,
        categories=CATEGORIES,
        details={
            "until": until.isoformat(),
            "due_from": previous.isoformat(),
            "due_to": escalation.due_date.isoformat(),
        },
    )
    _commit()
    return escalation


def extend(
    actor,
    region: Region,
    person: Person,
    escalation: Escalation,
    *,
    new_due: date | None,
    reason: str,
    version: int | None = None,
) -> Escalation:
    """Verlengen: a later due date (a werkdag in the future), with the reason."""
    if escalation.region_id != region.id or escalation.person_id != person.id:
        raise NotFound(_("Deze escalatie bestaat niet."))
    _require_handler(actor, escalation, person)
    _require_running(
        escalation, _("Alleen van een lopende escalatie kan de termijn worden verlengd.")
    )
    _require_version(escalation, version)
    today = local_today()
    reason = _text(reason)
    errors: dict[str, str] = {}
    if new_due is None:
        errors["new_due"] = _("Vul de nieuwe termijn in.")
    elif new_due <= today:
        errors["new_due"] = _("Kies een datum in de toekomst.")
    elif new_due <= escalation.due_date:
        errors["new_due"] = _(
            "De nieuwe termijn moet na de huidige termijn liggen (%(date)s).",
            date=escalation.due_date.strftime("%d-%m-%Y"),
        )
    elif not is_workday(new_due):
        errors["new_due"] = _("Kies een werkdag: geen weekend of feestdag.")
    _check_text(
        errors,
        "reason",
        reason,
        _("Geef de reden van de verlenging, in minstens 10 tekens."),
        MAX_REASON,
    )
    if errors:
        raise InvalidInput(errors)
    previous = escalation.due_date
    escalation.due_date = new_due
    escalation.extended_on = today
    escalation.extension_reason = reason
    record(
        "escalation_extended",
        actor=actor,
        region_id=region.id,
        person_id=person.id,
        object_type=OBJECT_TYPE,
        object_id=escalation.id,
        categories=CATEGORIES,
        details={"due_from": previous.isoformat(), "due_to": new_due.isoformat()},
    )
    _commit()
    return escalation


# ---------------------------------------------------------------- for alerts and the caseload


def overdue_escalations(today: date | None = None):
    """A select of the escalations past their due date on `today` (open or in behandeling, not
    suspended), every region, oldest due date first. One statement; the caller executes it."""
    today = today or local_today()
    return (
        sa.select(Escalation)
        .where(sla.overdue_clause(today))
        .order_by(Escalation.due_date, Escalation.id)
    )


def open_escalations_per_person():
    """A select of (person_id, count) of the escalations that are open or in behandeling."""
    return (
        sa.select(Escalation.person_id, sa.func.count().label("open_escalations"))
        .where(Escalation.status.in_(s.ACTIVE))
        .group_by(Escalation.person_id)
    )
