"""The levensloopplan: versions, domains by category, score history, goals, actions, adoption,
and the trajectory that may only go into execution with an adopted plan."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from levensloop.auth.models import Role
from levensloop.db import local_today
from levensloop.extensions import db
from levensloop.inclusion.models import Trajectory
from levensloop.organisations.models import Organisation, OrganisationType
from levensloop.persons.services import PersonInput, create_person
from levensloop.plans.models import Action, Plan, ScoreChange
from levensloop.sharing.models import CaseAssignment, CaseParticipant


@pytest.fixture
def case(world, app, clock):
    from tests.conftest import Browser

    person = create_person(None, world.west, PersonInput(achternaam="Planmans", voornamen="Uma"))
    coordinator = world.user(Role.LEVENSLOOPCOORDINATOR, organisation=world.west_ggz)
    casusregisseur = world.user(Role.CASUSREGISSEUR)
    trajectory = Trajectory(
        id=uuid.uuid4(),
        region_id=world.west.id,
        person_id=person.id,
        status="plan_in_opstelling",
        included_on=local_today(),
    )
    db.session.add(trajectory)
    db.session.add(
        CaseAssignment(
            person_id=person.id,
            user_id=coordinator.id,
            role="coordinator",
            start_date=local_today(),
        )
    )
    participant = CaseParticipant(
        id=uuid.uuid4(),
        person_id=person.id,
        organisation_id=world.west_ggz.id,
        legal_basis="wgs",
        start_date=local_today(),
    )
    db.session.add(participant)
    participant.purpose = "Levensloopaanbieder voor de plantest"
    db.session.commit()
    browser = Browser(app.test_client())
    browser.login(coordinator)
    return {
        "person": person,
        "trajectory": trajectory,
        "browser": browser,
        "coordinator": coordinator,
        "casusregisseur": casusregisseur,
        "url": f"/personen/{person.id}/plan",
    }


def _plan():
    db.session.expire_all()
    return db.session.scalar(sa.select(Plan).order_by(Plan.version_no.desc()))


def test_draw_up_adopt_and_execute(world, case):
    browser, url = case["browser"], case["url"]
    assert "Nog geen plan" in browser.get(url).get_data(as_text=True)
    assert browser.post_form(url, {}, action=f"{url}/nieuw").status_code == 302
    plan = _plan()
    assert plan.version_no == 1 and plan.status == "concept" and len(plan.sections) == 7
    page = browser.get(url).get_data(as_text=True)
    for label in (
        "Wonen",
        "Werk en dagbesteding",
        "Inkomen",
        "Zorg",
        "Netwerk",
        "Veiligheid",
        "Juridisch kader",
    ):
        assert label in page

    wonen = next(s for s in plan.sections if s.domain == "wonen")
    saved = browser.post_form(
        url,
        {
            "situation": "Dakloos sinds de zomer, slaapt bij kennissen",
            "score": "1",
            "version": str(wonen.version),
        },
        action=f"{url}/{plan.id}/leefgebied/wonen",
    )
    assert saved.status_code == 302
    stale = browser.post_form(
        url,
        {"situation": "Andere tekst van een collega", "score": "2", "version": str(wonen.version)},
        action=f"{url}/{plan.id}/leefgebied/wonen",
    )
    html = stale.get_data(as_text=True)
    assert (
        stale.status_code == 409
        and "Andere tekst van een collega" in html
        and "Dakloos sinds de zomer" in html
    )
    assert [c.score for c in db.session.scalars(sa.select(ScoreChange))] == [1]

    no_goal = browser.post_form(url, {}, action=f"{url}/{plan.id}/vaststellen")
    assert "zonder doelen" in no_goal.get_data(as_text=True)
    assert (
        browser.post_form(
            url,
            {
                "domain": "wonen",
                "text": "Binnen drie maanden een eigen kamer met begeleiding",
                "target_date": "2027-02-01",
            },
            action=f"{url}/{plan.id}/doel",
        ).status_code
        == 302
    )
    goal = _plan().goals[0]
    outsider = browser.post_form(
        url,
        {
            "goal": str(goal.id),
            "text": "Aanvraag indienen",
            "owner_organisation": str(world.west_zvh.id),
        },
        action=f"{url}/{plan.id}/actie",
    )
    assert "die aan de casus deelneemt" in outsider.get_data(as_text=True)
    assert (
        browser.post_form(
            url,
            {
                "goal": str(goal.id),
                "text": "Aanvraag beschermd wonen indienen",
                "owner_organisation": str(world.west_ggz.id),
                "owner_person": "FACT-team",
                "due_date": "2026-12-01",
            },
            action=f"{url}/{plan.id}/actie",
        ).status_code
        == 302
    )

    not_yet = browser.post_form(url, {}, action=f"{url}/uitvoering")
    assert "nog niet in uitvoering" in not_yet.get_data(as_text=True)
    assert browser.post_form(url, {}, action=f"{url}/{plan.id}/vaststellen").status_code == 302
    assert _plan().status == "vastgesteld"
    roles_missing = browser.post_form(url, {}, action=f"{url}/uitvoering").get_data(as_text=True)
    assert (
        "de Levensloopaanbieder, de coördinator en de gemeentelijke casusregisseur" in roles_missing
    )
    trajectory = db.session.get(Trajectory, case["trajectory"].id)
    trajectory.provider_organisation_id = world.west_ggz.id
    trajectory.coordinator_id = case["coordinator"].id
    trajectory.casusregisseur_id = case["casusregisseur"].id
    db.session.commit()
    assert browser.post_form(url, {}, action=f"{url}/uitvoering").status_code == 302
    db.session.expire_all()
    assert db.session.get(Trajectory, trajectory.id).status == "in_uitvoering"

    action = db.session.scalar(sa.select(Action))
    assert (
        browser.post_form(
            url,
            {"status": "loopt", "version": str(action.version)},
            action=f"{url}/actie/{action.id}/status",
        ).status_code
        == 302
    )
    assert browser.post_form(url, {}, action=f"{url}/nieuw").status_code == 302  # version 2, copied
    second = _plan()
    assert second.version_no == 2 and second.goals[0].text.startswith("Binnen drie maanden")
    assert second.goals[0].actions[0].status == "loopt"
    assert browser.post_form(url, {}, action=f"{url}/{second.id}/vaststellen").status_code == 302
    db.session.expire_all()
    statuses = {p.version_no: p.status for p in db.session.scalars(sa.select(Plan))}
    assert statuses == {1: "vervallen", 2: "vastgesteld"}


@pytest.mark.asvs("V2.3.1")
def test_adopted_plan_cannot_be_edited(world, case):
    browser, url = case["browser"], case["url"]
    browser.post_form(url, {}, action=f"{url}/nieuw")
    plan = _plan()
    browser.post_form(
        url,
        {"domain": "zorg", "text": "Behandeling bij FACT blijft doorlopen"},
        action=f"{url}/{plan.id}/doel",
    )
    browser.post_form(url, {}, action=f"{url}/{plan.id}/vaststellen")
    section = _plan().sections[0]
    refused = browser.post_form(
        url,
        {"situation": "x", "version": str(section.version)},
        action=f"{url}/{plan.id}/leefgebied/{section.domain}",
    )
    assert "Alleen een concept kan worden gewijzigd" in refused.get_data(as_text=True)


@pytest.mark.asvs("V8.2.3")
def test_partner_sees_only_domains_of_granted_categories_and_cannot_edit(world, case, app, clock):
    from tests.conftest import Browser

    browser, url = case["browser"], case["url"]
    browser.post_form(url, {}, action=f"{url}/nieuw")
    plan = _plan()
    for domain, text in (("zorg", "Diagnose-sentinel-zorg"), ("wonen", "Woon-sentinel-sociaal")):
        section = next(s for s in plan.sections if s.domain == domain)
        browser.post_form(
            url,
            {"situation": text, "version": str(section.version)},
            action=f"{url}/{plan.id}/leefgebied/{domain}",
        )
    woningcorporatie = Organisation(
        region_id=world.west.id, name="Woonstichting Plan", type=OrganisationType.WONINGCORPORATIE
    )
    db.session.add(woningcorporatie)
    db.session.commit()
    participant = CaseParticipant(
        id=uuid.uuid4(),
        person_id=case["person"].id,
        organisation_id=woningcorporatie.id,
        legal_basis="wgs",
        start_date=local_today(),
    )
    db.session.add(participant)
    participant.purpose = "Huisvesting regelen voor de plantest"
    db.session.commit()
    partner = Browser(app.test_client())
    clock.advance(seconds=31)
    partner.login(world.user(Role.KETENPARTNER, organisation=woningcorporatie))
    html = partner.get(url).get_data(as_text=True)
    assert "Woon-sentinel-sociaal" in html and "Diagnose-sentinel-zorg" not in html
    assert "Juridisch kader" not in html
    section = next(s for s in _plan().sections if s.domain == "wonen")
    assert (
        partner.post_form(
            url,
            {"situation": "x", "version": str(section.version)},
            action=f"{url}/{plan.id}/leefgebied/wonen",
        ).status_code
        == 403
    )


@pytest.mark.asvs("V8.2.2")
def test_plan_of_another_person_answers_404(world, case):
    browser, url = case["browser"], case["url"]
    browser.post_form(url, {}, action=f"{url}/nieuw")
    plan = _plan()
    other = create_person(None, world.west, PersonInput(achternaam="Ander"))
    db.session.add(
        CaseAssignment(
            person_id=other.id,
            user_id=case["coordinator"].id,
            role="coordinator",
            start_date=local_today(),
        )
    )
    db.session.commit()
    other_url = f"/personen/{other.id}/plan"
    response = browser.post_form(
        other_url,
        {"domain": "wonen", "text": "Een doel bij de verkeerde persoon"},
        action=f"{other_url}/{plan.id}/doel",
    )
    assert response.status_code == 404
