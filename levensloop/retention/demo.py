"""Demo data for retention: three plainly fictional persons whose retention has passed, the
night job's draft, and a legal hold on one of them. Everything is marked "(demo)"."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from levensloop.auth.models import User
from levensloop.extensions import db
from levensloop.inclusion import states
from levensloop.inclusion.models import Referral, Trajectory
from levensloop.organisations.models import Organisation, OrganisationType, Region
from levensloop.persons.services import PersonInput, create_person
from levensloop.retention import rules, services
from levensloop.retention.models import DestructionEntry

OFFICER = "privacy@zvh-demo.example"


def seed_demo(region: Region, today: date) -> int:
    """Add the demo persons to `region`, draft its destruction list for `today` and place a
    legal hold on one entry (as the demo privacy officer, if present). Does nothing when the
    region already has entries. Commits. Returns the number of entries on the list."""
    if db.session.scalar(
        sa.select(DestructionEntry.id).where(DestructionEntry.region_id == region.id).limit(1)
    ):
        return 0
    referrer = db.session.scalar(
        sa.select(Organisation)
        .where(Organisation.region_id == region.id, Organisation.type == OrganisationType.ZVH)
        .limit(1)
    )
    _exited(region, "Archiefsma", "Bewaar", rules.add_months(today, -74), today)
    held = _exited(region, "Dossierink", "Blokje", rules.add_months(today, -86), today)
    if referrer is not None:
        _not_included(region, referrer, rules.add_months(today, -14))
    db.session.commit()
    services.draft_destruction_list(region, today)
    officer = db.session.scalar(sa.select(User).where(User.username == OFFICER))
    entry = db.session.scalar(
        sa.select(DestructionEntry).where(
            DestructionEntry.person_id == held, DestructionEntry.status == rules.VOORGESTELD
        )
    )
    if officer is not None and entry is not None:
        services.place_hold(
            officer,
            region,
            entry,
            reason="Lopende civiele procedure; de rechtbank heeft om het dossier gevraagd (demo).",
            version=entry.version,
        )
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(DestructionEntry)
            .where(DestructionEntry.region_id == region.id)
        )
        or 0
    )


def _exited(region: Region, surname: str, first: str, included_on: date, today: date):
    person = create_person(
        None,
        region,
        PersonInput(
            achternaam=surname,
            voornamen=first,
            notities="Fictieve persoon voor de vernietigingslijst (demo).",
        ),
    )
    db.session.add(
        Trajectory(
            id=uuid.uuid4(),
            region_id=region.id,
            person_id=person.id,
            status=states.UITGESTROOMD,
            included_on=included_on,
            exited_on=rules.add_months(included_on, 10),
            exit_reason="stabiel",
        )
    )
    return person.id


def _not_included(region: Region, referrer: Organisation, ended_on: date) -> None:
    person = create_person(
        None,
        region,
        PersonInput(
            achternaam="Nietgeteld",
            voornamen="Nora",
            notities="Fictieve persoon, aanmelding niet passend (demo).",
        ),
    )
    referral = Referral(
        id=uuid.uuid4(),
        region_id=region.id,
        person_id=person.id,
        referrer_organisation_id=referrer.id,
        status=states.NIET_PASSEND,
        status_changed_at=datetime.combine(ended_on, time(10), ZoneInfo("Europe/Amsterdam")),
    )
    db.session.add(referral)
    referral.reason = "Demo: aanmelding die bij de triage niet passend bleek (demo)."
