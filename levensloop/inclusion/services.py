"""Referral (aanmelding) and triage. Any partner refers; the procesregisseur triages."""

from __future__ import annotations

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
from levensloop.inclusion.models import Referral, Triage
from levensloop.organisations.models import Region
from levensloop.persons import services as persons
from levensloop.workflow import transition

REFERRER_ROLES = frozenset(
    {Role.PROCESREGISSEUR, Role.LEVENSLOOPCOORDINATOR, Role.KETENPARTNER, Role.CASUSREGISSEUR}
)
MIN_REASON = 20


def is_regisseur(actor: User, region: Region) -> bool:
    return Role.PROCESREGISSEUR in actor.roles_in(region.id)


def refer(
    actor: User, region: Region, identity: persons.PersonInput, *, reason: str, criteria: list[str]
) -> Referral:
    """Refer a person. A person already registered in the region (same BSN, or same surname
    and birth date) is linked instead of registered twice; the referrer learns only that."""
    if not actor.roles_in(region.id) & REFERRER_ROLES:
        raise NotAllowed(_("U kunt in deze regio niemand aanmelden."))
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise DomainError(
            _("Beschrijf waarom u aanmeldt, in minstens %(n)s tekens.", n=MIN_REASON),
            field="reason",
        )
    unknown = set(criteria) - set(states.REFERRAL_CRITERIA)
    if unknown:
        raise DomainError(_("Kies criteria uit de lijst."), field="criteria")
    identity = identity.cleaned()
    matches = persons.possible_duplicates(region, identity)
    if len(matches) > 1:
        raise DomainError(
            _(
                "Er zijn meerdere geregistreerde personen die hierop lijken. Vul het BSN in, zodat "
                "de aanmelding bij de juiste persoon komt."
            ),
            field="bsn",
        )
    if matches:
        person, known = matches[0], True
    else:
        person, known = persons.create_person(None, region, identity), False
        person.created_by_id = actor.id
    referral = Referral(
        id=uuid.uuid4(),
        region_id=region.id,
        person_id=person.id,
        referrer_user_id=actor.id,
        referrer_organisation_id=actor.organisation_id,
        status=states.REFERRAL.initial,
    )
    db.session.add(referral)
    referral.reason = reason
    referral.criteria = ",".join(c for c in states.REFERRAL_CRITERIA if c in criteria) or None
    record(
        "referral_created",
        actor=actor,
        region_id=region.id,
        person_id=person.id,
        object_type="aanmelding",
        object_id=referral.id,
        categories=["identiteit", "proces"],
        details={"known_person": known, "criteria": len(criteria)},
    )
    db.session.commit()
    return referral


def list_referrals(actor: User, region: Region, *, status: str = "", page: int = 1):
    """The procesregisseur sees every referral of the region; others only their own."""
    query = sa.select(Referral).where(Referral.region_id == region.id)
    if not is_regisseur(actor, region):
        query = query.where(Referral.referrer_user_id == actor.id)
    if status == "open":
        query = query.where(Referral.status.in_((states.INGEDIEND, states.IN_TRIAGE)))
    elif status in states.REFERRAL.labels:
        query = query.where(Referral.status == status)
    return db.paginate(
        query.order_by(Referral.created_at.desc(), Referral.id),
        page=page,
        per_page=25,
        error_out=False,
    )


def get_referral(actor: User, region: Region, referral_id: uuid.UUID | None) -> Referral:
    referral = db.session.get(Referral, referral_id) if referral_id else None
    if referral is None or referral.region_id != region.id:
        raise NotFound(_("Deze aanmelding bestaat niet in deze regio."))
    if not (is_regisseur(actor, region) or referral.referrer_user_id == actor.id):
        record(
            "access_denied",
            actor=actor,
            outcome="failure",
            region_id=region.id,
            object_type="aanmelding",
            object_id=referral.id,
        )
        db.session.commit()
        raise NotAllowed(_("U kunt alleen uw eigen aanmeldingen inzien."))
    record(
        "read",
        actor=actor,
        region_id=region.id,
        person_id=referral.person_id,
        object_type="aanmelding",
        object_id=referral.id,
        categories=["proces"],
    )
    db.session.commit()
    return referral


def start_triage(actor: User, region: Region, referral: Referral) -> None:
    if not is_regisseur(actor, region):
        raise NotAllowed(_("Alleen de procesregisseur neemt een aanmelding in triage."))
    transition(
        states.REFERRAL,
        referral,
        states.IN_TRIAGE,
        actor=actor,
        region_id=region.id,
        person_id=referral.person_id,
    )
    db.session.commit()


def record_triage(
    actor: User,
    region: Region,
    referral: Referral,
    *,
    held_on: date | None,
    participants: str,
    outcome: str,
    motivation: str,
) -> Triage:
    """Record the weegteam's triage and move the referral to its outcome, as one act."""
    if not is_regisseur(actor, region):
        raise NotAllowed(_("Alleen de procesregisseur legt de triage vast."))
    if outcome not in states.TRIAGE_OUTCOMES:
        raise DomainError(_("Kies de uitkomst van de triage."), field="outcome")
    if held_on is None or held_on > local_today():
        raise DomainError(
            _("Vul de datum van de triage in (niet in de toekomst)."), field="held_on"
        )
    participants, motivation = (participants or "").strip(), (motivation or "").strip()
    if len(participants) < 3:
        raise DomainError(_("Noem wie aan de triage deelnamen."), field="participants")
    if len(motivation) < 10:
        raise DomainError(_("Motiveer de uitkomst in minstens 10 tekens."), field="motivation")
    transition(
        states.REFERRAL,
        referral,
        outcome,
        actor=actor,
        region_id=region.id,
        person_id=referral.person_id,
    )
    triage = Triage(
        id=uuid.uuid4(),
        referral_id=referral.id,
        person_id=referral.person_id,
        held_on=held_on,
        outcome=outcome,
        recorded_by_id=actor.id,
    )
    db.session.add(triage)
    triage.participants = participants
    triage.motivation = motivation
    record(
        "triage_recorded",
        actor=actor,
        region_id=region.id,
        person_id=referral.person_id,
        object_type="triage",
        object_id=triage.id,
        categories=["proces"],
        details={"outcome": outcome},
    )
    db.session.commit()
    return triage


def known_elsewhere_for(actor: User, region: Region, referral: Referral) -> list:
    """The "known elsewhere" check for the person of a referral, with the data the referral
    holds (BSN, else surname and birth date). Only regions and their contactpunt come back."""
    from levensloop.handovers.interregional import known_elsewhere
    from levensloop.persons.models import Person

    if not is_regisseur(actor, region):
        raise NotAllowed(_("Alleen de procesregisseur vraagt na of iemand elders bekend is."))
    person = db.session.get(Person, referral.person_id)
    if person is None or person.is_shredded:
        return []
    if person.bsn:
        return known_elsewhere(actor, region, bsn=person.bsn)
    if person.achternaam and person.geboortedatum:
        return known_elsewhere(
            actor, region, achternaam=person.achternaam, geboortedatum=person.geboortedatum
        )
    return []
