"""The tabs netwerk, tijdlijn and logboek of a person's file: what each role sees, what it may
change, and that every entry passes the policy first."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from levensloop.audit.models import AuditEvent
from levensloop.auth.models import Role
from levensloop.db import local_today
from levensloop.extensions import db
from levensloop.organisations.models import Organisation, OrganisationType
from levensloop.persons.network import NetworkContact
from levensloop.persons.services import PersonInput, create_person
from levensloop.plans.models import Action, Goal, Plan
from levensloop.sharing.models import CaseAssignment, CaseParticipant
from tests.conftest import Browser


@pytest.fixture
def case(world, app, clock):
    person = create_person(None, world.west, PersonInput(achternaam="Netwerkmans", voornamen="Ada"))
    coordinator = world.user(Role.LEVENSLOOPCOORDINATOR, organisation=world.west_ggz)
    db.session.add(
        CaseAssignment(
            person_id=person.id,
            user_id=coordinator.id,
            role="coordinator",
            start_date=local_today(),
        )
    )
    # The OM takes part: it may see justice and safety data, but no contact data.
    om = Organisation(region_id=world.west.id, name="OM West (test)", type=OrganisationType.OM)
    db.session.add(om)
    db.session.flush()
    for organisation in (world.west_ggz, om):
        participant = CaseParticipant(
            id=uuid.uuid4(),
            person_id=person.id,
            organisation_id=organisation.id,
            legal_basis="wgs",
            start_date=local_today(),
        )
        db.session.add(participant)
        participant.purpose = "Deelname voor de tabbladentest"
    db.session.commit()
    partner = world.user(Role.KETENPARTNER, organisation=om)
    return {"person": person, "coordinator": coordinator, "partner": partner, "om": om}


def _login(app, user) -> Browser:
    browser = Browser(app.test_client())
    browser.login(user)
    return browser


def test_coordinator_records_the_network_and_it_is_encrypted(world, app, case):
    browser = _login(app, case["coordinator"])
    url = f"/personen/{case['person'].id}/netwerk"
    page = browser.get(url).get_data(as_text=True)
    assert "Nog geen netwerk vastgelegd" in page and "Levensloopcoördinator" in page
    response = browser.post_form(
        url,
        {
            "name": "Zus Netwerkmans",
            "relation": "familie",
            "supportive": "ja",
            "reach": "06-11122233",
            "since": "2020-02-01",
            "note": "Komt elke week langs",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    page = browser.get(url).get_data(as_text=True)
    assert "Zus Netwerkmans" in page and "06-11122233" in page and "steunend" in page
    contact = db.session.scalar(sa.select(NetworkContact))
    assert contact.since == date(2020, 2, 1)
    assert b"Zus" not in contact.name_enc and b"06-111" not in contact.reach_enc
    assert db.session.scalar(
        sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.object_type == "netwerkcontact")
    )

    # Ending keeps the contact in the history.
    ended = browser.post_form(url, {}, action=f"{url}/{contact.id}/beeindigen")
    assert ended.status_code == 302
    db.session.expire_all()
    assert db.session.get(NetworkContact, contact.id).ended_on == local_today()
    again = browser.post_form(url, {}, action=f"{url}/{contact.id}/beeindigen")
    assert again.status_code == 302
    assert "al beëindigd" in browser.get(url).get_data(as_text=True)


@pytest.mark.parametrize(
    "data,message",
    [
        ({"name": "", "relation": "familie"}, "Vul de naam in."),
        ({"name": "Oom Piet", "relation": ""}, "Kies de relatie."),
        ({"name": "Oom Piet", "relation": "onzin"}, "Kies de relatie uit de lijst."),
        ({"name": "Oom Piet", "relation": "familie", "since": "2020-02-31"}, "geldige datum"),
        ({"name": "Oom Piet", "relation": "familie", "since": "2099-01-01"}, "in de toekomst"),
    ],
)
def test_network_bad_input_changes_nothing(world, app, case, data, message):
    browser = _login(app, case["coordinator"])
    url = f"/personen/{case['person'].id}/netwerk"
    response = browser.post_form(url, data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(NetworkContact.id))) == 0


@pytest.mark.asvs("V8.2.3")
def test_network_hidden_and_read_only_without_contact_category(world, app, case):
    coordinator = _login(app, case["coordinator"])
    url = f"/personen/{case['person'].id}/netwerk"
    coordinator.post_form(url, {"name": "Buurman Jan", "relation": "buurt"})
    partner = _login(app, case["partner"])
    page = partner.get(url)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Buurman Jan" not in text and "geen contactgegevens" in text
    assert "Contact toevoegen" not in text
    refused = partner.post_from(page, url, {"name": "Iemand Anders", "relation": "buurt"})
    assert refused.status_code == 403
    contact = db.session.scalar(sa.select(NetworkContact))
    refused = partner.post_from(page, f"{url}/{contact.id}/beeindigen", {})
    assert refused.status_code == 403
    db.session.expire_all()
    assert db.session.get(NetworkContact, contact.id).ended_on is None


@pytest.mark.asvs("V8.2.2")
def test_network_contact_of_another_person_is_not_found(world, app, case):
    other = create_person(None, world.west, PersonInput(achternaam="Anderman"))
    db.session.add(
        CaseAssignment(
            person_id=other.id,
            user_id=case["coordinator"].id,
            role="coordinator",
            start_date=local_today(),
        )
    )
    db.session.commit()
    browser = _login(app, case["coordinator"])
    browser.post_form(
        f"/personen/{other.id}/netwerk", {"name": "Vriend Anderman", "relation": "vriend"}
    )
    contact = db.session.scalar(sa.select(NetworkContact))
    url = f"/personen/{case['person'].id}/netwerk"
    assert browser.post_form(url, {}, action=f"{url}/{contact.id}/beeindigen").status_code == 404


def test_timeline_shows_events_in_order_filtered_by_the_policy(world, app, case, clock):
    person = case["person"]
    coordinator = _login(app, case["coordinator"])
    coordinator.post_form(
        f"/personen/{person.id}/netwerk",
        {"name": "Moeder Netwerkmans", "relation": "familie", "since": "2019-01-01"},
    )
    # An overdue action in the zorg domain: a zorg entry the OM may not see.
    from levensloop.inclusion.models import Trajectory

    trajectory = Trajectory(
        id=uuid.uuid4(),
        region_id=world.west.id,
        person_id=person.id,
        status="plan_in_opstelling",
        included_on=local_today() - timedelta(days=30),
    )
    plan = Plan(
        id=uuid.uuid4(),
        trajectory_id=trajectory.id,
        person_id=person.id,
        region_id=world.west.id,
        version_no=1,
        status="vastgesteld",
        adopted_on=local_today() - timedelta(days=20),
    )
    goal = Goal(id=uuid.uuid4(), plan=plan, person_id=person.id, domain="zorg")
    action = Action(
        id=uuid.uuid4(),
        goal=goal,
        person_id=person.id,
        owner_organisation_id=world.west_ggz.id,
        due_date=local_today() - timedelta(days=3),
        status="open",
    )
    db.session.add_all([trajectory, plan, goal, action])
    goal.text = "Behandeling hervatten"
    action.text = "Intake bij de FACT-poli plannen"
    db.session.commit()

    url = f"/personen/{person.id}/tijdlijn"
    text = coordinator.get(url).get_data(as_text=True)
    for expected in (
        "Traject gestart",
        "Versie 1 vastgesteld",
        "Intake bij de FACT-poli plannen",
        "Moeder Netwerkmans",
        "neemt deel aan de casus",
    ):
        assert expected in text, expected
    # Newest first: the overdue action (3 days ago) before the plan (20 days) before the
    # trajectory (30 days) before the network contact (2019).
    positions = [
        text.index(s)
        for s in ("Intake bij", "Versie 1 vastgesteld", "Traject gestart", "Moeder Netwerk")
    ]
    assert positions == sorted(positions)
    only_contact = coordinator.get(f"{url}?categorie=contact").get_data(as_text=True)
    assert "Moeder Netwerkmans" in only_contact and "Traject gestart" not in only_contact

    partner_view = _login(app, case["partner"]).get(url).get_data(as_text=True)
    assert "Traject gestart" in partner_view
    assert "Intake bij de FACT-poli" not in partner_view
    assert "Moeder Netwerkmans" not in partner_view
    # A category the viewer may not see cannot be asked for either.
    asked = _login(app, case["partner"]).get(f"{url}?categorie=zorg").get_data(as_text=True)
    assert "Intake bij de FACT-poli" not in asked


@pytest.mark.asvs("V8.4.1")
def test_timeline_and_network_of_another_region_are_not_found(world, app, case):
    oost = world.user(Role.PROCESREGISSEUR, region=world.oost)
    browser = _login(app, oost)
    for tab in ("netwerk", "tijdlijn", "logboek"):
        assert browser.get(f"/personen/{case['person'].id}/{tab}").status_code == 404


def test_log_tab_for_coordinator_and_regisseur_only(world, app, case):
    url = f"/personen/{case['person'].id}/logboek"
    coordinator = _login(app, case["coordinator"])
    coordinator.get(f"/personen/{case['person'].id}")
    page = coordinator.get(url)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "ingezien" in text and "OM West" not in text
    regisseur = _login(app, world.user(Role.PROCESREGISSEUR))
    assert regisseur.get(url).status_code == 200
    partner = _login(app, case["partner"])
    assert partner.get(url).status_code == 403
    assert "Logboek" not in partner.get(f"/personen/{case['person'].id}").get_data(as_text=True)
    assert (
        db.session.scalar(
            sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.object_type == "logboek")
        )
        == 2
    )
