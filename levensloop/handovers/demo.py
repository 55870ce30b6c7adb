"""Demo handovers in Demo West, fictional and marked "(demo)". Call `seed_demo(region, today)`
after `levensloop.demo.seed_case_work` and the titles' demo data.

1. A title handover in `aangeboden`: for the demo person whose title ends soonest (within 90
   days), from the Levensloopaanbieder to Reclassering Demo, so that the demo ketenpartner (or
   the procesregisseur) can accept or refuse it. Without such a title: an organisation
   handover to the same organisation.
2. An organisation handover in `geaccepteerd` (the overlap): for another demo person, to
   Forensische Zorg Fictief, with three checklist items ticked.

They go through the services, so responsibility, audit and encryption are as in real use.
"""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from levensloop.auth.models import User
from levensloop.db import local_today
from levensloop.extensions import db
from levensloop.handovers import services
from levensloop.handovers import states as s
from levensloop.handovers.models import Handover
from levensloop.inclusion import states as inclusion_states
from levensloop.inclusion.models import Trajectory
from levensloop.organisations.models import Organisation

COORDINATOR = "coordinator@zvh-demo.example"
REGISSEUR = "procesregisseur@zvh-demo.example"


def _user(username: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.username == username))


def _organisation(region, name: str) -> Organisation | None:
    return db.session.scalar(
        sa.select(Organisation).where(
            Organisation.region_id == region.id, Organisation.name == name
        )
    )


def seed_demo(region, today: date | None = None) -> int:
    """Seed the two demo handovers; does nothing when the region has handovers already.
    Commits; returns the number of handovers made."""
    from levensloop.persons.models import Person
    from levensloop.titles.models import LegalTitle
    from levensloop.titles.states import RUNNING

    today = today or local_today()
    if db.session.scalar(sa.select(Handover.id).where(Handover.region_id == region.id).limit(1)):
        return 0
    coordinator, regisseur = _user(COORDINATOR), _user(REGISSEUR)
    reclassering = _organisation(region, "Reclassering Demo")
    forensisch = _organisation(region, "Forensische Zorg Fictief")
    if not (coordinator and regisseur and reclassering and forensisch):
        return 0
    trajectories = list(
        db.session.scalars(
            sa.select(Trajectory)
            .where(
                Trajectory.region_id == region.id,
                Trajectory.status != inclusion_states.UITGESTROOMD,
                Trajectory.coordinator_id == coordinator.id,
                Trajectory.provider_organisation_id.is_not(None),
                Trajectory.provider_organisation_id.not_in([reclassering.id, forensisch.id]),
            )
            .order_by(Trajectory.included_on, Trajectory.id)
        )
    )
    if len(trajectories) < 2:
        return 0
    by_person = {t.person_id: t for t in trajectories}
    ending = db.session.scalar(
        sa.select(LegalTitle)
        .where(
            LegalTitle.person_id.in_(list(by_person)),
            LegalTitle.status.in_(RUNNING),
            LegalTitle.expected_end >= today + timedelta(days=14),
            LegalTitle.expected_end <= today + timedelta(days=90),
        )
        .order_by(LegalTitle.expected_end, LegalTitle.id)
        .limit(1)
    )
    first = by_person[ending.person_id] if ending else trajectories[0]
    second = next(t for t in trajectories if t.person_id != first.person_id)
    persons = {
        p.id: p
        for p in db.session.scalars(
            sa.select(Person).where(Person.id.in_([first.person_id, second.person_id]))
        )
    }

    if ending is not None:
        data = services.PlanInput(
            kind=s.TITEL,
            predecessor_title_id=ending.id,
            to_organisation_id=reclassering.id,
            due_date=max(today, ending.expected_end - timedelta(days=10)),
            note="De zorgmachtiging loopt af; toezicht en begeleiding gaan over naar de "
            "reclassering. Graag een kennismaking met de persoon vóór de einddatum (demo).",
        )
    else:
        data = services.PlanInput(
            kind=s.ORGANISATIE,
            to_organisation_id=reclassering.id,
            due_date=today + timedelta(days=28),
            note="Overdracht van de begeleiding aan de reclassering (demo).",
        )
    services.plan_handover(coordinator, region, persons[first.person_id], data, offer=True)

    accepted = services.plan_handover(
        regisseur,
        region,
        persons[second.person_id],
        services.PlanInput(
            kind=s.ORGANISATIE,
            to_organisation_id=forensisch.id,
            due_date=today + timedelta(days=21),
            note="Na de klinische periode neemt de forensische zorg de coördinatie over; "
            "de FACT-begeleiding loopt door tot de warme kennismaking (demo).",
        ),
        offer=True,
    )
    person = persons[second.person_id]
    services.accept(regisseur, region, person, accepted)
    services.update_checklist(
        regisseur,
        region,
        person,
        accepted,
        items={"behandelhistorie", "levensloopplan", "netwerk_contacten"},
    )
    return 2
