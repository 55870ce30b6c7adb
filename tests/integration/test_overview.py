"""Mijn caseload and the region overview: content, filters, and a query count that does not
grow with the number of persons."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from levensloop.auth.models import Role
from levensloop.db import local_today
from levensloop.extensions import db
from levensloop.inclusion.models import Trajectory
from levensloop.persons.services import PersonInput, create_person
from levensloop.plans.models import Action, Goal, Plan
from levensloop.sharing.models import CaseAssignment


def _person_with_trajectory(world, coordinator, name, *, overdue=0, upcoming=None, ave=None):
    person = create_person(None, world.west, PersonInput(achternaam=name))
    trajectory = Trajectory(
        id=uuid.uuid4(),
        region_id=world.west.id,
        person_id=person.id,
        status="plan_in_opstelling",
        included_on=local_today(),
        coordinator_id=coordinator.id,
        ave_phase=ave,
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
    plan = Plan(
        id=uuid.uuid4(),
        trajectory_id=trajectory.id,
        person_id=person.id,
        region_id=world.west.id,
        version_no=1,
        status="vastgesteld",
    )
    goal = Goal(id=uuid.uuid4(), plan=plan, person_id=person.id, domain="wonen")
    db.session.add_all([plan, goal])
    for n in range(overdue):
        db.session.add(
            Action(
                id=uuid.uuid4(),
                goal=goal,
                person_id=person.id,
                owner_organisation_id=world.west_ggz.id,
                due_date=local_today() - timedelta(days=n + 1),
            )
        )
    if upcoming:
        db.session.add(
            Action(
                id=uuid.uuid4(),
                goal=goal,
                person_id=person.id,
                owner_organisation_id=world.west_ggz.id,
                due_date=upcoming,
            )
        )
    db.session.add(
        Action(
            id=uuid.uuid4(),
            goal=goal,
            person_id=person.id,
            owner_organisation_id=world.west_ggz.id,
            due_date=local_today() - timedelta(days=30),
            status="gereed",
        )
    )
    db.session.commit()
    return person


@pytest.fixture
def coordinator(world, browser, clock):
    user = world.user(Role.LEVENSLOOPCOORDINATOR)
    browser.login(user)
    return user


def test_caseload_lists_own_persons_overdue_first(world, coordinator, browser):
    _person_with_trajectory(
        world, coordinator, "Opschema", upcoming=local_today() + timedelta(days=5)
    )
    _person_with_trajectory(world, coordinator, "Achterop", overdue=2)
    other = world.user(Role.LEVENSLOOPCOORDINATOR)
    _person_with_trajectory(world, other, "Vaneenander", overdue=1)
    html = browser.get("/caseload").get_data(as_text=True)
    assert "Vaneenander" not in html
    assert html.index("Achterop") < html.index("Opschema")
    assert "2 personen in uw caseload" in html
    overdue = browser.get("/caseload?filter=achterstallig").get_data(as_text=True)
    assert "Achterop" in overdue and "Opschema" not in overdue


def test_caseload_counts_link_to_filtered_lists_and_late_reviews(world, coordinator, browser):
    from levensloop.reviews.models import ReviewSchedule

    late = _person_with_trajectory(world, coordinator, "Evaluatielaat")
    _person_with_trajectory(world, coordinator, "Evaluatiebijtijds", overdue=1)
    trajectory = db.session.scalar(sa.select(Trajectory).where(Trajectory.person_id == late.id))
    db.session.add(
        ReviewSchedule(
            trajectory_id=trajectory.id,
            due_on=local_today() - timedelta(days=3),
            basis="evaluatie",
            basis_on=local_today() - timedelta(days=90),
        )
    )
    db.session.commit()
    html = browser.get("/caseload").get_data(as_text=True)
    assert "Iedereen (2)" in html
    assert "Met achterstallige acties (1)" in html and "Evaluatie te laat (1)" in html
    assert 'href="/caseload?filter=evaluatie"' in html
    reviews = browser.get("/caseload?filter=evaluatie").get_data(as_text=True)
    assert "Evaluatielaat" in reviews and "Evaluatiebijtijds" not in reviews
    assert "te laat" in reviews
    # An unknown filter is ignored, not an error.
    assert "Evaluatiebijtijds" in browser.get("/caseload?filter=%3Cx%3E").get_data(as_text=True)


def _title(world, person, ends_in_days, code="wvggz_zorgmachtiging"):
    from levensloop.titles.models import LegalTitle
    from levensloop.titles.services import ensure_title_types

    ensure_title_types()
    db.session.add(
        LegalTitle(
            id=uuid.uuid4(),
            person_id=person.id,
            region_id=world.west.id,
            type_code=code,
            status="actief",
            start_date=local_today() - timedelta(days=200),
            expected_end=local_today() + timedelta(days=ends_in_days),
        )
    )
    db.session.commit()


def _refusals(world, person, count):
    from levensloop.titles.models import PlacementRefusal

    for n in range(count):
        refusal = PlacementRefusal(
            id=uuid.uuid4(),
            person_id=person.id,
            region_id=world.west.id,
            setting="klinisch",
            security_level=2,
            refused_on=local_today() - timedelta(days=30 * (n + 1)),
        )
        db.session.add(refusal)
        refusal.provider_name = f"Aanbieder {n} (test)"
        refusal.reason = "Geen plek"
    db.session.commit()


def test_caseload_shows_titles_ending_and_carrousel(world, coordinator, browser):
    soon = _person_with_trajectory(world, coordinator, "Titelbijnaom")
    later = _person_with_trajectory(world, coordinator, "Titellangnog")
    carrousel = _person_with_trajectory(world, coordinator, "Draaideur")
    _title(world, soon, 45)
    _title(world, later, 200)
    _refusals(world, carrousel, 3)
    _refusals(world, later, 2)
    html = browser.get("/caseload").get_data(as_text=True)
    assert "Titel eindigt binnen 90 dagen (1)" in html and "Carrousel (1)" in html
    titles = browser.get("/caseload?filter=titels").get_data(as_text=True)
    assert "Titelbijnaom" in titles and "Titellangnog" not in titles
    assert (local_today() + timedelta(days=45)).strftime("%Y") in titles
    turning = browser.get("/caseload?filter=carrousel").get_data(as_text=True)
    assert "Draaideur" in turning and "Titellangnog" not in turning


def test_region_overview_carrousel_filter(world, app, clock):
    from tests.conftest import Browser

    coordinator = world.user(Role.LEVENSLOOPCOORDINATOR)
    turning = _person_with_trajectory(world, coordinator, "Draaideur")
    calm = _person_with_trajectory(world, coordinator, "Rustigaan")
    _refusals(world, turning, 3)
    _refusals(world, calm, 1)
    browser = Browser(app.test_client())
    browser.login(world.user(Role.PROCESREGISSEUR))
    html = browser.get("/regio-overzicht?carrousel=1").get_data(as_text=True)
    assert "Draaideur" in html and "Rustigaan" not in html
    assert "carrousel" in html


def test_caseload_shows_open_handovers_and_escalations(world, coordinator, browser):
    from levensloop.escalations.models import Escalation
    from levensloop.handovers.models import Handover

    handed = _person_with_trajectory(world, coordinator, "Overdragen")
    stuck = _person_with_trajectory(world, coordinator, "Vastgelopen")
    _person_with_trajectory(world, coordinator, "Rustig")
    db.session.add(
        Handover(
            id=uuid.uuid4(),
            region_id=world.west.id,
            person_id=handed.id,
            kind="organisatie",
            status="aangeboden",
            due_date=local_today() + timedelta(days=20),
        )
    )
    escalation = Escalation(
        id=uuid.uuid4(),
        region_id=world.west.id,
        person_id=stuck.id,
        level=1,
        reason="geen_passend_bed",
        status="open",
        owner_organisation_id=world.west_zvh.id,
        opened_on=local_today(),
        initial_due_date=local_today(),
        due_date=local_today(),
    )
    db.session.add(escalation)
    escalation.description = "Geen plek"
    db.session.commit()
    html = browser.get("/caseload").get_data(as_text=True)
    assert "Met een lopende overdracht (1)" in html and "Met een open escalatie (1)" in html
    assert "1 overdracht" in html and "1 escalatie" in html
    handovers = browser.get("/caseload?filter=overdrachten").get_data(as_text=True)
    assert (
        "Overdragen" in handovers and "Vastgelopen" not in handovers and "Rustig" not in handovers
    )
    escalations = browser.get("/caseload?filter=escalaties").get_data(as_text=True)
    assert "Vastgelopen" in escalations and "Overdragen" not in escalations


def test_empty_caseload_says_how_persons_arrive(world, coordinator, browser):
    assert "Uw caseload is leeg" in browser.get("/caseload").get_data(as_text=True)


def test_region_overview_filters(world, app, clock):
    from tests.conftest import Browser

    coordinator = world.user(Role.LEVENSLOOPCOORDINATOR)
    _person_with_trajectory(world, coordinator, "Rodefase", ave="rood", overdue=1)
    _person_with_trajectory(world, coordinator, "Groenefase", ave="groen")
    browser = Browser(app.test_client())
    browser.login(world.user(Role.PROCESREGISSEUR))
    everything = browser.get("/regio-overzicht").get_data(as_text=True)
    assert "Rodefase" in everything and "Groenefase" in everything
    red = browser.get("/regio-overzicht?ave=rood").get_data(as_text=True)
    assert "Rodefase" in red and "Groenefase" not in red
    late = browser.get("/regio-overzicht?achterstallig=1").get_data(as_text=True)
    assert "Rodefase" in late and "Groenefase" not in late
    nobody = browser.get(f"/regio-overzicht?coordinator={uuid.uuid4()}").get_data(as_text=True)
    assert "Geen trajecten gevonden" in nobody
    garbage = browser.get("/regio-overzicht?status=x&ave=onbekend&coordinator=nee&page=-3")
    assert garbage.status_code == 200
    nul = browser.get("/regio-overzicht?ave=%00")
    assert nul.status_code == 400 and "ongeldig teken" in nul.get_data(as_text=True)


def _count_queries(app, fetch) -> int:
    from levensloop.extensions import db as database

    counter = {"n": 0}

    def count(*_args, **_kwargs):
        counter["n"] += 1

    with app.app_context():
        engine = database.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        response = fetch()
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    assert response.status_code == 200
    return counter["n"]


@pytest.mark.parametrize(
    "url,role",
    [
        ("/caseload", Role.LEVENSLOOPCOORDINATOR),
        ("/regio-overzicht", Role.PROCESREGISSEUR),
        ("/personen/", Role.LEVENSLOOPCOORDINATOR),
    ],
)
@pytest.mark.asvs("V15.2.2")
def test_query_count_does_not_grow_with_persons(world, app, clock, url, role):
    from tests.conftest import Browser

    viewer = world.user(*dict.fromkeys((role, Role.LEVENSLOOPCOORDINATOR)))
    browser = Browser(app.test_client())
    browser.login(viewer)
    for n in range(3):
        _person_with_trajectory(world, viewer, f"Klein{n}", overdue=1)
    # Titles and refusals too, so their subqueries are part of what is counted.
    from levensloop.persons.models import Person

    for person in db.session.scalars(sa.select(Person).limit(2)):
        _title(world, person, 30)
        _refusals(world, person, 3)
    browser.get(url)  # warm caches (matrix rules, etc.)
    few = _count_queries(app, lambda: browser.get(url))
    for n in range(20):
        _person_with_trajectory(world, viewer, f"Groot{n}", overdue=n % 3)
    many = _count_queries(app, lambda: browser.get(url))
    assert many == few, f"{few} queries bij 3 personen, {many} bij 23"
