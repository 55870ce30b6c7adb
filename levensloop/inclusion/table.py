"""The inclusion table: meetings, the agenda, one decision per person, and the trajectory that
an inclusion opens (with its responsible people, who thereby get the case in their caseload)."""

from __future__ import annotations

import json
import uuid
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from levensloop.audit.services import record
from levensloop.auth.models import Role, User
from levensloop.db import local_today
from levensloop.errors import DomainError, NotAllowed, NotFound
from levensloop.extensions import db
from levensloop.inclusion import states
from levensloop.inclusion.models import (
    InclusionDecision,
    InclusionMeeting,
    Referral,
    RegionCriteriaSet,
    Trajectory,
)
from levensloop.organisations.models import Organisation, Region
from levensloop.workflow import transition

POSITIONS = ("voor", "tegen", "onthouding")


def _require_regisseur(actor: User, region: Region) -> None:
    if Role.PROCESREGISSEUR not in actor.roles_in(region.id):
        raise NotAllowed(_("Alleen de procesregisseur zit de inclusietafel voor."))


def create_meeting(
    actor: User, region: Region, *, held_on: date | None, attendees: list[uuid.UUID]
) -> InclusionMeeting:
    _require_regisseur(actor, region)
    if held_on is None:
        raise DomainError(_("Vul de datum van de tafel in."), field="held_on")
    valid = {
        o.id
        for o in db.session.scalars(
            sa.select(Organisation).where(
                Organisation.region_id == region.id,
                Organisation.id.in_(attendees or [uuid.uuid4()]),
            )
        )
    }
    if not attendees or set(attendees) - valid:
        raise DomainError(_("Kies de deelnemende organisaties uit deze regio."), field="attendees")
    meeting = InclusionMeeting(
        id=uuid.uuid4(),
        region_id=region.id,
        held_on=held_on,
        chair_id=actor.id,
        attendees=",".join(str(a) for a in attendees),
    )
    db.session.add(meeting)
    record(
        "inclusion_meeting_created",
        actor=actor,
        region_id=region.id,
        object_type="inclusietafel",
        object_id=meeting.id,
        details={"attendees": len(attendees)},
    )
    db.session.commit()
    return meeting


def get_meeting(region: Region, meeting_id: uuid.UUID | None) -> InclusionMeeting:
    meeting = db.session.get(InclusionMeeting, meeting_id) if meeting_id else None
    if meeting is None or meeting.region_id != region.id:
        raise NotFound(_("Deze tafel bestaat niet in deze regio."))
    return meeting


def meetings(region: Region, page: int = 1):
    return db.paginate(
        sa.select(InclusionMeeting)
        .where(InclusionMeeting.region_id == region.id)
        .order_by(InclusionMeeting.held_on.desc()),
        page=page,
        per_page=25,
        error_out=False,
    )


def agenda(region: Region, meeting: InclusionMeeting) -> list[Referral]:
    """Referrals that the triage sent to the table and that no table has decided yet, or that
    an earlier table held over (aangehouden)."""
    final = sa.select(InclusionDecision.referral_id).where(
        InclusionDecision.outcome.in_((states.GEINCLUDEERD, states.NIET_GEINCLUDEERD))
    )
    decided_here = sa.select(InclusionDecision.referral_id).where(
        InclusionDecision.meeting_id == meeting.id
    )
    return list(
        db.session.scalars(
            sa.select(Referral)
            .where(
                Referral.region_id == region.id,
                Referral.status == states.NAAR_INCLUSIETAFEL,
                Referral.id.not_in(final),
                Referral.id.not_in(decided_here),
            )
            .order_by(Referral.created_at)
        )
    )


def decide(
    actor: User,
    region: Region,
    meeting: InclusionMeeting,
    referral: Referral,
    *,
    criteria: dict[str, tuple[str, str]],
    positions: dict[str, str],
    outcome: str,
    motivation: str,
) -> InclusionDecision:
    """Record the table's decision as one act; an inclusion opens a trajectory."""
    _require_regisseur(actor, region)
    if referral.region_id != region.id or referral not in agenda(region, meeting):
        raise DomainError(_("Deze persoon staat niet (meer) op de agenda van deze tafel."))
    if outcome not in states.DECISIONS:
        raise DomainError(_("Kies de uitkomst."), field="outcome")
    for key in states.NATIONAL_CRITERIA:
        answer, _evidence = criteria.get(key, ("", ""))
        if answer not in states.ANSWERS:
            raise DomainError(
                _("Beantwoord elk landelijk criterium met ja, nee of onbekend."),
                field=f"crit_{key}",
            )
    own = current_criteria(region)
    for item in own.items if own else []:
        answer, _evidence = criteria.get(item["key"], ("", ""))
        if answer not in states.ANSWERS:
            raise DomainError(
                _("Beantwoord elk criterium van de regio met ja, nee of onbekend."),
                field=f"crit_{item['key']}",
            )
    known = set(states.NATIONAL_CRITERIA) | {i["key"] for i in (own.items if own else [])}
    criteria = {k: v for k, v in criteria.items() if k in known}
    attending = {str(a) for a in meeting.attendee_ids}
    if set(positions) - attending or any(p not in POSITIONS for p in positions.values()):
        raise DomainError(
            _("Geef per deelnemende organisatie een standpunt: voor, tegen of onthouding."),
            field="positions",
        )
    motivation = (motivation or "").strip()
    if len(motivation) < 10:
        raise DomainError(_("Motiveer het besluit in minstens 10 tekens."), field="motivation")
    if outcome == states.GEINCLUDEERD and db.session.scalar(
        sa.select(Trajectory.id)
        .where(Trajectory.person_id == referral.person_id, Trajectory.status != states.UITGESTROOMD)
        .limit(1)
    ):
        raise DomainError(
            _("Deze persoon is al geïncludeerd: er loopt een traject."), field="outcome"
        )
    decision = InclusionDecision(
        id=uuid.uuid4(),
        meeting_id=meeting.id,
        referral_id=referral.id,
        person_id=referral.person_id,
        outcome=outcome,
        criteria_set_id=own.id if own else None,
        decided_by_id=actor.id,
    )
    db.session.add(decision)
    decision.criteria = json.dumps(
        {k: {"antwoord": a, "onderbouwing": e} for k, (a, e) in criteria.items()},
        ensure_ascii=False,
    )
    decision.positions = json.dumps(positions)
    decision.motivation = motivation
    record(
        "inclusion_decision",
        actor=actor,
        region_id=region.id,
        person_id=referral.person_id,
        object_type="inclusiebesluit",
        object_id=decision.id,
        categories=["proces", "veiligheid", "zorg", "justitie"],
        details={"outcome": outcome},
    )
    if outcome == states.GEINCLUDEERD:
        trajectory = Trajectory(
            id=uuid.uuid4(),
            region_id=region.id,
            person_id=referral.person_id,
            decision_id=decision.id,
            status=states.TRAJECTORY.initial,
            included_on=meeting.held_on,
            procesregisseur_id=actor.id,
        )
        db.session.add(trajectory)
        record(
            "trajectory_opened",
            actor=actor,
            region_id=region.id,
            person_id=referral.person_id,
            object_type="traject",
            object_id=trajectory.id,
            categories=["proces"],
        )
    db.session.commit()
    return decision


# ---------------------------------------------------------------- the region's own criteria

MAX_OWN_CRITERIA = 10


def current_criteria(region: Region) -> RegionCriteriaSet | None:
    """The newest version of the region's own criteria, or None when it has none."""
    found = db.session.scalar(
        sa.select(RegionCriteriaSet)
        .where(RegionCriteriaSet.region_id == region.id)
        .order_by(RegionCriteriaSet.version_no.desc())
        .limit(1)
    )
    return found if found is not None and found.items else None


def criteria_history(region: Region) -> list[RegionCriteriaSet]:
    return list(
        db.session.scalars(
            sa.select(RegionCriteriaSet)
            .where(RegionCriteriaSet.region_id == region.id)
            .order_by(RegionCriteriaSet.version_no.desc())
        )
    )


def set_criteria(actor: User, region: Region, labels: list[str], reason: str) -> RegionCriteriaSet:
    """Adopt a new version of the region's own criteria (functioneel beheerder). The earlier
    versions stay, with the decisions taken under them."""
    if Role.FUNCTIONEEL_BEHEERDER not in actor.roles_in(region.id):
        raise NotAllowed(_("Alleen de functioneel beheerder legt de criteria van de regio vast."))
    labels = [" ".join(label.split()) for label in labels if label.strip()]
    if len(labels) > MAX_OWN_CRITERIA:
        raise DomainError(
            _("Een regio heeft hoogstens %(n)s eigen criteria.", n=MAX_OWN_CRITERIA),
            field="criteria",
        )
    if any(len(label) < 5 or len(label) > 300 for label in labels):
        raise DomainError(
            _("Elk criterium is tussen 5 en 300 tekens lang."),
            field="criteria",
        )
    if len(set(labels)) != len(labels):
        raise DomainError(_("Een criterium staat er twee keer in."), field="criteria")
    reason = " ".join((reason or "").split())
    if len(reason) < 5:
        raise DomainError(_("Geef een reden van minstens 5 tekens."), field="reason")
    history = criteria_history(region)
    if [i["label"] for i in (history[0].items if history else [])] == labels:
        raise DomainError(_("Er is niets gewijzigd."), field="criteria")
    version = RegionCriteriaSet(
        id=uuid.uuid4(),
        region_id=region.id,
        version_no=(history[0].version_no + 1) if history else 1,
        criteria=json.dumps(
            [{"key": f"regio_{n}", "label": label} for n, label in enumerate(labels, 1)],
            ensure_ascii=False,
        ),
        reason=reason[:500],
        created_by_id=actor.id,
    )
    db.session.add(version)
    record(
        "criteria_changed",
        actor=actor,
        region_id=region.id,
        object_type="inclusiecriteria",
        object_id=version.id,
        details={"version": version.version_no, "count": len(labels)},
    )
    db.session.commit()
    return version


# ---------------------------------------------------------------- trajectories


def trajectories_of(person_id: uuid.UUID) -> list[Trajectory]:
    return list(
        db.session.scalars(
            sa.select(Trajectory)
            .where(Trajectory.person_id == person_id)
            .order_by(Trajectory.included_on.desc())
        )
    )


def get_trajectory(region: Region, trajectory_id: uuid.UUID | None) -> Trajectory:
    trajectory = db.session.get(Trajectory, trajectory_id) if trajectory_id else None
    if trajectory is None or trajectory.region_id != region.id:
        raise NotFound(_("Dit traject bestaat niet in deze regio."))
    return trajectory


def assign_roles(
    actor: User,
    region: Region,
    trajectory: Trajectory,
    *,
    provider_id: uuid.UUID | None,
    coordinator_id: uuid.UUID | None,
    casusregisseur_id: uuid.UUID | None,
    version: int,
) -> None:
    """Fill the Levensloopaanbieder, coördinator and gemeentelijke casusregisseur. The coördinator
    and casusregisseur get the person in their caseload; the provider takes part in the case."""

    from levensloop.errors import Conflict
    from levensloop.sharing import policy
    from levensloop.sharing.models import CaseAssignment, CaseParticipant

    _require_regisseur(actor, region)
    if trajectory.version != version:
        raise Conflict(
            _("Iemand anders heeft dit traject intussen gewijzigd. Bekijk de nieuwe stand.")
        )
    if trajectory.status == states.UITGESTROOMD:
        raise DomainError(_("Dit traject is afgesloten."))
    provider = db.session.get(Organisation, provider_id) if provider_id else None
    if provider is None or provider.region_id != region.id:
        raise DomainError(
            _("Kies de Levensloopaanbieder uit de organisaties van deze regio."), field="provider"
        )
    people = {}
    for field, user_id, role in (
        ("coordinator", coordinator_id, Role.LEVENSLOOPCOORDINATOR),
        ("casusregisseur", casusregisseur_id, Role.CASUSREGISSEUR),
    ):
        user = db.session.get(User, user_id) if user_id else None
        if user is None or role not in user.roles_in(region.id) or not user.active:
            raise DomainError(_("Kies een gebruiker met de juiste rol in deze regio."), field=field)
        people[field] = user
    today = local_today()
    for field, user in people.items():
        if getattr(trajectory, f"{field}_id") != user.id:
            db.session.add(
                CaseAssignment(
                    person_id=trajectory.person_id, user_id=user.id, role=field, start_date=today
                )
            )
    if trajectory.provider_organisation_id != provider.id:
        participant = CaseParticipant(
            id=uuid.uuid4(),
            person_id=trajectory.person_id,
            organisation_id=provider.id,
            legal_basis="wgs",
            start_date=today,
            added_by_id=actor.id,
        )
        db.session.add(participant)
        participant.purpose = str(_("Levensloopaanbieder: coördinatie van het levensloopplan"))
    trajectory.provider_organisation_id = provider.id
    trajectory.coordinator_id = people["coordinator"].id
    trajectory.casusregisseur_id = people["casusregisseur"].id
    record(
        "trajectory_roles",
        actor=actor,
        region_id=region.id,
        person_id=trajectory.person_id,
        object_type="traject",
        object_id=trajectory.id,
        categories=["proces"],
    )
    db.session.commit()
    policy.forget()


def set_ave_phase(actor: User, region: Region, trajectory: Trajectory, phase: str) -> None:
    _require_regisseur(actor, region)
    if phase not in states.AVE_PHASES:
        raise DomainError(_("Kies een AVE-fase."), field="ave_phase")
    trajectory.ave_phase = phase
    record(
        "trajectory_ave",
        actor=actor,
        region_id=region.id,
        person_id=trajectory.person_id,
        object_type="traject",
        object_id=trajectory.id,
        categories=["proces"],
        details={"phase": phase},
    )
    db.session.commit()


def exit_trajectory(
    actor: User, region: Region, trajectory: Trajectory, *, reason: str, on: date | None
) -> None:
    _require_regisseur(actor, region)
    if reason not in states.EXIT_REASONS:
        raise DomainError(_("Kies de reden van uitstroom."), field="reason")
    exit_day = on or local_today()
    if exit_day < trajectory.included_on or exit_day > local_today():
        raise DomainError(
            _("De datum van uitstroom ligt tussen de inclusie en vandaag."), field="on"
        )
    transition(
        states.TRAJECTORY,
        trajectory,
        states.UITGESTROOMD,
        actor=actor,
        region_id=region.id,
        person_id=trajectory.person_id,
        details={"reason": reason},
    )
    trajectory.exit_reason = reason
    trajectory.exited_on = exit_day
    db.session.commit()
