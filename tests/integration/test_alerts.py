"""Alerts: who is told what and when, once. Time travels across weekends and public holidays."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from levensloop.alerts import services as alerts
from levensloop.auth.models import Role
from levensloop.db import local_today
from levensloop.extensions import db
from levensloop.inclusion.models import Trajectory
from levensloop.notifications.models import Notification
from levensloop.persons.services import PersonInput, create_person
from levensloop.sharing.models import CaseAssignment


def _included(world, coordinator, name="Signaalmans"):
    person = create_person(None, world.west, PersonInput(achternaam=name))
    db.session.add(
        Trajectory(
            id=uuid.uuid4(),
            region_id=world.west.id,
            person_id=person.id,
            status="in_uitvoering",
            included_on=local_today() - timedelta(days=40),
            coordinator_id=coordinator.id,
        )
    )
    db.session.add(
        CaseAssignment(
            person_id=person.id,
            user_id=coordinator.id,
            role="coordinator",
            start_date=local_today() - timedelta(days=40),
        )
    )
    db.session.commit()
    return person


def _title(
    world, person, ends_in: int, *, code="wvggz_zorgmachtiging", status="actief", start=None
):
    from levensloop.titles.models import LegalTitle
    from levensloop.titles.services import ensure_title_types

    ensure_title_types()
    title = LegalTitle(
        id=uuid.uuid4(),
        person_id=person.id,
        region_id=world.west.id,
        type_code=code,
        status=status,
        start_date=start or local_today() - timedelta(days=300),
        expected_end=local_today() + timedelta(days=ends_in),
    )
    db.session.add(title)
    db.session.commit()
    return title


def _inbox(user):
    db.session.expire_all()
    return list(
        db.session.scalars(
            sa.select(Notification)
            .where(Notification.user_id == user.id)
            .order_by(Notification.created_at)
        )
    )


@pytest.fixture
def people(world, app, clock):
    return {
        "coordinator": world.user(Role.LEVENSLOOPCOORDINATOR),
        "regisseur": world.user(Role.PROCESREGISSEUR),
        "privacy": world.user(Role.PRIVACY_OFFICER),
        "other": world.user(Role.LEVENSLOOPCOORDINATOR),
    }


def test_title_ending_in_45_days_with_nobody_taking_over(world, people, clock):
    person = _included(world, people["coordinator"])
    _title(world, person, 45)
    first = alerts.compute(world.west)
    assert first.created["titel_loopt_af"] == 1
    [note] = _inbox(people["coordinator"])
    assert note.kind == "titel_loopt_af" and "60 dagen" in note.title
    assert note.person_id == person.id and note.link == f"/personen/{person.id}/titels"
    assert "Signaalmans" not in note.title
    assert _inbox(people["regisseur"]) == []  # not yet: only at 30 days
    assert _inbox(people["other"]) == []
    # The same day again: nothing new.
    assert alerts.compute(world.west).total == 0
    # 16 days later the 30-day mark: coördinator and procesregisseur.
    clock.advance(days=16)
    assert alerts.compute(world.west).created["titel_loopt_af"] == 2
    assert [n.title for n in _inbox(people["coordinator"])][-1].startswith(
        "Een titel loopt binnen 30 dagen af"
    )
    assert len(_inbox(people["regisseur"])) == 1


def test_no_title_alert_with_a_successor_or_an_accepted_handover(world, people, clock):
    from levensloop.handovers.models import Handover

    with_successor = _included(world, people["coordinator"], "Opvolger")
    _title(world, with_successor, 45)
    _title(world, with_successor, 400, code="wlz_indicatie", status="gepland", start=local_today())
    taken_over = _included(world, people["coordinator"], "Overgenomen")
    title = _title(world, taken_over, 45)
    db.session.add(
        Handover(
            id=uuid.uuid4(),
            region_id=world.west.id,
            person_id=taken_over.id,
            kind="titel",
            status="geaccepteerd",
            predecessor_title_id=title.id,
            due_date=local_today() + timedelta(days=30),
        )
    )
    ended = _included(world, people["coordinator"], "Alklaar")
    _title(world, ended, 20, status="beeindigd")
    far = _included(world, people["coordinator"], "Nogver")
    _title(world, far, 120)
    db.session.commit()
    assert alerts.compute(world.west).created.get("titel_loopt_af", 0) == 0


def test_unanswered_handover_after_five_workdays_across_a_holiday(world, people, clock):
    """Offered on Thursday 23 April 2026: Friday 24, Monday 27 is Koningsdag, so the fifth
    werkdag is Friday 1 May; nothing on Thursday 30 April."""
    from levensloop.handovers.models import Handover

    clock.advance(days=(date(2026, 4, 23) - clock.now.date()).days)
    person = _included(world, people["coordinator"])
    receiver = world.user(Role.LEVENSLOOPCOORDINATOR)
    db.session.add(
        Handover(
            id=uuid.uuid4(),
            region_id=world.west.id,
            person_id=person.id,
            kind="coordinator",
            status="aangeboden",
            from_user_id=people["coordinator"].id,
            to_user_id=receiver.id,
            offered_at=datetime(2026, 4, 23, 10, 0, tzinfo=UTC),
            offered_by_id=people["coordinator"].id,
            due_date=date(2026, 6, 1),
        )
    )
    db.session.commit()
    for day in (date(2026, 4, 29), date(2026, 4, 30)):
        assert alerts.compute(world.west, day).created.get("overdracht_onbeantwoord", 0) == 0
    created = alerts.compute(world.west, date(2026, 5, 1))
    assert created.created["overdracht_onbeantwoord"] == 2  # receiver and sender
    assert [n.kind for n in _inbox(receiver)] == ["overdracht_onbeantwoord"]
    assert (
        alerts.compute(world.west, date(2026, 5, 4)).created.get("overdracht_onbeantwoord", 0) == 0
    )


def test_overdue_escalation_alerts_owner_and_next_level_after_a_weekend(world, people, clock):
    from levensloop.escalations.services import open_escalation

    person = _included(world, people["coordinator"])
    # 2 November 2026 (the clock) is a Monday; level 0 answers in 5 werkdagen: due Monday 9.
    escalation = open_escalation(
        people["coordinator"].model,
        world.west,
        person,
        reason="geen_passend_bed",
        description="Geen plek in beschermd wonen te vinden",
    )
    db.session.commit()
    assert escalation.due_date == date(2026, 11, 9)
    assert alerts.compute(world.west, date(2026, 11, 9)).created.get("escalatie_te_laat", 0) == 0
    created = alerts.compute(world.west, date(2026, 11, 10))
    assert created.created["escalatie_te_laat"] >= 1
    assert any(n.kind == "escalatie_te_laat" for n in _inbox(people["regisseur"]))


def test_review_actions_notice_and_rights_request_alerts(world, people, clock):
    from levensloop.plans.models import Action, Goal, Plan
    from levensloop.privacy.models import InformationNotice, RequestKind, RightsRequest

    person = _included(world, people["coordinator"])
    trajectory = db.session.scalar(sa.select(Trajectory).where(Trajectory.person_id == person.id))
    plan = Plan(
        id=uuid.uuid4(),
        trajectory_id=trajectory.id,
        person_id=person.id,
        region_id=world.west.id,
        version_no=1,
        status="vastgesteld",
        adopted_on=local_today() - timedelta(days=100),
    )
    goal = Goal(id=uuid.uuid4(), plan=plan, person_id=person.id, domain="wonen")
    action = Action(
        id=uuid.uuid4(),
        goal=goal,
        person_id=person.id,
        owner_organisation_id=world.west_ggz.id,
        due_date=local_today() - timedelta(days=2),
    )
    notice = InformationNotice(
        id=uuid.uuid4(),
        person_id=person.id,
        region_id=world.west.id,
        status="uitgesteld",
        review_on=local_today() - timedelta(days=1),
        recorded_at=local_today() - timedelta(days=60),
    )
    request = RightsRequest(
        id=uuid.uuid4(),
        region_id=world.west.id,
        person_id=person.id,
        kind=RequestKind.INZAGE,
        received_on=local_today() - timedelta(days=25),
        due_on=local_today() + timedelta(days=5),
    )
    db.session.add_all([plan, goal, action, notice, request])
    db.session.commit()
    created = alerts.compute(world.west)
    kinds = {n.kind for n in _inbox(people["coordinator"])}
    assert {"evaluatie_nodig", "actie_te_laat", "informatieplicht"} <= kinds
    assert [n.kind for n in _inbox(people["privacy"])] == ["rechtenverzoek"]
    assert created.total == 4
    # Overdue actions come back once a week, not daily.
    clock.advance(days=1)
    assert alerts.compute(world.west).created.get("actie_te_laat", 0) == 0


def test_other_region_is_not_told(world, people, clock):
    person = _included(world, people["coordinator"])
    _title(world, person, 20)
    oost = world.user(Role.PROCESREGISSEUR, region=world.oost)
    alerts.compute(world.oost)
    alerts.compute(world.west)
    assert _inbox(oost) == []


def test_the_job_runs_once_per_day(app, world, people, clock):
    person = _included(world, people["coordinator"])
    _title(world, person, 45)
    runner = app.test_cli_runner()
    first = runner.invoke(
        args=["scheduler", "run-once", "signalen-berekenen", "--period", "2026-11-02"]
    )
    assert first.exit_code == 0, first.output
    second = runner.invoke(
        args=["scheduler", "run-once", "signalen-berekenen", "--period", "2026-11-02"]
    )
    assert second.exit_code == 0 and "overgeslagen" in second.output
    assert len(_inbox(people["coordinator"])) == 1
