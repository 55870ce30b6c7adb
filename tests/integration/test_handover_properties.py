"""Nobody falls between two stools: whatever sequence of handover operations is tried (planned,
offered, accepted, refused, withdrawn, completed with a random checklist, days passing), an
included person always has an active responsible organisation (the trajectory's
Levensloopaanbieder takes part in the case) and an active coördinator (the trajectory's
coördinator has the person in the caseload), today and tomorrow."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from levensloop.auth.models import Role
from levensloop.db import local_today
from levensloop.errors import DomainError
from levensloop.extensions import db
from levensloop.handovers import services
from levensloop.handovers import states as s
from levensloop.handovers.models import Handover
from levensloop.inclusion.models import Trajectory
from levensloop.organisations.models import Organisation, OrganisationType
from levensloop.persons.models import Person
from levensloop.persons.services import PersonInput, create_person
from levensloop.sharing import policy
from levensloop.sharing.models import CaseAssignment, CaseParticipant

ITEMS = sorted(s.CHECKLIST)
ACTIONS = {
    "offer": s.AANGEBODEN,
    "accept": s.GEACCEPTEERD,
    "reject": s.AFGEWEZEN,
    "withdraw": s.INGETROKKEN,
    "complete": s.AFGEROND,
}
CHECKLISTS = st.one_of(st.just(frozenset(ITEMS)), st.frozensets(st.sampled_from(ITEMS)))


PLANS = [
    ("plan", kind, n, offer)
    for kind in (s.COORDINATOR, s.ORGANISATIE)
    for n in range(3)
    for offer in (True, False)
]


def _operation(data, handovers: list):
    """The next operation: a plan, a day passing, or a step on one of the last three
    handovers; a step is mostly one the state machine allows (so that sequences reach
    acceptance and completion often) and sometimes any step at all."""
    steps, allowed = [], []
    for handover_id in handovers[-3:]:
        status = db.session.get(Handover, handover_id).status
        for action, target in ACTIONS.items():
            steps.append((action, handover_id))
            if s.HANDOVER.can(status, target):
                allowed.append((action, handover_id))
    kinds = ["plan", "day"] + (["step", "step", "step", "any step"] if steps else [])
    kind = data.draw(st.sampled_from(kinds), label="kind")
    if kind == "plan":
        return data.draw(st.sampled_from(PLANS), label="plan")
    if kind == "day":
        return ("day",)
    return data.draw(st.sampled_from(allowed if kind == "step" and allowed else steps))


def _responsible(person_id, day: date) -> bool:
    trajectory = db.session.scalar(sa.select(Trajectory).where(Trajectory.person_id == person_id))
    if trajectory.status == "uitgestroomd":
        return True
    provider = db.session.scalar(
        sa.select(CaseParticipant.id).where(
            CaseParticipant.person_id == person_id,
            CaseParticipant.organisation_id == trajectory.provider_organisation_id,
            policy.active_on(CaseParticipant, day),
        )
    )
    coordinator = db.session.scalar(
        sa.select(CaseAssignment.id).where(
            CaseAssignment.person_id == person_id,
            CaseAssignment.user_id == trajectory.coordinator_id,
            CaseAssignment.role == "coordinator",
            policy.active_on(CaseAssignment, day),
        )
    )
    return provider is not None and coordinator is not None


def test_an_included_person_always_has_a_responsible_organisation_and_coordinator(
    world, app, clock
):
    organisations = [world.west_ggz] + [
        Organisation(region_id=world.west.id, name=f"Aanbieder {n}", type=OrganisationType.GGZ)
        for n in (1, 2)
    ]
    db.session.add_all(organisations[1:])
    db.session.commit()
    coordinators = [world.user(Role.LEVENSLOOPCOORDINATOR).model for _ in range(3)]
    regisseur = world.user(Role.PROCESREGISSEUR).model
    region = world.west

    @settings(
        max_examples=30,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.data())
    def check(data):
        today = local_today()
        person = create_person(None, region, PersonInput(achternaam="Eigenschapsma"))
        db.session.add(
            Trajectory(
                id=uuid.uuid4(),
                region_id=region.id,
                person_id=person.id,
                status="in_uitvoering",
                included_on=today,
                provider_organisation_id=organisations[0].id,
                coordinator_id=coordinators[0].id,
            )
        )
        participant = CaseParticipant(
            id=uuid.uuid4(),
            person_id=person.id,
            organisation_id=organisations[0].id,
            legal_basis="wgs",
            start_date=today,
        )
        db.session.add(participant)
        participant.purpose = "Levensloopaanbieder (eigenschapstest)"
        db.session.add(
            CaseAssignment(
                person_id=person.id,
                user_id=coordinators[0].id,
                role="coordinator",
                start_date=today,
            )
        )
        db.session.commit()
        handovers: list = []
        done: list = []
        for _round in range(data.draw(st.integers(1, 14), label="rounds")):
            operation = _operation(data, handovers)
            person = db.session.get(Person, person.id)
            try:
                if operation[0] == "day":
                    clock.advance(days=1)
                elif operation[0] == "plan":
                    _name, kind, n, offer = operation
                    plan = services.PlanInput(
                        kind=kind,
                        due_date=local_today() + timedelta(days=30),
                        to_organisation_id=organisations[n].id if kind == s.ORGANISATIE else None,
                        to_user_id=coordinators[n].id if kind == s.COORDINATOR else None,
                    )
                    handover = services.plan_handover(regisseur, region, person, plan, offer=offer)
                    handovers.append(handover.id)
                else:
                    handover = db.session.get(Handover, operation[1])
                    if operation[0] == "complete":
                        if handover.status in s.OPEN:
                            services.update_checklist(
                                regisseur, region, person, handover, items=data.draw(CHECKLISTS)
                            )
                        services.complete(regisseur, region, person, handover)
                    elif operation[0] == "reject":
                        services.reject(
                            regisseur, region, person, handover, reason="Geen plek (test)."
                        )
                    else:
                        getattr(services, operation[0])(regisseur, region, person, handover)
            except DomainError:
                db.session.rollback()
            else:
                done.append(operation[0])
            db.session.expire_all()
            for day in (local_today(), local_today() + timedelta(days=1)):
                assert _responsible(person.id, day), (done, operation, day)

    check()
