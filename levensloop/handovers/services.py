"""Warm handovers: planning, offering, accepting, refusing, withdrawing and completing, the
checklist, the lists and the bulk reassignment of a departing coördinator's caseload.

Who may do what:

- The sending side plans, offers and withdraws: the procesregisseur of the region or the
  person's own coördinator (whoever may update the person's file and holds one of those roles).
- The receiving side accepts or refuses. For an organisation or title handover: a user of the
  receiving organisation with a case role in the region, or the procesregisseur; for a
  coördinator handover: the receiving coördinator or the procesregisseur; for an
  inter-regional one: the procesregisseur of the receiving region.
- Both sides tick the checklist (the receiver once it has accepted) and complete.

Responsibility (who is answerable for the person) moves only on acceptance: the receiving
organisation takes part in the case and becomes the trajectory's Levensloopaanbieder, the
receiving coördinator gets the person in the caseload and becomes the trajectory's coördinator.
The sender stays responsible until `afgerond`, when its participation or assignment ends that
day (the overlap). Refusing or withdrawing changes nothing about responsibility.

At most one handover per responsibility runs at a time (an organisation or title handover, and a
coördinator handover); an inter-regional handover needs the person to have no other handover
running until it has been accepted. Every step is audited (object type "overdracht", category
proces), for an inter-regional handover in both regions.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from levensloop.audit.services import record
from levensloop.auth.models import Role, RoleAssignment, User
from levensloop.db import local_today, utcnow
from levensloop.errors import Conflict, DomainError, NotAllowed, NotFound
from levensloop.extensions import db
from levensloop.handovers import states as s
from levensloop.handovers.models import Handover
from levensloop.inclusion import states as inclusion_states
from levensloop.inclusion.models import Trajectory
from levensloop.organisations.models import Organisation, OrganisationType, Region
from levensloop.persons.models import Person
from levensloop.sharing import policy
from levensloop.sharing.categories import Category
from levensloop.sharing.models import CaseAssignment, CaseParticipant
from levensloop.workflow import transition

CASE_ROLES = frozenset(
    {Role.PROCESREGISSEUR, Role.LEVENSLOOPCOORDINATOR, Role.KETENPARTNER, Role.CASUSREGISSEUR}
)
SENDER_ROLES = frozenset({Role.PROCESREGISSEUR, Role.LEVENSLOOPCOORDINATOR})
MAX_NOTE = 2000
MAX_REASON = 2000
MIN_REASON = 10
PAGE_SIZE = 25


class InvalidInput(DomainError):
    """Several fields can be wrong at once: `errors` maps each field to its Dutch message."""

    def __init__(self, errors: dict[str, str]):
        first = next(iter(errors))
        super().__init__(errors[first], field=first)
        self.errors = errors


# ---------------------------------------------------------------- small helpers


def _text(value: str | None) -> str:
    return (value or "").strip()


def _commit() -> None:
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise Conflict(_stale()) from None
    policy.forget()


def _stale() -> str:
    return _(
        "Iemand anders heeft deze overdracht intussen gewijzigd. Bekijk de nieuwe stand en "
        "probeer het zo nodig opnieuw."
    )


def _check_version(handover: Handover, version: int | None) -> None:
    if version is not None and handover.version != version:
        raise Conflict(_stale())


def current_trajectory(person_id: uuid.UUID) -> Trajectory | None:
    return db.session.scalar(
        sa.select(Trajectory)
        .where(
            Trajectory.person_id == person_id,
            Trajectory.status != inclusion_states.UITGESTROOMD,
        )
        .order_by(Trajectory.included_on.desc(), Trajectory.created_at.desc())
        .limit(1)
    )


def _person_anywhere(person_id: uuid.UUID | None) -> Person | None:
    """A person by id whatever the region: only for the receiving side of an inter-regional
    offer and for the move itself. Everything else loads persons through the region scope."""
    if person_id is None:
        return None
    return db.session.get(Person, person_id, execution_options={"skip_region_scope": True})


def _active_participations(person_id, organisation_ids, today: date) -> list[CaseParticipant]:
    if not organisation_ids:
        return []
    return list(
        db.session.scalars(
            sa.select(CaseParticipant).where(
                CaseParticipant.person_id == person_id,
                CaseParticipant.organisation_id.in_(list(organisation_ids)),
                policy.active_on(CaseParticipant, today),
            )
        )
    )


def _active_assignments(person_id, user_ids, today: date) -> list[CaseAssignment]:
    if not user_ids:
        return []
    return list(
        db.session.scalars(
            sa.select(CaseAssignment).where(
                CaseAssignment.person_id == person_id,
                CaseAssignment.user_id.in_(list(user_ids)),
                CaseAssignment.role == "coordinator",
                policy.active_on(CaseAssignment, today),
            )
        )
    )


def _current_coordinator(person_id: uuid.UUID, trajectory: Trajectory | None):
    if trajectory is not None and trajectory.coordinator_id:
        return trajectory.coordinator_id
    return db.session.scalar(
        sa.select(CaseAssignment.user_id)
        .where(
            CaseAssignment.person_id == person_id,
            CaseAssignment.role == "coordinator",
            policy.active_on(CaseAssignment, local_today()),
        )
        .order_by(CaseAssignment.start_date.desc(), CaseAssignment.created_at.desc())
        .limit(1)
    )


def _audit(event: str, actor, handover: Handover, *, regions=None, **details) -> None:
    """One record per region that takes part (both, for an inter-regional handover)."""
    for region_id in sorted(regions or handover.regions, key=str):
        record(
            event,
            actor=actor,
            region_id=region_id,
            person_id=handover.person_id,
            object_type="overdracht",
            object_id=handover.id,
            categories=["proces"],
            details={"kind": handover.kind, **details},
        )


def _step(actor, handover: Handover, target: str, **details) -> None:
    """The state machine's step (audited in the sending region) and, for an inter-regional
    handover that the receiver can see, the same record in the receiving region."""
    current = handover.status
    transition(
        s.HANDOVER,
        handover,
        target,
        actor=actor,
        region_id=handover.region_id,
        person_id=handover.person_id,
        details={"kind": handover.kind, **details},
    )
    if handover.to_region_id and handover.to_region_id != handover.region_id:
        _audit(
            "status_changed",
            actor,
            handover,
            regions=[handover.to_region_id],
            **{"from": current, "to": target},
            **details,
        )


# ---------------------------------------------------------------- who may act


def is_sender(actor, region: Region, person: Person, handover: Handover | None = None) -> bool:
    """The sending side: the procesregisseur or the person's coördinator, in the sending region,
    while the person is still there."""
    if actor is None or person.region_id != region.id:
        return False
    if handover is not None and handover.region_id != region.id:
        return False
    return bool(actor.roles_in(region.id) & SENDER_ROLES) and policy.can(
        actor, policy.UPDATE, person
    )


def is_receiver(actor, region: Region, handover: Handover) -> bool:
    if actor is None:
        return False
    roles = actor.roles_in(region.id)
    if handover.kind == s.REGIO:
        return region.id == handover.to_region_id and Role.PROCESREGISSEUR in roles
    if region.id != handover.region_id:
        return False
    if Role.PROCESREGISSEUR in roles:
        return True
    if handover.kind == s.COORDINATOR:
        return actor.id == handover.to_user_id and Role.LEVENSLOOPCOORDINATOR in roles
    return actor.organisation_id == handover.to_organisation_id and bool(roles & CASE_ROLES)


def receiver_grants(handover: Handover) -> frozenset[Category]:
    """What the receiving organisation type may see under the (receiving) region's matrix: the
    categories of the handover dossier and of the receiver's view before it has accepted."""
    if handover.kind == s.REGIO:
        return policy.grants(handover.to_region_id, OrganisationType.ZVH)
    organisation = None
    if handover.to_organisation_id:
        organisation = db.session.get(Organisation, handover.to_organisation_id)
    elif handover.to_user_id:
        user = db.session.get(User, handover.to_user_id)
        organisation = user.organisation if user else None
    if organisation is None:
        return frozenset({Category.PROCES})
    return policy.grants(handover.region_id, organisation.type)


# ---------------------------------------------------------------- loading by id


@dataclass
class Opened:
    """A handover opened by a user: with the person and the policy's decision. `limited`: the
    user cannot open the person's file and sees the handover as its receiver."""

    person: Person
    decision: policy.Access
    handover: Handover
    limited: bool


def _deny(actor, region: Region, person: Person) -> None:
    record(
        "access_denied",
        actor=actor,
        outcome="failure",
        region_id=region.id,
        object_type="person",
        object_id=person.id,
        details={"need": "overdracht"},
    )
    db.session.commit()
    raise NotAllowed(_("U heeft geen toegang tot deze overdracht."))


def open_handover(actor, region: Region, person_id, handover_id) -> Opened:
    """A handover of this person. 404 for another region's person or an unknown id; 403
    (recorded) when the user neither may open the file nor is the receiver of the offer. The
    receiving region of an inter-regional offer sees it before the person has moved."""
    handover = db.session.get(Handover, handover_id) if handover_id else None
    if handover is not None and handover.person_id != person_id:
        handover = None
    person = _person_anywhere(person_id)
    if person is None:
        raise NotFound(_("Deze persoon bestaat niet in deze regio."))
    if person.region_id != region.id:
        if (
            handover is not None
            and handover.kind == s.REGIO
            and handover.to_region_id == region.id
            and handover.status in (s.AANGEBODEN, s.AFGEWEZEN, s.INGETROKKEN)
            and is_receiver(actor, region, handover)
        ):
            return Opened(person, policy.NO_ACCESS, handover, True)
        raise NotFound(_("Deze persoon bestaat niet in deze regio."))
    decision = policy.access(actor, person)
    if handover is None:
        if decision.any:
            raise NotFound(_("Deze overdracht bestaat niet bij deze persoon."))
        _deny(actor, region, person)
    if decision.any:
        return Opened(person, decision, handover, False)
    if handover.status != s.GEPLAND and is_receiver(actor, region, handover):
        return Opened(person, decision, handover, True)
    _deny(actor, region, person)
    raise AssertionError  # pragma: no cover (_deny raises)


# ---------------------------------------------------------------- planning


@dataclass
class PlanInput:
    kind: str
    to_organisation_id: uuid.UUID | None = None
    to_user_id: uuid.UUID | None = None
    to_region_id: uuid.UUID | None = None
    predecessor_title_id: uuid.UUID | None = None
    successor_title_id: uuid.UUID | None = None
    due_date: date | None = None
    note: str | None = None


def running_handovers(person_id: uuid.UUID) -> list[Handover]:
    return list(
        db.session.scalars(
            sa.select(Handover).where(Handover.person_id == person_id, Handover.status.in_(s.OPEN))
        )
    )


def _conflicting(kind: str, running: list[Handover]) -> Handover | None:
    """A running handover that this new one would cross (see the module docstring)."""
    for other in running:
        if kind == s.REGIO or (other.kind == s.REGIO and other.status in s.PENDING):
            return other
        if s.GROUPS.get(other.kind) == s.GROUPS.get(kind):
            return other
    return None


def may_plan(actor, region: Region, person: Person) -> bool:
    return is_sender(actor, region, person) and not person.is_shredded


def plan_handover(
    actor, region: Region, person: Person, data: PlanInput, *, offer: bool = False
) -> Handover:
    """Plan a handover (and offer it at once when `offer`). Field errors come together."""
    from levensloop.titles.models import LegalTitle
    from levensloop.titles.states import CURRENT

    if person.region_id != region.id:
        raise NotFound(_("Deze persoon bestaat niet in deze regio."))
    if not may_plan(actor, region, person):
        raise NotAllowed(_("U mag voor deze persoon geen overdracht plannen."))
    if data.kind not in s.KINDS:
        raise InvalidInput({"kind": _("Kies wat er wordt overgedragen.")})
    today = local_today()
    errors: dict[str, str] = {}
    trajectory = current_trajectory(person.id)
    if trajectory is None and data.kind != s.COORDINATOR:
        raise DomainError(
            _(
                "Er is geen lopend traject. Een overdracht van organisatie, titel of regio "
                "hoort bij een traject."
            ),
            field="kind",
        )
    conflict = _conflicting(data.kind, running_handovers(person.id))
    if conflict is not None:
        raise DomainError(
            _(
                "Er loopt al een overdracht (%(kind)s, %(status)s). Rond die eerst af of trek "
                "haar in.",
                kind=s.kind_label(conflict.kind).lower(),
                status=s.HANDOVER.label(conflict.status).lower(),
            ),
            field="kind",
        )
    handover = Handover(
        id=uuid.uuid4(),
        region_id=region.id,
        person_id=person.id,
        trajectory_id=trajectory.id if trajectory else None,
        kind=data.kind,
        status=s.GEPLAND,
        created_by_id=actor.id,
    )
    predecessor = None
    if data.kind in (s.ORGANISATIE, s.TITEL):
        handover.from_organisation_id = trajectory.provider_organisation_id
        target = (
            db.session.get(Organisation, data.to_organisation_id)
            if data.to_organisation_id
            else None
        )
        if target is None:
            errors["to_organisation"] = _("Kies de organisatie die het overneemt.")
        elif target.region_id != region.id or not target.active:
            errors["to_organisation"] = _("Kies een actieve organisatie uit deze regio.")
        elif data.kind == s.ORGANISATIE and target.id == trajectory.provider_organisation_id:
            errors["to_organisation"] = _(
                "Deze organisatie is al de Levensloopaanbieder. Kies een andere organisatie."
            )
        elif data.kind == s.ORGANISATIE and trajectory.provider_organisation_id is None:
            errors["to_organisation"] = _(
                "Er is nog geen Levensloopaanbieder om van over te dragen. Wijs die toe aan "
                "de inclusietafel."
            )
        else:
            handover.to_organisation_id = target.id
    if data.kind == s.TITEL:
        visible = policy.visible_categories(actor, person)
        titles = {
            t.id: t
            for t in db.session.scalars(
                sa.select(LegalTitle).where(
                    LegalTitle.person_id == person.id,
                    LegalTitle.id.in_(
                        [i for i in (data.predecessor_title_id, data.successor_title_id) if i]
                        or [uuid.uuid4()]
                    ),
                )
            )
            if t.type.category in visible
        }
        predecessor = titles.get(data.predecessor_title_id)
        if predecessor is None or predecessor.status not in CURRENT:
            errors["predecessor_title"] = _("Kies de titel die afloopt.")
        else:
            handover.predecessor_title_id = predecessor.id
        if data.successor_title_id:
            successor = titles.get(data.successor_title_id)
            if successor is None or successor.status not in CURRENT:
                errors["successor_title"] = _("Kies een lopende of geplande titel, of geen.")
            elif predecessor is not None and successor.id == predecessor.id:
                errors["successor_title"] = _(
                    "De nieuwe titel is een andere dan de titel die afloopt."
                )
            else:
                handover.successor_title_id = successor.id
    if data.kind == s.COORDINATOR:
        current = _current_coordinator(person.id, trajectory)
        user = db.session.get(User, data.to_user_id) if data.to_user_id else None
        if user is None:
            errors["to_user"] = _("Kies de coördinator die het overneemt.")
        elif not user.active or Role.LEVENSLOOPCOORDINATOR not in user.roles_in(region.id):
            errors["to_user"] = _("Kies een actieve levensloopcoördinator uit deze regio.")
        elif user.id == current:
            errors["to_user"] = _("Dit is al de coördinator. Kies een andere coördinator.")
        elif current is None:
            errors["to_user"] = _(
                "Er is nog geen coördinator om van over te dragen. Wijs die toe aan de "
                "inclusietafel."
            )
        else:
            handover.from_user_id = current
            handover.to_user_id = user.id
    if data.kind == s.REGIO:
        target = db.session.get(Region, data.to_region_id) if data.to_region_id else None
        if target is None or not target.active:
            errors["to_region"] = _("Kies de regio waar de persoon naartoe gaat.")
        elif target.id == region.id:
            errors["to_region"] = _("Kies een andere regio dan deze.")
        else:
            handover.from_region_id = region.id
            handover.to_region_id = target.id
    if data.due_date is None:
        errors["due_date"] = _("Vul de datum in waarop de overdracht rond moet zijn.")
    elif data.due_date < today:
        errors["due_date"] = _("De streefdatum ligt niet in het verleden.")
    elif (
        predecessor is not None
        and predecessor.expected_end is not None
        and data.due_date >= predecessor.expected_end
    ):
        errors["due_date"] = _(
            "De overdracht moet rond zijn vóór de titel afloopt: kies een datum vóór %(date)s.",
            date=_format(predecessor.expected_end),
        )
    else:
        handover.due_date = data.due_date
    note = _text(data.note)
    if len(note) > MAX_NOTE:
        errors["note"] = _("Gebruik hoogstens %(n)s tekens.", n=MAX_NOTE)
    if errors:
        raise InvalidInput(errors)
    db.session.add(handover)
    handover.note = note or None
    _audit("create", actor, handover, regions=[handover.region_id])
    if offer:
        _offer(actor, handover)
    _commit()
    return handover


def _format(day: date) -> str:
    from flask_babel import format_date

    return format_date(day, "long")


# ---------------------------------------------------------------- the steps


def _offer(actor, handover: Handover) -> None:
    _step(actor, handover, s.AANGEBODEN)
    handover.offered_at = utcnow()
    handover.offered_by_id = actor.id


def offer(actor, region: Region, person: Person, handover: Handover, *, version=None) -> None:
    if not is_sender(actor, region, person, handover):
        raise NotAllowed(_("Alleen de verzendende kant biedt een overdracht aan."))
    _check_version(handover, version)
    _offer(actor, handover)
    _commit()


def withdraw(actor, region: Region, person: Person, handover: Handover, *, version=None) -> None:
    if not is_sender(actor, region, person, handover):
        raise NotAllowed(_("Alleen de verzendende kant trekt een overdracht in."))
    _check_version(handover, version)
    _step(actor, handover, s.INGETROKKEN)
    handover.withdrawn_at = utcnow()
    handover.withdrawn_by_id = actor.id
    _commit()


def reject(
    actor, region: Region, person: Person, handover: Handover, *, reason: str, version=None
) -> None:
    """Refuse the offer with a reason (required). Nothing changes about responsibility; the
    screen then offers the sender to open an escalation."""
    if not is_receiver(actor, region, handover):
        raise NotAllowed(_("Alleen de ontvangende kant wijst een overdracht af."))
    _check_version(handover, version)
    reason = _text(reason)
    if len(reason) < MIN_REASON:
        raise DomainError(
            _("Geef de reden van de afwijzing, in minstens %(n)s tekens.", n=MIN_REASON),
            field="reason",
        )
    if len(reason) > MAX_REASON:
        raise DomainError(_("Gebruik hoogstens %(n)s tekens.", n=MAX_REASON), field="reason")
    _step(actor, handover, s.AFGEWEZEN)
    handover.rejected_at = utcnow()
    handover.rejected_by_id = actor.id
    handover.reject_reason = reason
    _commit()


def accept(actor, region: Region, person: Person, handover: Handover, *, version=None) -> None:
    """The receiver accepts: from now on it is responsible too (the overlap starts)."""
    if not is_receiver(actor, region, handover):
        raise NotAllowed(_("Alleen de ontvangende kant accepteert een overdracht."))
    _check_version(handover, version)
    _step(actor, handover, s.GEACCEPTEERD)
    handover.accepted_at = utcnow()
    handover.accepted_by_id = actor.id
    _take_over(actor, handover, person)
    _commit()


def _take_over(actor, handover: Handover, person: Person) -> None:
    today = local_today()
    trajectory = (
        db.session.get(Trajectory, handover.trajectory_id) if handover.trajectory_id else None
    )
    if handover.to_organisation_id:
        # Already taking part with no end in sight? Else a new participation: one that
        # ends (e.g. today, after an earlier handover the other way) does not count.
        current = _active_participations(person.id, [handover.to_organisation_id], today)
        if not any(p.end_date is None for p in current):
            participant = CaseParticipant(
                id=uuid.uuid4(),
                person_id=person.id,
                organisation_id=handover.to_organisation_id,
                legal_basis="wgs",
                start_date=today,
                added_by_id=actor.id,
            )
            db.session.add(participant)
            participant.purpose = str(
                _("Warme overdracht: de organisatie neemt de verantwoordelijkheid over")
            )
        if trajectory is not None:
            trajectory.provider_organisation_id = handover.to_organisation_id
    if handover.kind == s.COORDINATOR and handover.to_user_id:
        current = _active_assignments(person.id, [handover.to_user_id], today)
        if not any(a.end_date is None for a in current):
            db.session.add(
                CaseAssignment(
                    person_id=person.id,
                    user_id=handover.to_user_id,
                    role="coordinator",
                    start_date=today,
                )
            )
        if trajectory is not None:
            trajectory.coordinator_id = handover.to_user_id
    if handover.kind == s.REGIO:
        from levensloop.handovers.interregional import move_to_region

        move_to_region(actor, handover, person, trajectory)
    _audit(
        "responsibility_moved",
        actor,
        handover,
        to_organisation=str(handover.to_organisation_id) if handover.to_organisation_id else None,
        to_user=str(handover.to_user_id) if handover.to_user_id else None,
    )


def update_checklist(
    actor, region: Region, person: Person, handover: Handover, *, items, version=None
) -> None:
    """Tick and untick checklist items; a newly ticked item records who and when."""
    sender = is_sender(actor, region, person, handover) and handover.status in s.OPEN
    receiver = is_receiver(actor, region, handover) and handover.status == s.GEACCEPTEERD
    if not (sender or receiver) or handover.status not in s.OPEN:
        raise NotAllowed(_("U mag de checklist van deze overdracht niet bijwerken."))
    _check_version(handover, version)
    wanted = {item for item in items if item in s.CHECKLIST}
    now = utcnow()
    changed = []
    for item in s.CHECKLIST:
        ticked = item in wanted
        if ticked == getattr(handover, item):
            continue
        changed.append(item)
        setattr(handover, item, ticked)
        setattr(handover, f"{item}_by_id", actor.id if ticked else None)
        setattr(handover, f"{item}_at", now if ticked else None)
    if changed:
        handover.updated_at = now
        _audit("checklist_updated", actor, handover, items=changed)
    _commit()


def complete(actor, region: Region, person: Person, handover: Handover, *, version=None) -> None:
    """Close the overlap: needs the whole checklist. The sender's participation or assignment
    ends today, unless it has become responsible again meanwhile."""
    if not (is_sender(actor, region, person, handover) or is_receiver(actor, region, handover)):
        raise NotAllowed(_("U mag deze overdracht niet afronden."))
    _check_version(handover, version)
    if handover.status == s.GEACCEPTEERD and handover.missing:
        raise DomainError(
            _(
                "De overdracht kan pas worden afgerond als de checklist compleet is. Nog open: "
                "%(items)s.",
                items=", ".join(str(s.CHECKLIST[i]).lower() for i in handover.missing),
            ),
            field="checklist",
        )
    trajectory = (
        db.session.get(Trajectory, handover.trajectory_id) if handover.trajectory_id else None
    )
    if handover.status == s.GEACCEPTEERD and handover.kind == s.REGIO:
        _require_settled_in(handover, trajectory)
    _step(actor, handover, s.AFGEROND)
    handover.completed_at = utcnow()
    handover.completed_by_id = actor.id
    _hand_off(actor, handover, person, trajectory)
    _commit()


def _require_settled_in(handover: Handover, trajectory: Trajectory | None) -> None:
    """An inter-regional handover ends only when the receiving region has its own
    Levensloopaanbieder and coördinator in place: nobody falls between two stools."""
    if trajectory is None:
        return
    provider = (
        db.session.get(Organisation, trajectory.provider_organisation_id)
        if trajectory.provider_organisation_id
        else None
    )
    coordinator = (
        db.session.get(User, trajectory.coordinator_id) if trajectory.coordinator_id else None
    )
    if (
        provider is None
        or provider.region_id != handover.to_region_id
        or coordinator is None
        or Role.LEVENSLOOPCOORDINATOR not in coordinator.roles_in(handover.to_region_id)
    ):
        raise DomainError(
            _(
                "Wijs eerst in de ontvangende regio een Levensloopaanbieder en een coördinator "
                "toe; daarna kan de overdracht worden afgerond."
            ),
            field="checklist",
        )


def _hand_off(actor, handover: Handover, person: Person, trajectory: Trajectory | None) -> None:
    today = local_today()
    ended = 0
    if handover.kind in (s.ORGANISATIE, s.TITEL) and handover.from_organisation_id:
        still_provider = (
            trajectory is not None
            and trajectory.provider_organisation_id == handover.from_organisation_id
        )
        if not still_provider:
            for participant in _active_participations(
                person.id, [handover.from_organisation_id], today
            ):
                participant.end_date = today
                participant.ended_by_id = actor.id
                ended += 1
    if handover.kind == s.COORDINATOR and handover.from_user_id:
        still_coordinator = (
            trajectory is not None and trajectory.coordinator_id == handover.from_user_id
        )
        if not still_coordinator:
            for assignment in _active_assignments(person.id, [handover.from_user_id], today):
                assignment.end_date = today
                ended += 1
    if handover.kind == s.REGIO:
        from levensloop.handovers.interregional import end_sending_region

        ended += end_sending_region(actor, handover, person, today)
    _audit("responsibility_handed_off", actor, handover, ended=ended)


# ---------------------------------------------------------------- views: one handover


@dataclass
class ChecklistItem:
    key: str
    label: str
    ticked: bool
    by: str | None
    at: datetime | None


@dataclass
class HandoverView:
    handover: Handover
    kind_label: str
    status_label: str
    badge: str
    from_text: str
    to_text: str
    predecessor: str | None
    successor: str | None
    overdue: bool
    unanswered_since: date | None
    events: list  # (label, datetime, name)
    checklist: list[ChecklistItem]
    reject_reason: str | None
    note: str | None
    can_offer: bool = False
    can_withdraw: bool = False
    can_accept: bool = False
    can_reject: bool = False
    can_tick: bool = False
    can_complete: bool = False
    can_escalate: bool = False
    can_dossier: bool = False


@dataclass
class Names:
    organisations: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    regions: dict = field(default_factory=dict)
    titles: dict = field(default_factory=dict)  # title id -> (type name, category)


def names_for(handovers: list[Handover]) -> Names:
    """The names a page of handovers shows, in at most four queries."""
    from levensloop.titles.models import LegalTitle, TitleType

    organisations, users, regions, titles = set(), set(), set(), set()
    for h in handovers:
        organisations |= {h.from_organisation_id, h.to_organisation_id}
        users |= {
            h.from_user_id,
            h.to_user_id,
            h.created_by_id,
            h.offered_by_id,
            h.accepted_by_id,
            h.completed_by_id,
            h.rejected_by_id,
            h.withdrawn_by_id,
        } | {getattr(h, f"{item}_by_id") for item in s.CHECKLIST}
        regions |= {h.region_id, h.from_region_id, h.to_region_id}
        titles |= {h.predecessor_title_id, h.successor_title_id}
    names = Names()
    if ids := organisations - {None}:
        names.organisations = dict(
            db.session.execute(
                sa.select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids))
            ).all()
        )
    if ids := users - {None}:
        names.users = dict(
            db.session.execute(sa.select(User.id, User.display_name).where(User.id.in_(ids))).all()
        )
    if ids := regions - {None}:
        names.regions = dict(
            db.session.execute(sa.select(Region.id, Region.name).where(Region.id.in_(ids))).all()
        )
    if ids := titles - {None}:
        names.titles = {
            row.id: (row.name, row.category)
            for row in db.session.execute(
                sa.select(LegalTitle.id, TitleType.name, TitleType.category)
                .join(TitleType, TitleType.code == LegalTitle.type_code)
                .where(LegalTitle.id.in_(ids))
            )
        }
    return names


def ends(handover: Handover, names: Names) -> tuple[str, str]:
    """Who hands over and who receives, in words."""
    if handover.kind == s.COORDINATOR:
        return names.users.get(handover.from_user_id, ""), names.users.get(handover.to_user_id, "")
    if handover.kind == s.REGIO:
        return (
            names.regions.get(handover.from_region_id, ""),
            names.regions.get(handover.to_region_id, ""),
        )
    return (
        names.organisations.get(handover.from_organisation_id, ""),
        names.organisations.get(handover.to_organisation_id, ""),
    )


def _title_text(names: Names, title_id, categories) -> str | None:
    if title_id is None:
        return None
    name, category = names.titles.get(title_id, ("", "justitie"))
    if category not in categories:
        return _("een titel die u niet mag inzien")
    return name


def unanswered_since(handover: Handover) -> date | None:
    return (
        handover.offered_at.date()
        if handover.status == s.AANGEBODEN and handover.offered_at
        else None
    )


def handover_view(actor, region: Region, opened: Opened) -> HandoverView:
    """One handover as its page shows it; the read is recorded (category proces)."""
    handover, person = opened.handover, opened.person
    names = names_for([handover])
    categories = receiver_grants(handover) if opened.limited else opened.decision.categories
    sender = not opened.limited and is_sender(actor, region, person, handover)
    receiver = is_receiver(actor, region, handover)
    status = handover.status
    from_text, to_text = ends(handover, names)
    events = [
        (label, at, names.users.get(by))
        for label, at, by in (
            (_("Gepland"), handover.created_at, handover.created_by_id),
            (_("Aangeboden"), handover.offered_at, handover.offered_by_id),
            (_("Geaccepteerd"), handover.accepted_at, handover.accepted_by_id),
            (_("Afgewezen"), handover.rejected_at, handover.rejected_by_id),
            (_("Ingetrokken"), handover.withdrawn_at, handover.withdrawn_by_id),
            (_("Afgerond"), handover.completed_at, handover.completed_by_id),
        )
        if at is not None
    ]
    view = HandoverView(
        handover=handover,
        kind_label=s.kind_label(handover.kind),
        status_label=s.HANDOVER.label(status),
        badge=s.BADGES.get(status, "neutral"),
        from_text=from_text,
        to_text=to_text,
        predecessor=_title_text(names, handover.predecessor_title_id, categories),
        successor=_title_text(names, handover.successor_title_id, categories),
        overdue=status in s.OPEN and handover.due_date < local_today(),
        unanswered_since=unanswered_since(handover),
        events=events,
        checklist=[
            ChecklistItem(
                item,
                str(label),
                getattr(handover, item),
                names.users.get(getattr(handover, f"{item}_by_id")),
                getattr(handover, f"{item}_at"),
            )
            for item, label in s.CHECKLIST.items()
        ],
        reject_reason=handover.reject_reason,
        note=handover.note,
    )
    view.can_offer = sender and s.HANDOVER.can(status, s.AANGEBODEN)
    view.can_withdraw = sender and s.HANDOVER.can(status, s.INGETROKKEN)
    view.can_accept = receiver and s.HANDOVER.can(status, s.GEACCEPTEERD)
    view.can_reject = receiver and s.HANDOVER.can(status, s.AFGEWEZEN)
    view.can_tick = (sender and status in s.OPEN) or (receiver and status == s.GEACCEPTEERD)
    view.can_complete = (sender or receiver) and status == s.GEACCEPTEERD
    view.can_escalate = sender and status == s.AFGEWEZEN
    view.can_dossier = status != s.GEPLAND or sender
    read_regions = {region.id, person.region_id}
    for region_id in sorted(read_regions, key=str):
        record(
            "read",
            actor=actor,
            region_id=region_id,
            person_id=person.id,
            object_type="overdracht",
            object_id=handover.id,
            categories=["identiteit", "proces"] if opened.limited else ["proces"],
            details={"receiver": opened.limited},
        )
    db.session.commit()
    return view


def display_name(opened: Opened) -> str:
    """The person's name for the page header: for a receiver without access to the file only
    when its organisation type may see identity data."""
    if not opened.limited:
        return opened.person.display_name
    if Category.IDENTITEIT in receiver_grants(opened.handover):
        return opened.person.display_name
    return _("Persoon")


# ---------------------------------------------------------------- views: the lists


@dataclass
class Row:
    handover: Handover
    kind_label: str
    status_label: str
    badge: str
    from_text: str
    to_text: str
    unanswered_since: date | None
    overdue: bool
    person_name: str | None = None
    openable: bool = True
    actions: list = field(default_factory=list)  # steps the viewer may take from the list


def _row(handover: Handover, names: Names, today: date) -> Row:
    from_text, to_text = ends(handover, names)
    return Row(
        handover=handover,
        kind_label=s.kind_label(handover.kind),
        status_label=s.HANDOVER.label(handover.status),
        badge=s.BADGES.get(handover.status, "neutral"),
        from_text=from_text,
        to_text=to_text,
        unanswered_since=unanswered_since(handover),
        overdue=handover.status in s.OPEN and handover.due_date < today,
    )


def person_handovers(actor, region: Region, person: Person) -> list[Row]:
    """The person's handovers, newest first (a fixed number of queries); the read is recorded."""
    handovers = list(
        db.session.scalars(
            sa.select(Handover)
            .where(Handover.person_id == person.id)
            .order_by(Handover.created_at.desc(), Handover.id)
        )
    )
    names = names_for(handovers)
    today = local_today()
    record(
        "read",
        actor=actor,
        region_id=region.id,
        person_id=person.id,
        object_type="overdracht",
        categories=["proces"],
    )
    db.session.commit()
    sender = is_sender(actor, region, person)
    rows = []
    for handover in handovers:
        row = _row(handover, names, today)
        sending = sender and handover.region_id == region.id
        receiving = is_receiver(actor, region, handover)
        row.actions = [
            action
            for action, allowed, target in (
                ("offer", sending, s.AANGEBODEN),
                ("accept", receiving, s.GEACCEPTEERD),
                ("reject", receiving, s.AFGEWEZEN),
                ("withdraw", sending, s.INGETROKKEN),
            )
            if allowed and s.HANDOVER.can(handover.status, target)
        ]
        rows.append(row)
    return rows


LIST_FILTERS = ("open", "aangeboden", "alle")


def region_page(actor, region: Region, *, status: str = "open", page: int = 1):
    """The region's handovers, unanswered offers first (longest waiting on top), paged in SQL.
    The procesregisseur sees all of them, also the offers from other regions; others see the
    handovers they send or receive (their own, or their organisation's)."""
    from levensloop.persons.services import names_for as person_names

    roles = actor.roles_in(region.id)
    query = sa.select(Handover)
    if Role.PROCESREGISSEUR in roles:
        query = query.where(
            sa.or_(Handover.region_id == region.id, Handover.to_region_id == region.id)
        )
    else:
        query = query.where(
            Handover.region_id == region.id,
            sa.or_(
                Handover.to_user_id == actor.id,
                Handover.from_user_id == actor.id,
                Handover.created_by_id == actor.id,
                Handover.to_organisation_id == actor.organisation_id,
                Handover.from_organisation_id == actor.organisation_id,
            ),
        )
    if status == "aangeboden":
        query = query.where(Handover.status == s.AANGEBODEN)
    elif status != "alle":
        query = query.where(Handover.status.in_(s.OPEN))
    waiting = Handover.status == s.AANGEBODEN
    query = query.order_by(
        sa.case((waiting, 0), else_=1),
        sa.case((waiting, Handover.offered_at), else_=Handover.created_at),
        Handover.due_date,
        Handover.id,
    )
    pagination = db.paginate(query, page=page, per_page=PAGE_SIZE, error_out=False)
    handovers = list(pagination.items)
    names = names_for(handovers)
    person_ids = {h.person_id for h in handovers}
    where = (
        dict(
            db.session.execute(
                sa.select(Person.id, Person.region_id)
                .where(Person.id.in_(person_ids))
                .execution_options(skip_region_scope=True)
            ).all()
        )
        if person_ids
        else {}
    )
    visible_names = person_names(actor, region, person_ids)
    today = local_today()
    rows = []
    for handover in handovers:
        row = _row(handover, names, today)
        row.person_name = visible_names.get(handover.person_id)
        in_region = where.get(handover.person_id) == region.id
        row.openable = in_region or (
            handover.kind == s.REGIO
            and handover.to_region_id == region.id
            and handover.status in (s.AANGEBODEN, s.AFGEWEZEN, s.INGETROKKEN)
        )
        rows.append(row)
    record(
        "read",
        actor=actor,
        region_id=region.id,
        object_type="overdrachten",
        categories=["identiteit", "proces"],
        details={"page": pagination.page, "filter": status},
    )
    db.session.commit()
    return rows, pagination


# ---------------------------------------------------------------- for the alerts


def unanswered_handovers(today: date, *, days: int = 0):
    """A select of the offers nobody has answered, offered at least `days` days before `today`
    (0: any offer up to today): `(id, region_id, to_region_id, person_id, kind,
    to_organisation_id, to_user_id, offered_at, due_date)`. Not limited to a region: the caller
    adds `region_id` or `to_region_id` conditions (the receiving region of an inter-regional
    offer is `to_region_id`)."""
    cutoff = datetime.combine(today - timedelta(days=days) + timedelta(days=1), time(), UTC)
    return (
        sa.select(
            Handover.id,
            Handover.region_id,
            Handover.to_region_id,
            Handover.person_id,
            Handover.kind,
            Handover.to_organisation_id,
            Handover.to_user_id,
            Handover.offered_at,
            Handover.due_date,
        )
        .where(Handover.status == s.AANGEBODEN, Handover.offered_at < cutoff)
        .order_by(Handover.offered_at, Handover.id)
    )


def open_handovers_per_person():
    """A select of `(person_id, open_handovers)`: per person the handovers still running
    (gepland, aangeboden, geaccepteerd). Use it as a subquery or join."""
    return (
        sa.select(Handover.person_id, sa.func.count(Handover.id).label("open_handovers"))
        .where(Handover.status.in_(s.OPEN))
        .group_by(Handover.person_id)
    )


# ---------------------------------------------------------------- bulk reassignment


@dataclass
class Caseload:
    departing: User
    receiving: User
    due_date: date
    persons: list  # (person_id, name) that get a handover
    skipped: list  # (person_id, name) with a coördinator handover already running
    coordinators: list  # the coördinators one may choose per person


def _coordinators(region: Region) -> list[User]:
    return list(
        db.session.scalars(
            sa.select(User)
            .join(RoleAssignment, RoleAssignment.user_id == User.id)
            .where(
                RoleAssignment.region_id == region.id,
                RoleAssignment.role == Role.LEVENSLOOPCOORDINATOR,
                User.active,
            )
            .order_by(User.display_name, User.id)
        ).unique()
    )


def coordinators(region: Region) -> list[User]:
    return _coordinators(region)


def _require_regisseur(actor, region: Region) -> None:
    if Role.PROCESREGISSEUR not in actor.roles_in(region.id):
        raise NotAllowed(_("Alleen de procesregisseur draagt een caseload over."))


def caseload(
    actor, region: Region, *, departing_id, receiving_id, due_date: date | None
) -> Caseload:
    """Check the choice and list the persons in the departing coördinator's caseload."""
    from levensloop.persons.services import names_for as person_names

    _require_regisseur(actor, region)
    choosable = {u.id: u for u in _coordinators(region)}
    departing = db.session.get(User, departing_id) if departing_id else None
    errors: dict[str, str] = {}
    if departing is None or Role.LEVENSLOOPCOORDINATOR not in departing.roles_in(region.id):
        errors["departing"] = _("Kies de coördinator die vertrekt.")
    receiving = choosable.get(receiving_id)
    if receiving is None:
        errors["receiving"] = _("Kies een actieve coördinator die de caseload overneemt.")
    elif departing is not None and receiving.id == departing.id:
        errors["receiving"] = _("Kies een andere coördinator dan wie vertrekt.")
    if due_date is None:
        errors["due_date"] = _("Vul de datum in waarop de overdrachten rond moeten zijn.")
    elif due_date < local_today():
        errors["due_date"] = _("De streefdatum ligt niet in het verleden.")
    if errors:
        raise InvalidInput(errors)
    person_ids = _caseload_ids(region, departing.id)
    busy = {
        h.person_id
        for h in db.session.scalars(
            sa.select(Handover).where(
                Handover.person_id.in_(person_ids or [uuid.uuid4()]),
                Handover.status.in_(s.OPEN),
            )
        )
        if _conflicting(s.COORDINATOR, [h]) is not None
    }
    names = person_names(actor, region, person_ids)
    persons = [(pid, names.get(pid)) for pid in person_ids if pid not in busy]
    skipped = [(pid, names.get(pid)) for pid in person_ids if pid in busy]
    return Caseload(departing, receiving, due_date, persons, skipped, list(choosable.values()))


def _caseload_ids(region: Region, user_id: uuid.UUID) -> list[uuid.UUID]:
    return list(
        db.session.scalars(
            sa.select(CaseAssignment.person_id)
            .join(Person, Person.id == CaseAssignment.person_id)
            .where(
                CaseAssignment.user_id == user_id,
                CaseAssignment.role == "coordinator",
                policy.active_on(CaseAssignment, local_today()),
                Person.region_id == region.id,
                Person.shredded_at.is_(None),
            )
            .distinct()
            .order_by(CaseAssignment.person_id)
        )
    )


def reassign_caseload(
    actor,
    region: Region,
    *,
    departing_id,
    receiving_id,
    due_date: date | None,
    note: str = "",
    per_person: dict | None = None,
) -> list[Handover]:
    """One coördinator handover per person of the departing coördinator's caseload, offered at
    once, in one transaction. `per_person` maps a person id to another receiving coördinator."""
    plan = caseload(
        actor, region, departing_id=departing_id, receiving_id=receiving_id, due_date=due_date
    )
    choosable = {u.id: u for u in plan.coordinators}
    note = _text(note)
    if len(note) > MAX_NOTE:
        raise InvalidInput({"note": _("Gebruik hoogstens %(n)s tekens.", n=MAX_NOTE)})
    receivers = {}
    for person_id, _name in plan.persons:
        chosen = (per_person or {}).get(person_id) or plan.receiving.id
        if chosen not in choosable or chosen == plan.departing.id:
            raise InvalidInput(
                {"receiving": _("Kies per persoon een andere, actieve coördinator.")}
            )
        receivers[person_id] = chosen
    if not receivers:
        raise InvalidInput({"departing": _("Er is niemand in deze caseload om over te dragen.")})
    trajectories = {
        t.person_id: t
        for t in db.session.scalars(
            sa.select(Trajectory)
            .where(
                Trajectory.person_id.in_(list(receivers)),
                Trajectory.status != inclusion_states.UITGESTROOMD,
            )
            .order_by(Trajectory.included_on)
        )
    }
    created = []
    for person_id, receiver_id in receivers.items():
        trajectory = trajectories.get(person_id)
        handover = Handover(
            id=uuid.uuid4(),
            region_id=region.id,
            person_id=person_id,
            trajectory_id=trajectory.id if trajectory else None,
            kind=s.COORDINATOR,
            status=s.GEPLAND,
            from_user_id=plan.departing.id,
            to_user_id=receiver_id,
            due_date=plan.due_date,
            created_by_id=actor.id,
        )
        db.session.add(handover)
        handover.note = note or None
        _audit("create", actor, handover, regions=[region.id], bulk=True)
        _offer(actor, handover)
        created.append(handover)
    record(
        "caseload_reassigned",
        actor=actor,
        region_id=region.id,
        object_type="overdracht",
        categories=["proces"],
        details={"departing": str(plan.departing.id), "handovers": len(created)},
    )
    _commit()
    return created
