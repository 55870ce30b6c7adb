"""Reviews of the levensloopplan at the Levenslooptafel: recording (scores into the history, the
next date from the region's interval), the refusals, the interval of the functioneel beheerder,
the due dates for the dashboards in one query, audit and encryption."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from levensloop.audit.models import AuditEvent
from levensloop.auth.models import Role
from levensloop.extensions import db
from levensloop.inclusion.models import Trajectory
from levensloop.organisations.models import Organisation, OrganisationType
from levensloop.persons.services import PersonInput, create_person
from levensloop.plans.domains import DOMAINS
from levensloop.plans.models import Plan, PlanSection, ScoreChange
from levensloop.reviews import schedule
from levensloop.reviews.models import PlanReview, PlanReviewDomain, ReviewSchedule, ReviewSetting
from levensloop.sharing.models import CaseAssignment, CaseParticipant
from tests.conftest import Browser

TODAY = date(2026, 11, 2)  # the clock fixture's day


def _trajectory(world, *, region=None, status="in_uitvoering", included_on=None, adopted_on=None):
    """A person with a trajectory; with `adopted_on` also an adopted plan with all domains."""
    region = region or world.west
    person = create_person(None, region, PersonInput(achternaam="Evaluatiema", voornamen="Bo"))
    trajectory = Trajectory(
        id=uuid.uuid4(),
        region_id=region.id,
        person_id=person.id,
        status=status,
        included_on=included_on or TODAY - timedelta(days=120),
    )
    db.session.add(trajectory)
    plan = None
    if adopted_on is not None:
        plan = Plan(
            id=uuid.uuid4(),
            trajectory_id=trajectory.id,
            person_id=person.id,
            region_id=region.id,
            version_no=1,
            status="vastgesteld",
            adopted_on=adopted_on,
        )
        db.session.add(plan)
        for domain in DOMAINS:
            db.session.add(
                PlanSection(id=uuid.uuid4(), plan=plan, person_id=person.id, domain=domain, score=2)
            )
    db.session.commit()
    return person, trajectory, plan


def _take_part(person, organisation) -> None:
    participant = CaseParticipant(
        id=uuid.uuid4(),
        person_id=person.id,
        organisation_id=organisation.id,
        legal_basis="wgs",
        start_date=TODAY - timedelta(days=100),
    )
    db.session.add(participant)
    participant.purpose = "Deelname voor de evaluatietest"
    db.session.commit()


@pytest.fixture
def case(world, app, clock):
    person, trajectory, plan = _trajectory(world, adopted_on=TODAY - timedelta(days=60))
    coordinator = world.user(Role.LEVENSLOOPCOORDINATOR, organisation=world.west_ggz)
    db.session.add(
        CaseAssignment(
            person_id=person.id,
            user_id=coordinator.id,
            role="coordinator",
            start_date=TODAY - timedelta(days=100),
        )
    )
    db.session.commit()
    _take_part(person, world.west_ggz)
    browser = Browser(app.test_client())
    browser.login(coordinator)
    url = f"/personen/{person.id}/plan/evaluaties"
    return {
        "person": person,
        "trajectory": trajectory,
        "plan": plan,
        "coordinator": coordinator,
        "browser": browser,
        "url": url,
        "new": f"{url}/nieuw",
    }


def _form(world, **overrides) -> dict:
    data = {
        "held_on": TODAY.isoformat(),
        "attendees": [str(world.west_ggz.id)],
        "attendee_persons": "Sentinel-aanwezige Jansen (FACT)",
        "progress_wonen": "Sentinel-voortgang-wonen: kamer gevonden",
        "score_wonen": "3",
        "progress_zorg": "Sentinel-voortgang-zorg: medicatie aangepast",
        "score_zorg": "4",
        "decision": "voortzetten",
        "motivation": "Sentinel-motivering: het plan werkt, doorgaan",
        "next_review_on": "",
    }
    data.update(overrides)
    return data


def _reviews():
    db.session.expire_all()
    return list(db.session.scalars(sa.select(PlanReview).order_by(PlanReview.held_on)))


def _events(event_type):
    return list(
        db.session.scalars(sa.select(AuditEvent).where(AuditEvent.event_type == event_type))
    )


# ---------------------------------------------------------------- recording


def test_record_review_appends_scores_and_plans_the_next_one(world, case):
    browser = case["browser"]
    page = browser.get(case["url"]).get_data(as_text=True)
    assert "Nog geen evaluaties" in page and "Evaluatie vastleggen" in page
    # Adopted 60 days ago (3 September); 3 months is the default: due on 3 December.
    assert "3 december 2026" in page
    form = browser.get(case["new"])
    assert form.status_code == 200 and "Huidige score" in form.get_data(as_text=True)
    response = browser.post_from(form, case["new"], _form(world))
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    [review] = _reviews()
    assert review.next_review_on == date(2027, 2, 2)  # held_on + the default 3 months
    assert review.plan_id == case["plan"].id and review.decision == "voortzetten"
    assert review.attendee_ids == [world.west_ggz.id]
    assert review.motivation.startswith("Sentinel-motivering")
    assert {(d.domain, d.score) for d in review.domains} == {("wonen", 3), ("zorg", 4)}
    history = db.session.execute(
        sa.select(ScoreChange.domain, ScoreChange.score).where(
            ScoreChange.trajectory_id == case["trajectory"].id
        )
    ).all()
    assert sorted(history) == [("wonen", 3), ("zorg", 4)]
    row = db.session.get(ReviewSchedule, case["trajectory"].id)
    assert (row.due_on, row.basis, row.basis_on) == (date(2027, 2, 2), "evaluatie", TODAY)

    detail = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "Sentinel-voortgang-zorg" in detail and "Sentinel-aanwezige Jansen" in detail
    assert "Voortzetten" in detail and "GGZ Test" in detail
    listing = browser.get(case["url"]).get_data(as_text=True)
    assert "2 februari 2027" in listing and "te laat" not in listing
    [recorded] = _events("plan_review_recorded")
    assert recorded.person_id == case["person"].id
    assert set(recorded.categories.split(",")) == {"proces", "sociaal", "zorg"}
    assert "Sentinel" not in str(recorded.details)


def test_next_review_can_be_chosen(world, case):
    browser = case["browser"]
    form = browser.get(case["new"])
    held = TODAY - timedelta(days=7)
    response = browser.post_from(
        form,
        case["new"],
        _form(world, held_on=held.isoformat(), next_review_on="2027-01-15", score_wonen=""),
    )
    assert response.status_code == 302
    [review] = _reviews()
    assert review.held_on == held and review.next_review_on == date(2027, 1, 15)
    assert [d.domain for d in review.domains if d.score] == ["zorg"]


def test_prepare_exit_moves_the_trajectory(world, case):
    browser = case["browser"]
    form = browser.get(case["new"])
    response = browser.post_from(form, case["new"], _form(world, decision="uitstroom_voorbereiden"))
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Trajectory, case["trajectory"].id).status == "uitstroom_voorbereiding"
    # Reviews go on while the exit is prepared.
    assert "Evaluatie vastleggen" in browser.get(case["url"]).get_data(as_text=True)


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        ({"next_review_on": "2026-10-01"}, "next_review_on", "De volgende evaluatie ligt na"),
        ({"next_review_on": TODAY.isoformat()}, "next_review_on", "De volgende evaluatie ligt na"),
        ({"next_review_on": "2027-11-03"}, "next_review_on", "hoogstens 12 maanden"),
        ({"score_wonen": "7"}, "score_wonen", "Kies een score van 1 tot en met 5."),
        ({"score_zorg": "drie"}, "score_zorg", "Kies een score van 1 tot en met 5."),
        ({"held_on": "2026-11-03"}, "held_on", "kan niet in de toekomst liggen"),
        ({"held_on": "2025-01-01"}, "held_on", "voor het begin van het traject"),
        ({"held_on": "31-02-2026"}, "held_on", "Vul een geldige datum in"),
        ({"held_on": ""}, "held_on", "Vul de datum van de evaluatie in."),
        ({"attendees": []}, "attendees", "Kies minstens één organisatie"),
        ({"attendees": [str(uuid.uuid4())]}, "attendees", "Kies organisaties uit de lijst."),
        ({"attendees": ["geen-uuid"]}, "attendees", "Kies organisaties uit de lijst."),
        ({"decision": ""}, "decision", "Kies het besluit van de tafel."),
        ({"decision": "afsluiten"}, "decision", "Kies het besluit van de tafel."),
        ({"motivation": "kort"}, "motivation", "Motiveer het besluit in minstens 10 tekens."),
        ({"progress_wonen": "x" * 2001}, "progress_wonen", "Gebruik hoogstens 2000 tekens."),
    ],
)
@pytest.mark.asvs("V2.2.1", "V2.3.3")
def test_bad_input_is_refused_at_the_field_and_nothing_is_saved(
    world, case, overrides, field, message
):
    browser = case["browser"]
    form = browser.get(case["new"])
    response = browser.post_from(form, case["new"], _form(world, **overrides))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in html
    assert f'id="{field}-error"' in html
    assert re.search(f'aria-describedby="[^"]*{field}-error', html)
    assert "Fout:" in html  # the page title says there is an error
    assert _reviews() == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ScoreChange)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PlanReviewDomain)) == 0


def test_every_problem_shows_at_once(world, case):
    browser = case["browser"]
    form = browser.get(case["new"])
    response = browser.post_from(
        form, case["new"], _form(world, decision="", attendees=[], score_wonen="9")
    )
    html = response.get_data(as_text=True)
    for message in (
        "Kies het besluit van de tafel.",
        "Kies minstens één organisatie",
        "Kies een score van 1 tot en met 5.",
    ):
        assert message in html
    assert _reviews() == []


@pytest.mark.asvs("V2.2.3")
def test_an_earlier_or_same_day_review_is_refused(world, case):
    browser = case["browser"]
    form = browser.get(case["new"])
    assert browser.post_from(form, case["new"], _form(world)).status_code == 302
    again = browser.post_from(browser.get(case["new"]), case["new"], _form(world))
    assert "De vorige evaluatie was op 2 november 2026" in again.get_data(as_text=True)
    assert len(_reviews()) == 1


@pytest.mark.asvs("V3.5.1")
def test_post_without_csrf_token_is_refused(world, case):
    data = _form(world)
    response = case["browser"].client.post(case["new"], data=data)
    assert response.status_code == 400
    assert _reviews() == []


# ---------------------------------------------------------------- who may


def test_ketenpartner_reads_but_cannot_record(world, case, app, clock):
    woningcorporatie = Organisation(
        region_id=world.west.id,
        name="Woonstichting Evaluatie",
        type=OrganisationType.WONINGCORPORATIE,
    )
    db.session.add(woningcorporatie)
    db.session.commit()
    _take_part(case["person"], woningcorporatie)
    form = case["browser"].get(case["new"])
    case["browser"].post_from(form, case["new"], _form(world))
    [review] = _reviews()

    partner = Browser(app.test_client())
    clock.advance(seconds=31)
    partner.login(world.user(Role.KETENPARTNER, organisation=woningcorporatie))
    listing = partner.get(case["url"])
    assert listing.status_code == 200 and "Evaluatie vastleggen" not in listing.get_data(
        as_text=True
    )
    detail = partner.get(f"{case['url']}/{review.id}").get_data(as_text=True)
    # A housing corporation sees sociaal (wonen), not zorg.
    assert "Sentinel-voortgang-wonen" in detail and "Sentinel-voortgang-zorg" not in detail
    [read] = [e for e in _events("read") if e.object_type == "evaluatie"]
    assert read.actor_user_id != case["coordinator"].id
    assert set(read.categories.split(",")) == {"proces", "sociaal"}
    assert partner.get(case["new"]).status_code == 403
    token_page = partner.get(case["url"])
    assert partner.post_from(token_page, case["new"], _form(world)).status_code == 403
    assert len(_reviews()) == 1


@pytest.mark.parametrize("role", [Role.PRIVACY_OFFICER, Role.FUNCTIONEEL_BEHEERDER])
def test_roles_without_case_content_are_refused(world, case, app, clock, role):
    other = Browser(app.test_client())
    clock.advance(seconds=31)
    other.login(world.user(role))
    assert other.get(case["url"]).status_code == 403
    assert other.get(case["new"]).status_code == 403
    assert other.get(f"{case['url']}/{uuid.uuid4()}").status_code == 403


@pytest.mark.asvs("V8.4.1")
def test_another_region_answers_404(world, case, app, clock):
    person, _t, _plan = _trajectory(world, region=world.oost, adopted_on=TODAY - timedelta(days=30))
    url = f"/personen/{person.id}/plan/evaluaties"
    browser = case["browser"]
    assert browser.get(url).status_code == 404
    assert browser.get(f"{url}/nieuw").status_code == 404
    token_page = browser.get(case["url"])
    assert browser.post_from(token_page, f"{url}/nieuw", _form(world)).status_code == 404
    # And a review of one person is not found under another.
    form = browser.get(case["new"])
    browser.post_from(form, case["new"], _form(world))
    [review] = _reviews()
    other = create_person(None, world.west, PersonInput(achternaam="Anders"))
    db.session.add(
        CaseAssignment(
            person_id=other.id,
            user_id=case["coordinator"].id,
            role="coordinator",
            start_date=TODAY,
        )
    )
    db.session.commit()
    assert browser.get(f"/personen/{other.id}/plan/evaluaties/{review.id}").status_code == 404


@pytest.mark.asvs("V2.3.1")
def test_not_in_execution_or_without_adopted_plan_is_refused(world, case):
    trajectory = db.session.get(Trajectory, case["trajectory"].id)
    trajectory.status = "plan_in_opstelling"
    db.session.commit()
    browser = case["browser"]
    page = browser.get(case["new"])
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "als het traject in uitvoering is" in html
    assert 'name="decision"' not in html
    token_page = browser.get(case["url"])
    refused = browser.post_from(token_page, case["new"], _form(world))
    assert "als het traject in uitvoering is" in refused.get_data(as_text=True)
    assert _reviews() == []

    trajectory = db.session.get(Trajectory, case["trajectory"].id)
    trajectory.status = "in_uitvoering"
    db.session.get(Plan, case["plan"].id).status = "vervallen"
    db.session.commit()
    refused = browser.post_from(token_page, case["new"], _form(world))
    assert "nog geen vastgesteld levensloopplan" in refused.get_data(as_text=True)
    assert _reviews() == []


def test_no_trajectory_says_what_to_do(world, case):
    person = create_person(None, world.west, PersonInput(achternaam="Zondertraject"))
    db.session.add(
        CaseAssignment(
            person_id=person.id,
            user_id=case["coordinator"].id,
            role="coordinator",
            start_date=TODAY,
        )
    )
    db.session.commit()
    html = case["browser"].get(f"/personen/{person.id}/plan/evaluaties").get_data(as_text=True)
    assert "Geen lopend traject" in html and "inclusiebesluit" in html


def test_overdue_review_is_flagged(world, app, clock):
    person, trajectory, _plan = _trajectory(world, adopted_on=TODAY - timedelta(days=200))
    regisseur = world.user(Role.PROCESREGISSEUR)
    browser = Browser(app.test_client())
    browser.login(regisseur)
    html = browser.get(f"/personen/{person.id}/plan/evaluaties").get_data(as_text=True)
    assert "te laat" in html and "Deze evaluatie is te laat" in html
    row = db.session.get(ReviewSchedule, trajectory.id)  # filled in on first view
    assert row.basis == "plan" and row.due_on == schedule.add_months(TODAY - timedelta(days=200), 3)
    [read] = [e for e in _events("read") if e.object_type == "evaluaties"]
    assert read.categories == "proces" and read.person_id == person.id


# ---------------------------------------------------------------- the region's interval


def test_interval_set_by_functioneel_beheerder_is_the_new_default(world, case, app, clock):
    browser = case["browser"]
    assert "3 december 2026" in browser.get(case["url"]).get_data(as_text=True)
    assert db.session.get(ReviewSchedule, case["trajectory"].id).due_on == date(2026, 12, 3)
    beheerder = Browser(app.test_client())
    clock.advance(seconds=31)
    beheerder.login(world.user(Role.FUNCTIONEEL_BEHEERDER))
    page = beheerder.get("/beheer/evaluaties/")
    assert page.status_code == 200 and "3 maanden" in page.get_data(as_text=True)
    response = beheerder.post_from(
        page,
        "/beheer/evaluaties/",
        {"interval_months": "6", "reason": "Besluit bestuurlijk overleg november"},
    )
    assert response.status_code == 302
    setting = db.session.scalar(sa.select(ReviewSetting))
    assert (setting.region_id, setting.interval_months) == (world.west.id, 6)
    [changed] = _events("review_interval_changed")
    assert changed.details["from"] == 3 and changed.details["to"] == 6
    assert changed.details["moved"] == 1
    # The plan-based due date moved along; the form shows the new default.
    db.session.expire_all()
    assert db.session.get(ReviewSchedule, case["trajectory"].id).due_on == date(2027, 3, 3)
    assert "3 maart 2027" in browser.get(case["url"]).get_data(as_text=True)
    form = browser.get(case["new"])
    assert "6 maanden na de datum" in form.get_data(as_text=True)
    assert browser.post_from(form, case["new"], _form(world)).status_code == 302
    [review] = _reviews()
    assert review.next_review_on == date(2027, 5, 2)

    # A second change moves plan-based dates only; this trajectory's date was set by the table.
    again = beheerder.get("/beheer/evaluaties/")
    assert (
        beheerder.post_from(
            again,
            "/beheer/evaluaties/",
            {
                "interval_months": "2",
                "reason": "Tijdelijk vaker evalueren",
                "version": str(setting.version),
            },
        ).status_code
        == 302
    )
    db.session.expire_all()
    assert db.session.get(ReviewSchedule, case["trajectory"].id).due_on == date(2027, 5, 2)


@pytest.mark.parametrize(
    "data,message",
    [
        ({"interval_months": "13", "reason": "Een goede reden hier"}, "van 1 tot en met 12"),
        ({"interval_months": "0", "reason": "Een goede reden hier"}, "van 1 tot en met 12"),
        ({"interval_months": "drie", "reason": "Een goede reden hier"}, "van 1 tot en met 12"),
        ({"interval_months": "6", "reason": ""}, "Geef de reden van de wijziging"),
        ({"interval_months": "13", "reason": ""}, "van 1 tot en met 12"),
        ({"interval_months": "6", "reason": "kort"}, "Geef de reden van de wijziging"),
        ({"interval_months": "3", "reason": "Een goede reden hier"}, "Er is niets gewijzigd."),
    ],
)
def test_bad_interval_is_refused(world, app, clock, data, message):
    beheerder = Browser(app.test_client())
    beheerder.login(world.user(Role.FUNCTIONEEL_BEHEERDER))
    page = beheerder.get("/beheer/evaluaties/")
    response = beheerder.post_from(page, "/beheer/evaluaties/", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and message in html and 'aria-invalid="true"' in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReviewSetting)) == 0
    assert _events("review_interval_changed") == []


@pytest.mark.asvs("V15.4.2")
def test_stale_interval_edit_is_a_conflict(world, app, clock):
    beheerder = Browser(app.test_client())
    beheerder.login(world.user(Role.FUNCTIONEEL_BEHEERDER))
    page = beheerder.get("/beheer/evaluaties/")
    beheerder.post_from(
        page, "/beheer/evaluaties/", {"interval_months": "4", "reason": "Eerste wijziging"}
    )
    stale = beheerder.post_from(
        page,
        "/beheer/evaluaties/",
        {"interval_months": "5", "reason": "Tweede wijziging", "version": "7"},
    )
    assert "Iemand anders heeft de termijn intussen gewijzigd" in stale.get_data(as_text=True)
    assert db.session.scalar(sa.select(ReviewSetting.interval_months)) == 4


@pytest.mark.parametrize(
    "role", [Role.LEVENSLOOPCOORDINATOR, Role.PROCESREGISSEUR, Role.PRIVACY_OFFICER]
)
def test_interval_page_only_for_functioneel_beheerder(world, app, clock, role):
    browser = Browser(app.test_client())
    browser.login(world.user(role))
    assert browser.get("/beheer/evaluaties/").status_code == 403
    token_page = browser.get("/account")
    response = browser.post_from(
        token_page, "/beheer/evaluaties/", {"interval_months": "6", "reason": "Een goede reden"}
    )
    assert response.status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReviewSetting)) == 0


# ---------------------------------------------------------------- the dashboards


def _count_queries(run) -> tuple[int, object]:
    counter = {"n": 0}

    def count(*_args, **_kwargs):
        counter["n"] += 1

    engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        result = run()
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    return counter["n"], result


def test_reviews_due_gives_every_due_date_in_one_query(world, app, clock):
    from levensloop.reviews import services

    coordinator = world.user(Role.LEVENSLOOPCOORDINATOR)
    # No plan: inclusion date + 3 months, capped at the end of the month (31 Aug -> 30 Nov).
    _p, no_plan, _ = _trajectory(world, status="plan_in_opstelling", included_on=date(2026, 8, 31))
    # An adopted plan without a schedule row (adopted before this module): adoption + 3 months.
    _p, adopted, _ = _trajectory(world, adopted_on=date(2026, 9, 30))
    # A review: the date the table set.
    person, reviewed, plan = _trajectory(world, adopted_on=date(2026, 6, 1))
    services.store_review(
        coordinator.model,
        world.west.id,
        reviewed,
        plan,
        held_on=date(2026, 9, 1),
        decision="voortzetten",
        next_review_on=date(2026, 10, 15),
        attendees=[world.west_ggz.id],
        attendee_persons=None,
        motivation="Doorgaan volgens plan",
        domains={},
    )
    # A stored plan-based date that no longer holds: a newer plan was adopted since.
    _p, readopted, old_plan = _trajectory(world, adopted_on=date(2026, 3, 10))
    schedule.ensure_schedule(readopted)
    old_plan.status = "vervallen"
    db.session.add(
        Plan(
            id=uuid.uuid4(),
            trajectory_id=readopted.id,
            person_id=old_plan.person_id,
            region_id=world.west.id,
            version_no=2,
            status="vastgesteld",
            adopted_on=date(2026, 10, 1),
        )
    )
    # Another region with an interval of 6 months.
    db.session.add(
        ReviewSetting(region_id=world.oost.id, interval_months=6, reason="Testregio zes maanden")
    )
    _p, east, _ = _trajectory(world, region=world.oost, adopted_on=date(2026, 5, 31))
    # Ended trajectories are not due.
    _p, ended, _ = _trajectory(world, status="uitgestroomd", adopted_on=date(2026, 1, 1))
    db.session.commit()

    queries, rows = _count_queries(lambda: db.session.execute(schedule.reviews_due(TODAY)).all())
    assert queries == 1
    due = {r.trajectory_id: (r.due_date, r.overdue) for r in rows}
    assert due == {
        no_plan.id: (date(2026, 11, 30), False),
        adopted.id: (date(2026, 12, 30), False),
        reviewed.id: (date(2026, 10, 15), True),
        readopted.id: (date(2027, 1, 1), False),
        east.id: (date(2026, 11, 30), False),
    }
    assert ended.id not in due
    west = {
        r.trajectory_id
        for r in db.session.execute(schedule.reviews_due(TODAY, region_id=world.west.id))
    }
    assert east.id not in west and reviewed.id in west
    # Joined into a list as the dashboards do, still one statement.
    sub = schedule.reviews_due(TODAY).subquery()
    queries, overdue = _count_queries(
        lambda: db.session.scalars(
            sa.select(Trajectory.person_id)
            .join(sub, sub.c.trajectory_id == Trajectory.id)
            .where(sub.c.overdue)
        ).all()
    )
    assert queries == 1 and overdue == [person.id]


def test_ensure_schedule_follows_the_rule(world, app, clock):
    _p, trajectory, plan = _trajectory(world, status="plan_in_opstelling", included_on=TODAY)
    due = schedule.ensure_schedule(trajectory, TODAY)
    db.session.commit()
    assert (due.basis, due.due_on) == ("opname", date(2027, 2, 2))
    assert db.session.get(ReviewSchedule, trajectory.id) is None  # computed, not stored
    adopted = Plan(
        id=uuid.uuid4(),
        trajectory_id=trajectory.id,
        person_id=trajectory.person_id,
        region_id=world.west.id,
        version_no=1,
        status="vastgesteld",
        adopted_on=date(2026, 11, 30),
    )
    db.session.add(adopted)
    due = schedule.ensure_schedule(trajectory, TODAY)
    db.session.commit()
    row = db.session.get(ReviewSchedule, trajectory.id)
    assert (row.basis, row.basis_on, row.due_on) == ("plan", date(2026, 11, 30), date(2027, 2, 28))
    # Two requests that both found no row: the second insert becomes an update, not an error.
    schedule._insert_or_update(trajectory.id, due)
    schedule._insert_or_update(trajectory.id, due)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReviewSchedule)) == 1
    # The plan lapses without a successor: back to the inclusion date, no row kept.
    db.session.get(Plan, adopted.id).status = "vervallen"
    assert schedule.ensure_schedule(trajectory, TODAY).basis == "opname"
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReviewSchedule)) == 0


@pytest.mark.parametrize(
    "day,months,expected",
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 11, 15), 3, date(2027, 2, 15)),
        (date(2026, 12, 31), 12, date(2027, 12, 31)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
    ],
)
def test_months_are_added_alike_in_python_and_sql(app, day, months, expected):
    assert schedule.add_months(day, months) == expected
    in_sql = db.session.scalar(sa.select(schedule.SQLAddMonths(sa.literal(day, sa.Date), months)))
    assert in_sql == expected


# ---------------------------------------------------------------- at rest, timeline, demo


@pytest.mark.asvs("V14.2.4")
def test_encrypted_columns_hold_no_plaintext(world, case):
    form = case["browser"].get(case["new"])
    case["browser"].post_from(form, case["new"], _form(world))
    db.session.remove()
    raw = b""
    for table in ("plan_reviews", "plan_review_domains"):
        for row in db.session.execute(sa.text(f"SELECT * FROM {table}")).mappings():
            raw += b"".join(bytes(v) for v in row.values() if isinstance(v, bytes | memoryview))
            text = " ".join(str(v) for v in row.values() if not isinstance(v, bytes | memoryview))
            assert "Sentinel" not in text
    assert raw and b"Sentinel" not in raw
    [review] = _reviews()
    assert review.attendee_persons == "Sentinel-aanwezige Jansen (FACT)"


def test_timeline_has_one_entry_per_review(world, case):
    from levensloop.reviews.timeline import reviews

    form = case["browser"].get(case["new"])
    case["browser"].post_from(form, case["new"], _form(world, decision="opschalen"))
    [entry] = reviews(case["person"], TODAY)
    assert (entry.on, str(entry.category), entry.kind) == (
        TODAY,
        "proces",
        "Evaluatie Levenslooptafel",
    )
    assert "Opschalen" in entry.text


def test_demo_reviews(app, runner, clock):
    from levensloop.organisations.models import Region
    from levensloop.reviews.demo import seed_demo

    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    region = db.session.scalar(sa.select(Region).where(Region.code == "demo-west"))
    # seed-demo seeds the reviews itself (4 trajectories in execution); not twice.
    assert len(_reviews()) == 4
    assert seed_demo(region, TODAY) == 0
    rows = db.session.execute(schedule.reviews_due(TODAY, region_id=region.id)).all()
    assert sum(1 for r in rows if r.overdue) >= 1
    reviews = _reviews()
    assert all("(demo)" in r.motivation for r in reviews)
    overdue = [r for r in reviews if r.next_review_on < TODAY]
    assert len(overdue) == 1
