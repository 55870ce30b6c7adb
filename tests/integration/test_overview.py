"""Mijn caseload and the region overview: content, filters, and a query count that does not
grow with the number of persons."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from levensloop.auth.models import Role
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
        included_on=date.today(),
        coordinator_id=coordinator.id,
        ave_phase=ave,
    )
    db.session.add(trajectory)
    db.session.add(
        CaseAssignment(
            person_id=person.id, user_id=coordinator.id, role="coordinator", start_date=date.today()
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
                due_date=date.today() - timedelta(days=n + 1),
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
            due_date=date.today() - timedelta(days=30),
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
        world, coordinator, "Opschema", upcoming=date.today() + timedelta(days=5)
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
            due_on=date.today() - timedelta(days=3),
            basis="evaluatie",
            basis_on=date.today() - timedelta(days=90),
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
    garbage = browser.get("/regio-overzicht?status=x&ave=%00&coordinator=nee&page=-3")
    assert garbage.status_code == 200


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
def test_query_count_does_not_grow_with_persons(world, app, clock, url, role):
    from tests.conftest import Browser

    viewer = world.user(*dict.fromkeys((role, Role.LEVENSLOOPCOORDINATOR)))
    browser = Browser(app.test_client())
    browser.login(viewer)
    for n in range(3):
        _person_with_trajectory(world, viewer, f"Klein{n}", overdue=1)
    browser.get(url)  # warm caches (matrix rules, etc.)
    few = _count_queries(app, lambda: browser.get(url))
    for n in range(20):
        _person_with_trajectory(world, viewer, f"Groot{n}", overdue=n % 3)
    many = _count_queries(app, lambda: browser.get(url))
    assert many == few, f"{few} queries bij 3 personen, {many} bij 23"
