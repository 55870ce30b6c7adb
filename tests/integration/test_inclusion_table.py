"""The inclusion table: agenda, decision as one act, the trajectory it opens, its roles and exit."""

from __future__ import annotations

import itertools

import pytest
import sqlalchemy as sa

from levensloop.auth.models import Role
from levensloop.errors import TransitionNotAllowed
from levensloop.extensions import db
from levensloop.inclusion import states
from levensloop.inclusion.models import InclusionDecision, InclusionMeeting, Trajectory
from levensloop.sharing.models import CaseAssignment, CaseParticipant
from levensloop.workflow import transition

PAIRS = list(itertools.product(states.TRAJECTORY.labels, repeat=2))
ALLOWED = {(a, b) for a, targets in states.TRAJECTORY.allowed.items() for b in targets}


@pytest.mark.parametrize("current,target", PAIRS, ids=[f"{a}->{b}" for a, b in PAIRS])
def test_every_transition_of_the_trajectory_machine(app, world, current, target):
    from datetime import date

    from levensloop.persons.services import PersonInput, create_person

    person = create_person(None, world.west, PersonInput(achternaam="Traject"))
    trajectory = Trajectory(
        region_id=world.west.id, person_id=person.id, status=current, included_on=date.today()
    )
    db.session.add(trajectory)
    db.session.commit()
    actor = world.user(Role.PROCESREGISSEUR).model
    if (current, target) in ALLOWED:
        transition(states.TRAJECTORY, trajectory, target, actor=actor, region_id=world.west.id)
        db.session.commit()
        assert db.session.get(Trajectory, trajectory.id).status == target
    else:
        with pytest.raises(TransitionNotAllowed):
            transition(states.TRAJECTORY, trajectory, target, actor=actor, region_id=world.west.id)
        db.session.rollback()
        assert db.session.get(Trajectory, trajectory.id).status == current


@pytest.fixture
def ready(world, app, clock):
    """A referral that the triage sent to the table, and a logged-in procesregisseur."""
    from levensloop.inclusion import services
    from levensloop.persons.services import PersonInput
    from tests.conftest import Browser

    regisseur_user = world.user(Role.PROCESREGISSEUR)
    referral = services.refer(
        regisseur_user.model,
        world.west,
        PersonInput(achternaam="Tafelman", voornamen="Pim"),
        reason="Zorgen over wonen, geweld en zorgmijding; meerdere ketens betrokken",
        criteria=["veiligheid"],
    )
    services.start_triage(regisseur_user.model, world.west, referral)
    services.record_triage(
        regisseur_user.model,
        world.west,
        referral,
        held_on=__import__("datetime").date.today(),
        participants="weegteam",
        outcome=states.NAAR_INCLUSIETAFEL,
        motivation="Agenderen voor de tafel",
    )
    browser = Browser(app.test_client())
    browser.login(regisseur_user)
    return {"referral": referral, "browser": browser, "user": regisseur_user}


def _meeting(browser, world):
    response = browser.post_form(
        "/inclusietafel/",
        {"held_on": "2026-11-02", "attendees": [str(world.west_zvh.id), str(world.west_ggz.id)]},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return response.headers["Location"]


def _decide(browser, meeting_url, referral, world, outcome, **extra):
    data = {f"crit_{k}": "ja" for k in states.NATIONAL_CRITERIA}
    data.update(
        {
            "evid_hoog_risico": "Meerdere incidenten met geweld",
            f"pos_{world.west_zvh.id}": "voor",
            f"pos_{world.west_ggz.id}": "voor",
            "outcome": outcome,
            "motivation": "Voldoet aan alle vijf criteria",
            **extra,
        }
    )
    return browser.post_form(f"{meeting_url}/besluit/{referral.id}", data)


def test_inclusion_opens_a_trajectory_and_roles_fill_the_caseload(world, ready, app, clock):
    browser, referral = ready["browser"], ready["referral"]
    meeting_url = _meeting(browser, world)
    agenda = browser.get(meeting_url).get_data(as_text=True)
    assert "Pim Tafelman" in agenda
    assert _decide(browser, meeting_url, referral, world, "geincludeerd").status_code == 302
    assert "Agenda leeg" in browser.get(meeting_url).get_data(as_text=True)
    decision = db.session.scalar(sa.select(InclusionDecision))
    assert decision.outcome == "geincludeerd" and '"hoog_risico"' in decision.criteria
    assert b"geweld" not in decision.criteria_enc
    trajectory = db.session.scalar(sa.select(Trajectory))
    assert trajectory.status == "plan_in_opstelling" and trajectory.person_id == referral.person_id

    coordinator = world.user(Role.LEVENSLOOPCOORDINATOR, organisation=world.west_ggz)
    casusregisseur = world.user(Role.CASUSREGISSEUR)
    url = f"/trajecten/{trajectory.id}"
    assert "Plan in opstelling" in browser.get(url).get_data(as_text=True)
    wrong = browser.post_form(
        url,
        {
            "action": "rollen",
            "provider": str(world.west_ggz.id),
            "coordinator": str(casusregisseur.id),
            "casusregisseur": str(casusregisseur.id),
            "version": str(trajectory.version),
        },
    )
    assert "Kies een gebruiker met de juiste rol" in wrong.get_data(as_text=True)
    ok = browser.post_form(
        url,
        {
            "action": "rollen",
            "provider": str(world.west_ggz.id),
            "coordinator": str(coordinator.id),
            "casusregisseur": str(casusregisseur.id),
            "version": str(trajectory.version),
        },
    )
    assert ok.status_code == 302
    assert {a.role for a in db.session.scalars(sa.select(CaseAssignment))} == {
        "coordinator",
        "casusregisseur",
    }
    assert db.session.scalar(sa.select(CaseParticipant)).organisation_id == world.west_ggz.id

    from tests.conftest import Browser

    coordinator_browser = Browser(app.test_client())
    clock.advance(seconds=31)
    coordinator_browser.login(coordinator)
    assert "Pim Tafelman" in coordinator_browser.get("/personen/").get_data(as_text=True)
    assert coordinator_browser.get(f"/personen/{referral.person_id}").status_code == 200

    assert browser.post_form(url, {"action": "ave", "ave_phase": "rood"}).status_code == 302
    bad_exit = browser.post_form(url, {"action": "uitstroom", "reason": "", "on": "2026-11-02"})
    assert "Kies de reden van uitstroom" in bad_exit.get_data(as_text=True)
    done = browser.post_form(url, {"action": "uitstroom", "reason": "stabiel", "on": "2026-11-02"})
    assert done.status_code == 302
    db.session.expire_all()
    closed = db.session.get(Trajectory, trajectory.id)
    assert (
        closed.status == "uitgestroomd"
        and closed.exit_reason == "stabiel"
        and closed.ave_phase == "rood"
    )


def test_held_over_returns_on_the_next_agenda_and_a_refusal_opens_nothing(world, ready):
    browser, referral = ready["browser"], ready["referral"]
    first = _meeting(browser, world)
    assert _decide(browser, first, referral, world, "aangehouden").status_code == 302
    assert "Agenda leeg" in browser.get(first).get_data(as_text=True)
    second = _meeting(browser, world)
    assert "Pim Tafelman" in browser.get(second).get_data(as_text=True)
    assert _decide(browser, second, referral, world, "niet_geincludeerd").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Trajectory)) == 0
    assert (
        _decide(browser, second, referral, world, "geincludeerd").status_code == 200
    )  # no longer on the agenda


def test_decision_needs_every_criterion_and_a_motivation(world, ready):
    browser, referral = ready["browser"], ready["referral"]
    meeting_url = _meeting(browser, world)
    html = _decide(browser, meeting_url, referral, world, "geincludeerd", crit_titel="").get_data(
        as_text=True
    )
    assert "Beantwoord elk landelijk criterium" in html
    html = _decide(
        browser, meeting_url, referral, world, "geincludeerd", motivation="kort"
    ).get_data(as_text=True)
    assert "Motiveer het besluit" in html
    html = _decide(
        browser,
        meeting_url,
        referral,
        world,
        "geincludeerd",
        **{f"pos_{world.west_ggz.id}": "misschien"},
    ).get_data(as_text=True)
    assert "Geef per deelnemende organisatie een standpunt" in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(InclusionDecision)) == 0


def test_meeting_needs_a_date_and_attendees(world, ready):
    html = (
        ready["browser"]
        .post_form("/inclusietafel/", {"held_on": "", "attendees": []})
        .get_data(as_text=True)
    )
    assert "Vul de datum van de tafel in." in html
    html = (
        ready["browser"]
        .post_form(
            "/inclusietafel/", {"held_on": "2026-11-02", "attendees": [str(world.oost_zvh.id)]}
        )
        .get_data(as_text=True)
    )
    assert "Kies de deelnemende organisaties uit deze regio." in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(InclusionMeeting)) == 0


@pytest.mark.parametrize("role", [r for r in Role if r != Role.PROCESREGISSEUR])
def test_only_the_procesregisseur_runs_the_table(world, browser, clock, role):
    browser.login(world.user(role))
    assert browser.get("/inclusietafel/").status_code == 403
