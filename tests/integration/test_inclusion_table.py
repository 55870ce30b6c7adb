"""The inclusion table: agenda, decision as one act, the trajectory it opens, its roles and exit."""

from __future__ import annotations

import itertools

import pytest
import sqlalchemy as sa

from levensloop.auth.models import Role
from levensloop.db import local_today
from levensloop.errors import TransitionNotAllowed
from levensloop.extensions import db
from levensloop.inclusion import states
from levensloop.inclusion.models import InclusionDecision, InclusionMeeting, Trajectory
from levensloop.sharing.models import CaseAssignment, CaseParticipant
from levensloop.workflow import transition

PAIRS = list(itertools.product(states.TRAJECTORY.labels, repeat=2))
ALLOWED = {(a, b) for a, targets in states.TRAJECTORY.allowed.items() for b in targets}


@pytest.mark.parametrize("current,target", PAIRS, ids=[f"{a}->{b}" for a, b in PAIRS])
@pytest.mark.asvs("V2.3.1")
def test_every_transition_of_the_trajectory_machine(app, world, current, target):

    from levensloop.persons.services import PersonInput, create_person

    person = create_person(None, world.west, PersonInput(achternaam="Traject"))
    trajectory = Trajectory(
        region_id=world.west.id, person_id=person.id, status=current, included_on=local_today()
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
        held_on=local_today(),
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


@pytest.mark.asvs("V2.2.1")
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
@pytest.mark.asvs("V8.2.1")
def test_only_the_procesregisseur_runs_the_table(world, browser, clock, role):
    browser.login(world.user(role))
    assert browser.get("/inclusietafel/").status_code == 403


# ---------------------------------------------------------------- the region's own criteria


def _beheerder(world, app):
    from tests.conftest import Browser

    user = world.user(Role.FUNCTIONEEL_BEHEERDER)
    browser = Browser(app.test_client())
    browser.login(user)
    return browser


def test_region_criteria_are_versioned_and_apply_to_new_decisions(world, ready, app, clock):
    from levensloop.inclusion.models import RegionCriteriaSet

    beheer = _beheerder(world, app)
    first = beheer.post_form(
        "/beheer/inclusiecriteria",
        {"criteria": "Woont of verblijft in de regio West\n\n", "reason": "Besluit bestuur"},
    )
    assert first.status_code == 302
    browser, referral = ready["browser"], ready["referral"]
    meeting_url = _meeting(browser, world)
    form = browser.get(f"{meeting_url}/besluit/{referral.id}").get_data(as_text=True)
    assert "Woont of verblijft in de regio West" in form and "versie 1" in form

    # The region's criterion must be answered too; nothing is recorded until it is.
    missing = _decide(browser, meeting_url, referral, world, "geincludeerd")
    assert missing.status_code == 200
    assert "Beantwoord elk criterium van de regio" in missing.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(InclusionDecision.id))) == 0

    assert (
        _decide(
            browser,
            meeting_url,
            referral,
            world,
            "geincludeerd",
            crit_regio_1="ja",
            evid_regio_1="Staat ingeschreven in de regio",
        ).status_code
        == 302
    )
    v1 = db.session.scalar(sa.select(RegionCriteriaSet).where(RegionCriteriaSet.version_no == 1))
    decision = db.session.scalar(sa.select(InclusionDecision))
    assert decision.criteria_set_id == v1.id and '"regio_1"' in decision.criteria

    # A new version adds to the history; the earlier decision keeps its version.
    second = beheer.post_form(
        "/beheer/inclusiecriteria",
        {"criteria": "Woont in de regio\nIs 18 jaar of ouder", "reason": "Nieuw convenant"},
    )
    assert second.status_code == 302
    page = beheer.get("/beheer/inclusiecriteria").get_data(as_text=True)
    assert "Is 18 jaar of ouder" in page and "Woont of verblijft in de regio West" in page
    db.session.expire_all()
    assert db.session.get(InclusionDecision, decision.id).criteria_set_id == v1.id
    assert db.session.scalar(sa.select(sa.func.count(RegionCriteriaSet.id))) == 2


@pytest.mark.parametrize(
    "data,message",
    [
        ({"criteria": "kort", "reason": "Besluit bestuur"}, "tussen 5 en 300 tekens"),
        ({"criteria": "Woont in de regio\nWoont in de regio", "reason": "Besluit"}, "twee keer"),
        ({"criteria": "Woont in de regio", "reason": ""}, "Geef de reden"),
        (
            {
                "criteria": "\n".join(f"Criterium nummer {n}" for n in range(11)),
                "reason": "Besluit",
            },
            "hoogstens 10",
        ),
        ({"criteria": "", "reason": "Niets veranderd"}, "Er is niets gewijzigd"),
    ],
)
def test_region_criteria_bad_input_changes_nothing(world, app, clock, data, message):
    from levensloop.inclusion.models import RegionCriteriaSet

    beheer = _beheerder(world, app)
    response = beheer.post_form("/beheer/inclusiecriteria", data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(RegionCriteriaSet.id))) == 0


def test_region_criteria_only_for_the_functioneel_beheerder_of_the_region(world, app, clock):
    from levensloop.inclusion.models import RegionCriteriaSet
    from tests.conftest import Browser

    for role in (Role.PROCESREGISSEUR, Role.PRIVACY_OFFICER, Role.LEVENSLOOPCOORDINATOR):
        browser = Browser(app.test_client())
        browser.login(world.user(role))
        assert browser.get("/beheer/inclusiecriteria").status_code == 403
        assert (
            browser.post_form(
                "/beheer/inclusiecriteria", {"criteria": "Woont in West", "reason": "Poging"}
            ).status_code
            == 403
        )
    oost = _beheerder_of(world, app, world.oost)
    assert (
        oost.post_form(
            "/beheer/inclusiecriteria", {"criteria": "Woont in Oost", "reason": "Besluit Oost"}
        ).status_code
        == 302
    )
    sets = db.session.scalars(sa.select(RegionCriteriaSet)).all()
    assert [s.region_id for s in sets] == [world.oost.id]


def _beheerder_of(world, app, region):
    from tests.conftest import Browser

    browser = Browser(app.test_client())
    browser.login(world.user(Role.FUNCTIONEEL_BEHEERDER, region=region))
    return browser
