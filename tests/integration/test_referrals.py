"""Referral and triage: the declared state machine, who sees which referral, the flow."""

from __future__ import annotations

import itertools

import pytest
import sqlalchemy as sa

from levensloop.auth.models import Role
from levensloop.errors import TransitionNotAllowed
from levensloop.extensions import db
from levensloop.inclusion import states
from levensloop.inclusion.models import Referral, Triage
from levensloop.persons.models import Person
from levensloop.workflow import StateMachine, transition

ALL_PAIRS = list(itertools.product(states.REFERRAL.labels, repeat=2))
ALLOWED = {(a, b) for a, targets in states.REFERRAL.allowed.items() for b in targets}


@pytest.mark.parametrize("current,target", ALL_PAIRS, ids=[f"{a}->{b}" for a, b in ALL_PAIRS])
@pytest.mark.asvs("V2.3.1")
def test_every_transition_of_the_referral_machine(app, world, current, target):
    from levensloop.persons.services import PersonInput, create_person

    person = create_person(None, world.west, PersonInput(achternaam="Overgang"))
    referral = Referral(
        region_id=world.west.id,
        person_id=person.id,
        referrer_organisation_id=world.west_zvh.id,
        status=current,
    )
    db.session.add(referral)
    db.session.commit()
    actor = world.user(Role.PROCESREGISSEUR).model
    if (current, target) in ALLOWED:
        transition(
            states.REFERRAL,
            referral,
            target,
            actor=actor,
            region_id=world.west.id,
            person_id=person.id,
        )
        db.session.commit()
        db.session.expire_all()
        stored = db.session.get(Referral, referral.id)
        assert stored.status == target and stored.status_changed_by_id == actor.id
        assert stored.status_changed_at is not None
    else:
        with pytest.raises(TransitionNotAllowed) as raised:
            transition(
                states.REFERRAL,
                referral,
                target,
                actor=actor,
                region_id=world.west.id,
                person_id=person.id,
            )
        assert "niet toegestaan" in raised.value.message
        db.session.rollback()
        assert db.session.get(Referral, referral.id).status == current


def test_a_machine_with_unknown_states_is_refused():
    with pytest.raises(ValueError):
        StateMachine("kapot", {"a": "A"}, {"a": frozenset({"b"})}, "a")


@pytest.fixture
def partner(world, app, clock):
    from tests.conftest import Browser

    user = world.user(Role.KETENPARTNER, organisation=world.west_ggz)
    browser = Browser(app.test_client())
    browser.login(user)
    return user, browser


def _refer(browser, **overrides):
    data = {
        "achternaam": "Aangemeld",
        "voornamen": "Bram",
        "geboortedatum": "1984-02-03",
        "reason": "Zorgen over wonen, schulden en dreigend geweld naar buren; "
        "ggz en politie betrokken",
        "criteria": ["meerdere_leefgebieden", "veiligheid"],
        **overrides,
    }
    return browser.post_form("/aanmeldingen/nieuw", data)


@pytest.mark.asvs("V8.2.2")
def test_partner_refers_and_sees_only_own_referrals_status(world, partner, app, clock):
    from tests.conftest import Browser

    user, browser = partner
    response = _refer(browser)
    assert response.status_code == 302
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "Ingediend" in page and "Zorgen over wonen" in page
    referral = db.session.scalar(sa.select(Referral))
    assert (
        referral.referrer_user_id == user.id
        and referral.criteria == "meerdere_leefgebieden,veiligheid"
    )
    assert b"Zorgen" not in referral.reason_enc  # encrypted

    other = Browser(app.test_client())
    clock.advance(seconds=31)
    other.login(world.user(Role.KETENPARTNER, organisation=world.west_ggz))
    assert other.get(f"/aanmeldingen/{referral.id}").status_code == 403
    assert "Geen aanmeldingen" in other.get("/aanmeldingen/").get_data(as_text=True)


def test_known_person_is_linked_not_duplicated(world, partner):
    from levensloop.persons.services import PersonInput, create_person

    existing = create_person(None, world.west, PersonInput(achternaam="Bekend", bsn="999990019"))
    _user, browser = partner
    assert _refer(browser, achternaam="Anders Gespeld", bsn="999990019").status_code == 302
    assert db.session.scalar(sa.select(Referral)).person_id == existing.id
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Person)) == 1


@pytest.mark.asvs("V2.2.1")
def test_bad_referral_input(world, partner):
    _user, browser = partner
    html = _refer(
        browser, achternaam="", reason="kort", bsn="123", criteria=["bestaat-niet"]
    ).get_data(as_text=True)
    assert "Vul de achternaam in." in html and "Dit is geen geldig BSN" in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Referral)) == 0
    html = _refer(browser, reason="te kort").get_data(as_text=True)
    assert "minstens 20 tekens" in html


def test_regisseur_triages_to_the_inclusion_table(world, partner, app, clock):
    from tests.conftest import Browser

    _user, partner_browser = partner
    _refer(partner_browser)
    referral = db.session.scalar(sa.select(Referral))
    regisseur = Browser(app.test_client())
    clock.advance(seconds=31)
    regisseur.login(world.user(Role.PROCESREGISSEUR))
    url = f"/aanmeldingen/{referral.id}"
    listing = regisseur.get("/aanmeldingen/").get_data(as_text=True)
    assert "Bram Aangemeld" in listing
    premature = regisseur.post_form(
        url,
        {
            "held_on": "2026-11-02",
            "participants": "weegteam",
            "outcome": "naar_inclusietafel",
            "motivation": "Past bij de criteria",
        },
        action=f"{url}/triage",
        follow_redirects=True,
    )
    assert "niet toegestaan" in premature.get_data(as_text=True)
    assert partner_browser.post_form(url, {}, action=f"{url}/triage-starten").status_code == 403
    assert regisseur.post_form(url, {}, action=f"{url}/triage-starten").status_code == 302
    bad = regisseur.post_form(
        url,
        {"held_on": "", "participants": "", "outcome": "", "motivation": ""},
        action=f"{url}/triage",
    )
    html = bad.get_data(as_text=True)
    assert "Vul de datum van de triage in." in html and "Kies de uitkomst van de triage." in html
    done = regisseur.post_form(
        url,
        {
            "held_on": "2026-11-02",
            "participants": "ZVH, GGZ, politie, reclassering",
            "outcome": "naar_inclusietafel",
            "motivation": "Voldoet aan de criteria, agenderen",
        },
        action=f"{url}/triage",
    )
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(Referral, referral.id).status == "naar_inclusietafel"
    triage = db.session.scalar(sa.select(Triage))
    assert triage.motivation == "Voldoet aan de criteria, agenderen"
    partner_view = partner_browser.get(url).get_data(as_text=True)
    assert "Naar de inclusietafel" in partner_view
    again = regisseur.post_form(url, {}, action=f"{url}/triage-starten", follow_redirects=True)
    assert "niet toegestaan" in again.get_data(as_text=True)


@pytest.mark.parametrize(
    "role", [Role.PRIVACY_OFFICER, Role.FUNCTIONEEL_BEHEERDER, Role.LANDELIJK_ANALIST]
)
def test_roles_without_case_work_cannot_refer(world, browser, clock, role):
    browser.login(world.user(role))
    assert browser.get("/aanmeldingen/").status_code == 403
    assert browser.get("/aanmeldingen/nieuw").status_code == 403


def test_procesregisseur_asks_whether_a_referred_person_is_known_elsewhere(world, app, clock):
    from levensloop.audit.models import AuditEvent
    from levensloop.inclusion import services
    from levensloop.persons.services import PersonInput, create_person
    from tests.conftest import Browser

    create_person(None, world.oost, PersonInput(achternaam="Elders", bsn="999990111"))
    regisseur = world.user(Role.PROCESREGISSEUR)
    referral = services.refer(
        regisseur.model,
        world.west,
        PersonInput(achternaam="Elders", bsn="999990111"),
        reason="Zorgen op meerdere leefgebieden en de veiligheid",
        criteria=["veiligheid"],
    )
    browser = Browser(app.test_client())
    browser.login(regisseur)
    url = f"/aanmeldingen/{referral.id}"
    html = browser.post_form(url, {}, action=f"{url}/bekend-elders").get_data(as_text=True)
    assert world.oost.name in html
    assert "999990111" not in html
    events = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.event_type == "known_elsewhere_check")
    ).all()
    assert {e.region_id for e in events} == {world.west.id, world.oost.id}
    # A ketenpartner (the referrer's side) may not ask.
    partner = Browser(app.test_client())
    partner_user = world.user(Role.KETENPARTNER)
    own = services.refer(
        partner_user.model,
        world.west,
        PersonInput(achternaam="Tweede", bsn="999990123"),
        reason="Zorgen op meerdere leefgebieden en de veiligheid",
        criteria=["veiligheid"],
    )
    partner.login(partner_user)
    page = partner.get(f"/aanmeldingen/{own.id}")
    assert "Bekend in een andere regio" not in page.get_data(as_text=True)
    refused = partner.post_from(page, f"/aanmeldingen/{own.id}/bekend-elders", {})
    assert refused.status_code == 403
