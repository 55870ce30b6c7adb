"""The escalation route: the declared state machine, escalating up the levels, due dates in
werkdagen (weekends and Dutch public holidays), overdue escalations with time travel,
suspension and extension, who may do what, the board, the settings and encryption."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa

from levensloop.audit.models import AuditEvent
from levensloop.auth.models import Role
from levensloop.db import local_today
from levensloop.errors import NotAllowed, NotFound, TransitionNotAllowed
from levensloop.escalations import services, sla
from levensloop.escalations import states as s
from levensloop.escalations.models import Escalation, EscalationLevel
from levensloop.extensions import db
from levensloop.inclusion.models import Trajectory
from levensloop.organisations.models import Organisation, OrganisationType
from levensloop.persons.models import Person
from levensloop.persons.services import PersonInput, create_person
from levensloop.sharing.models import CaseAssignment
from tests.conftest import Browser

ALL_PAIRS = list(itertools.product(s.ESCALATION.labels, repeat=2))
ALLOWED = {(a, b) for a, targets in s.ESCALATION.allowed.items() for b in targets}
TEXT = "Een toelichting die lang genoeg is voor de test"
DESCRIPTION = "Geen passende plek gevonden na drie afwijzingen"


@dataclass
class Case:
    world: object
    person: Person
    coordinator: object
    regisseur: object

    @property
    def region(self):
        return self.world.west

    @property
    def url(self) -> str:
        return f"/personen/{self.person.id}/escalaties"


@pytest.fixture
def case(world, app, clock):
    long_ago = local_today() - timedelta(days=400)
    person = create_person(
        None, world.west, PersonInput(achternaam="Escalatiemans", voornamen="Eva")
    )
    coordinator = world.user(Role.LEVENSLOOPCOORDINATOR, organisation=world.west_ggz)
    regisseur = world.user(Role.PROCESREGISSEUR)
    db.session.add(
        CaseAssignment(
            person_id=person.id, user_id=coordinator.id, role="coordinator", start_date=long_ago
        )
    )
    db.session.add(
        Trajectory(
            id=uuid.uuid4(),
            region_id=world.west.id,
            person_id=person.id,
            status="in_uitvoering",
            included_on=long_ago,
            provider_organisation_id=world.west_ggz.id,
            coordinator_id=coordinator.id,
            procesregisseur_id=regisseur.id,
        )
    )
    db.session.commit()
    return Case(world, person, coordinator, regisseur)


def _make(
    case, *, status=s.OPEN, level=0, due=None, suspended_until=None, person=None, region=None
):
    today = local_today()
    due = due or today + timedelta(days=14)
    escalation = Escalation(
        id=uuid.uuid4(),
        region_id=(region or case.region).id,
        person_id=(person or case.person).id,
        level=level,
        reason="overig",
        level3_type="lcbb" if level == 3 else None,
        status=status,
        owner_organisation_id=(
            case.world.oost_zvh if region is case.world.oost else case.world.west_zvh
        ).id,
        opened_on=today,
        initial_due_date=due,
        due_date=due,
        suspended_until=suspended_until,
    )
    db.session.add(escalation)
    escalation.description = DESCRIPTION
    db.session.commit()
    return escalation


def _reload(escalation_id) -> Escalation:
    db.session.expire_all()
    return db.session.get(Escalation, escalation_id)


def _travel(clock, day: date) -> None:
    target = datetime.combine(day, time(9, 0), tzinfo=UTC)
    clock.advance(seconds=(target - clock.now).total_seconds())


def _browser(app, user) -> Browser:
    browser = Browser(app.test_client())
    browser.login(user)
    return browser


def _overdue_ids(today: date) -> set:
    return {e.id for e in db.session.scalars(services.overdue_escalations(today))}


# ---------------------------------------------------------------- the state machine


@pytest.mark.parametrize("current,target", ALL_PAIRS, ids=[f"{a}->{b}" for a, b in ALL_PAIRS])
@pytest.mark.asvs("V2.3.1")
def test_every_transition_of_the_escalation_machine(case, current, target):
    escalation = _make(case, status=current)
    actor = case.regisseur.model
    before = db.session.scalar(sa.select(sa.func.count(AuditEvent.id)))
    if (current, target) in ALLOWED:
        result = services.transition_escalation(
            actor, case.region, case.person, escalation, target, text=TEXT
        )
        stored = _reload(escalation.id)
        assert stored.status == target and stored.status_changed_by_id == actor.id
        assert stored.status_changed_at is not None
        if target == s.OPGESCHAALD:
            assert result.parent_id == escalation.id and result.level == 1
        changes = db.session.scalars(
            sa.select(AuditEvent).where(
                AuditEvent.object_type == "escalatie", AuditEvent.event_type == "status_changed"
            )
        ).all()
        assert [(e.details["from"], e.details["to"]) for e in changes] == [(current, target)]
        assert changes[0].categories == "proces"
    else:
        with pytest.raises(TransitionNotAllowed) as raised:
            services.transition_escalation(
                actor, case.region, case.person, escalation, target, text=TEXT
            )
        assert "niet toegestaan" in raised.value.message
        db.session.rollback()
        assert _reload(escalation.id).status == current
        assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == before
        assert db.session.scalar(sa.select(sa.func.count(Escalation.id))) == 1


def test_the_machine_is_the_one_from_the_domain():
    assert s.ESCALATION.initial == s.OPEN
    assert ALLOWED == {
        (s.OPEN, s.IN_BEHANDELING),
        (s.IN_BEHANDELING, s.OPGELOST),
        (s.IN_BEHANDELING, s.OPGESCHAALD),
        (s.IN_BEHANDELING, s.INGETROKKEN),
    }
    assert all(s.ESCALATION.final(state) for state in s.CLOSED)


# ---------------------------------------------------------------- escalating up the levels


def test_open_take_escalate_and_resolve_through_the_pages(app, case):
    browser = _browser(app, case.regisseur)
    new_url = f"{case.url}/nieuw"
    opened = browser.post_form(
        new_url,
        {"level": "0", "reason": "geen_passend_bed", "description": DESCRIPTION},
    )
    assert opened.status_code == 302, opened.get_data(as_text=True)[:3000]
    first = db.session.scalar(sa.select(Escalation))
    assert first.level == 0 and first.status == s.OPEN and first.opened_on == local_today()
    assert first.owner_organisation_id == case.world.west_ggz.id  # the Levensloopaanbieder
    assert first.owner_user_id == case.coordinator.id
    assert first.due_date == sla.due_date(local_today(), 5)
    detail = f"{case.url}/{first.id}"
    assert opened.headers["Location"].endswith(detail)

    page = browser.get(detail)
    assert page.status_code == 200 and DESCRIPTION in page.get_data(as_text=True)
    assert browser.post_from(page, f"{detail}/in-behandeling", {"version": "1"}).status_code == 302
    taken = _reload(first.id)
    assert taken.status == s.IN_BEHANDELING and taken.owner_user_id == case.regisseur.id

    page = browser.get(detail)
    escalated = browser.post_from(
        page,
        f"{detail}/opschalen",
        {"version": str(taken.version), "motivation": "De casus komt er niet uit; procesregie"},
    )
    assert escalated.status_code == 302
    old = _reload(first.id)
    upper = db.session.scalar(sa.select(Escalation).where(Escalation.parent_id == first.id))
    assert old.status == s.OPGESCHAALD and old.closed_on == local_today()
    assert upper.level == 1 and upper.status == s.OPEN and upper.reason == "geen_passend_bed"
    assert upper.owner_organisation_id == case.world.west_zvh.id
    assert upper.owner_user_id == case.regisseur.id
    assert upper.due_date == sla.due_date(local_today(), 10)
    assert escalated.headers["Location"].endswith(f"{case.url}/{upper.id}")

    html = browser.get(f"{case.url}/{upper.id}").get_data(as_text=True)
    assert "Escalatieketen" in html and f"{case.url}/{first.id}" in html
    assert "ZVH procesregie / Levenslooptafel" in html
    html = browser.get(detail).get_data(as_text=True)
    assert f"{case.url}/{upper.id}" in html and "De casus komt er niet uit" in html

    upper_url = f"{case.url}/{upper.id}"
    page = browser.get(upper_url)
    browser.post_from(page, f"{upper_url}/in-behandeling", {"version": str(upper.version)})
    page = browser.get(upper_url)
    resolved = browser.post_from(
        page,
        f"{upper_url}/oplossen",
        {"version": str(_reload(upper.id).version), "outcome": "Plek gevonden bij aanbieder B"},
    )
    assert resolved.status_code == 302
    done = _reload(upper.id)
    assert done.status == s.OPGELOST and done.outcome == "Plek gevonden bij aanbieder B"
    events = db.session.scalars(
        sa.select(AuditEvent.event_type).where(
            AuditEvent.object_type == "escalatie", AuditEvent.person_id == case.person.id
        )
    ).all()
    assert events.count("escalation_opened") == 2 and events.count("status_changed") == 4
    assert "read" in events


def test_escalating_to_level_3_asks_which_national_point(case):
    actor = case.regisseur.model
    second = _make(case, status=s.IN_BEHANDELING, level=2)
    with pytest.raises(services.InvalidInput) as raised:
        services.escalate(actor, case.region, case.person, second, motivation=TEXT)
    assert set(raised.value.errors) == {"level3_type"}
    db.session.rollback()
    assert _reload(second.id).status == s.IN_BEHANDELING
    top = services.escalate(
        actor, case.region, case.person, _reload(second.id), motivation=TEXT, level3_type="lcbb"
    )
    assert top.level == 3 and top.level3_type == "lcbb"
    organisation = db.session.get(Organisation, top.owner_organisation_id)
    assert organisation.type == OrganisationType.ZVH  # no national point in this region
    assert top.due_date == sla.due_date(local_today(), 30)


def test_level_3_cannot_be_escalated_further(case):
    actor = case.regisseur.model
    top = _make(case, status=s.IN_BEHANDELING, level=3)
    with pytest.raises(TransitionNotAllowed) as raised:
        services.escalate(actor, case.region, case.person, top, motivation=TEXT)
    assert "hoogste niveau" in raised.value.message
    db.session.rollback()
    assert _reload(top.id).status == s.IN_BEHANDELING
    assert db.session.scalar(sa.select(sa.func.count(Escalation.id))) == 1


def test_level_3_goes_to_the_national_point_when_the_region_has_one(case):
    national = Organisation(
        region_id=case.region.id, name="Landelijk punt Test", type=OrganisationType.LANDELIJK
    )
    db.session.add(national)
    db.session.commit()
    escalation = services.open_escalation(
        case.regisseur.model,
        case.region,
        case.person,
        reason="dreigende_dakloosheid",
        description=DESCRIPTION,
        level=3,
        level3_type="dreigende_dakloosheid",
    )
    assert escalation.owner_organisation_id == national.id


def test_a_rejected_handover_can_open_an_escalation(case):
    handover = uuid.uuid4()
    escalation = services.open_escalation(
        case.coordinator.model,
        case.region,
        case.person,
        reason="stagnerende_samenwerking",
        description=DESCRIPTION,
        handover_id=handover,
    )
    assert escalation.handover_id == handover and escalation.level == 0
    system = services.open_escalation(
        None, case.region, case.person, reason="overig", description=DESCRIPTION
    )
    assert system.opened_by_id is None and system.owner_user_id == case.coordinator.id
    services.start_handling(case.coordinator.model, case.region, case.person, escalation)
    upper = services.escalate(
        case.coordinator.model, case.region, case.person, escalation, motivation=TEXT
    )
    assert upper.handover_id == handover


# ---------------------------------------------------------------- due dates in werkdagen


@pytest.mark.parametrize(
    "opened,level,due",
    [
        (date(2026, 4, 24), 0, date(2026, 5, 4)),  # Friday; Monday 27 April is Koningsdag
        (date(2026, 4, 24), 1, date(2026, 5, 11)),
        (date(2026, 4, 2), 0, date(2026, 4, 13)),  # Goede Vrijdag and Tweede Paasdag
        (date(2026, 12, 23), 0, date(2026, 12, 31)),  # both Kerstdagen
        (date(2026, 12, 23), 1, date(2027, 1, 8)),  # and Nieuwjaarsdag
    ],
)
def test_due_date_skips_weekends_and_public_holidays(case, clock, opened, level, due):
    _travel(clock, opened)
    escalation = services.open_escalation(
        case.regisseur.model,
        case.region,
        case.person,
        reason="financiering",
        description=DESCRIPTION,
        level=level,
    )
    assert escalation.opened_on == opened
    assert escalation.due_date == escalation.initial_due_date == due


def test_alert_timing_across_koningsdag_and_the_weekend(case, clock):
    _travel(clock, date(2026, 4, 24))
    escalation = services.open_escalation(
        case.coordinator.model,
        case.region,
        case.person,
        reason="geen_passend_bed",
        description=DESCRIPTION,
    )
    for day in (date(2026, 4, 25), date(2026, 4, 27), date(2026, 5, 1), date(2026, 5, 4)):
        _travel(clock, day)
        assert escalation.id not in _overdue_ids(local_today()), day
    _travel(clock, date(2026, 5, 5))
    assert _overdue_ids(local_today()) == {escalation.id}
    assert _reload(escalation.id).is_overdue(local_today())


def test_suspension_pauses_the_clock_across_hemelvaartsdag(case, clock):
    _travel(clock, date(2026, 4, 24))
    actor = case.regisseur.model
    escalation = services.open_escalation(
        actor, case.region, case.person, reason="overig", description=DESCRIPTION
    )
    _travel(clock, date(2026, 4, 28))  # four werkdagen left: 29, 30 April, 1 and 4 May
    services.suspend(
        actor,
        case.region,
        case.person,
        escalation,
        until=date(2026, 5, 8),
        reason="Wachten op het besluit van het zorgkantoor",
    )
    stored = _reload(escalation.id)
    # After Friday 8 May: Monday 11, Tuesday 12, Wednesday 13, (Hemelvaartsdag), Friday 15.
    assert stored.due_date == date(2026, 5, 15) and stored.suspended_until == date(2026, 5, 8)
    assert stored.initial_due_date == date(2026, 5, 4)
    for day in (date(2026, 5, 5), date(2026, 5, 8), date(2026, 5, 15)):
        _travel(clock, day)
        assert _overdue_ids(local_today()) == set(), day
    _travel(clock, date(2026, 5, 18))
    assert _overdue_ids(local_today()) == {escalation.id}


def test_overdue_escalations_returns_exactly_the_overdue_ones(case, world):
    today = local_today()
    past = today - timedelta(days=3)
    other = create_person(None, world.oost, PersonInput(achternaam="Elders"))
    expected = {
        _make(case, due=past).id,
        _make(case, due=past, status=s.IN_BEHANDELING, level=2).id,
        _make(case, due=past, suspended_until=today - timedelta(days=1)).id,  # suspension over
        _make(case, due=past, person=other, region=world.oost).id,  # alerts cover every region
    }
    _make(case, due=today)  # due today: not yet late
    _make(case, due=today + timedelta(days=1))
    _make(case, due=past, suspended_until=today)  # suspended today
    for closed in s.CLOSED:
        _make(case, due=past, status=closed)
    assert _overdue_ids(today) == expected
    statement = services.overdue_escalations(today)
    assert isinstance(statement, sa.Select)


def test_open_escalations_per_person(case, world):
    other = create_person(None, world.west, PersonInput(achternaam="Tweede"))
    _make(case)
    _make(case, status=s.IN_BEHANDELING)
    _make(case, status=s.OPGELOST)
    _make(case, person=other)
    counts = dict(db.session.execute(services.open_escalations_per_person()).all())
    assert counts == {case.person.id: 2, other.id: 1}


# ---------------------------------------------------------------- suspension and extension


@pytest.mark.asvs("V2.2.3")
def test_extension_needs_a_later_workday_and_a_reason(app, case):
    escalation = _make(case, status=s.IN_BEHANDELING, due=date(2026, 11, 9))
    browser = _browser(app, case.regisseur)
    detail = f"{case.url}/{escalation.id}"

    def extend(due: str, reason: str):
        return browser.post_form(
            detail,
            {"version": "1", "extend_due": due, "extend_reason": reason},
            action=f"{detail}/verlengen",
        )

    cases = [
        ("2026-10-30", TEXT, "Kies een datum in de toekomst."),
        ("2026-11-06", TEXT, "De nieuwe termijn moet na de huidige termijn liggen"),
        ("2026-11-14", TEXT, "Kies een werkdag: geen weekend of feestdag."),  # a Saturday
        ("2026-11-20", "kort", "Geef de reden van de verlenging, in minstens 10 tekens."),
        ("", TEXT, "Vul de nieuwe termijn in."),
        ("31-31-2026", TEXT, "Vul een geldige datum in"),
    ]
    for due, reason, message in cases:
        response = extend(due, reason)
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and message in html, (due, reason)
        assert 'aria-invalid="true"' in html
        assert _reload(escalation.id).due_date == date(2026, 11, 9)
    assert extend("2026-11-20", TEXT).status_code == 302
    stored = _reload(escalation.id)
    assert stored.due_date == date(2026, 11, 20) and stored.extended_on == local_today()
    assert stored.extension_reason == TEXT and stored.initial_due_date == date(2026, 11, 9)


def test_suspension_needs_a_future_date_and_a_reason(app, case):
    escalation = _make(case, status=s.OPEN)
    browser = _browser(app, case.coordinator)
    detail = f"{case.url}/{escalation.id}"
    for until, reason, message in [
        ("2026-11-01", TEXT, "Kies een datum in de toekomst."),
        ("2026-11-02", TEXT, "Kies een datum in de toekomst."),
        ("2026-12-01", "", "Geef de reden van de opschorting, in minstens 10 tekens."),
        ("", TEXT, "Vul de datum in tot wanneer de escalatie is opgeschort."),
        ("2028-01-01", TEXT, "Schort hoogstens een jaar op."),
    ]:
        response = browser.post_form(
            detail,
            {"version": "1", "suspend_until": until, "suspend_reason": reason},
            action=f"{detail}/opschorten",
        )
        assert response.status_code == 200 and message in response.get_data(as_text=True)
        assert _reload(escalation.id).suspended_until is None
    ok = browser.post_form(
        detail,
        {"version": "1", "suspend_until": "2026-11-06", "suspend_reason": TEXT},
        action=f"{detail}/opschorten",
    )
    assert ok.status_code == 302
    stored = _reload(escalation.id)
    assert stored.suspended_until == date(2026, 11, 6) and stored.suspension_reason == TEXT
    html = browser.get(detail).get_data(as_text=True)
    assert "Opgeschort tot en met" in html and TEXT in html


def test_a_closed_escalation_cannot_be_suspended_or_extended(case):
    escalation = _make(case, status=s.OPGELOST)
    actor = case.regisseur.model
    with pytest.raises(TransitionNotAllowed):
        services.suspend(
            actor, case.region, case.person, escalation, until=date(2026, 12, 1), reason=TEXT
        )
    with pytest.raises(TransitionNotAllowed):
        services.extend(
            actor, case.region, case.person, escalation, new_due=date(2026, 12, 1), reason=TEXT
        )


@pytest.mark.asvs("V15.4.2", "V2.3.3")
def test_a_stale_form_is_refused_and_changes_nothing(app, case):
    escalation = _make(case, status=s.IN_BEHANDELING)
    browser = _browser(app, case.regisseur)
    detail = f"{case.url}/{escalation.id}"
    response = browser.post_form(
        detail, {"version": "7", "outcome": TEXT}, action=f"{detail}/oplossen"
    )
    assert response.status_code == 409
    assert "intussen gewijzigd" in response.get_data(as_text=True)
    assert _reload(escalation.id).status == s.IN_BEHANDELING


@pytest.mark.asvs("V3.5.3")
def test_withdrawing_asks_for_confirmation_and_a_reason(app, case):
    escalation = _make(case, status=s.IN_BEHANDELING)
    browser = _browser(app, case.regisseur)
    url = f"{case.url}/{escalation.id}/intrekken"
    page = browser.get(url)
    assert page.status_code == 200 and "Ja, escalatie intrekken" in page.get_data(as_text=True)
    assert _reload(escalation.id).status == s.IN_BEHANDELING
    missing = browser.post_form(url, {"version": "1", "withdraw_reason": ""})
    assert "Geef aan waarom de escalatie wordt ingetrokken" in missing.get_data(as_text=True)
    assert _reload(escalation.id).status == s.IN_BEHANDELING
    done = browser.post_form(url, {"version": "1", "withdraw_reason": TEXT})
    assert done.status_code == 302
    stored = _reload(escalation.id)
    assert stored.status == s.INGETROKKEN and stored.outcome == TEXT
    assert stored.closed_on == local_today()


def test_a_forbidden_step_shows_a_dutch_message(app, case):
    escalation = _make(case, status=s.OPEN)
    browser = _browser(app, case.regisseur)
    detail = f"{case.url}/{escalation.id}"
    response = browser.post_form(
        detail, {"version": "1", "outcome": TEXT}, action=f"{detail}/oplossen"
    )
    assert response.status_code == 409
    assert "is niet toegestaan" in response.get_data(as_text=True)
    assert _reload(escalation.id).status == s.OPEN


# ---------------------------------------------------------------- bad input on the new form


@pytest.mark.asvs("V2.2.1", "V2.3.3")
def test_bad_input_gives_dutch_field_errors_and_changes_nothing(app, case):
    browser = _browser(app, case.regisseur)
    url = f"{case.url}/nieuw"
    page = browser.get(url)
    assert page.status_code == 200
    empty = browser.post_from(page, url, {"level": "0"})
    html = empty.get_data(as_text=True)
    assert empty.status_code == 200
    assert "Kies de reden van de escalatie." in html
    assert "Beschrijf wat er vastloopt en wat al is geprobeerd" in html
    assert 'id="description-error"' in html and 'aria-invalid="true"' in html
    assert "Fout:" in html
    short = browser.post_from(page, url, {"level": "0", "reason": "overig", "description": "kort"})
    assert "in minstens 10 tekens" in short.get_data(as_text=True)
    odd = browser.post_from(page, url, {"level": "9", "reason": "iets", "description": DESCRIPTION})
    html = odd.get_data(as_text=True)
    assert "Kies een niveau van 0 tot en met 3." in html
    no_type = browser.post_from(
        page, url, {"level": "3", "reason": "overig", "description": DESCRIPTION}
    )
    assert "Kies welk landelijk punt de escalatie oppakt." in no_type.get_data(as_text=True)
    foreign = browser.post_from(
        page,
        url,
        {
            "level": "0",
            "reason": "overig",
            "description": DESCRIPTION,
            "owner_organisation": str(case.world.oost_zvh.id),
        },
    )
    assert "Kies een organisatie uit deze regio." in foreign.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Escalation.id))) == 0


def test_the_coordinator_opens_at_level_0_or_1_only(app, case):
    with pytest.raises(services.InvalidInput) as raised:
        services.open_escalation(
            case.coordinator.model,
            case.region,
            case.person,
            reason="overig",
            description=DESCRIPTION,
            level=2,
        )
    assert "Alleen de procesregisseur" in raised.value.errors["level"]
    html = _browser(app, case.coordinator).get(f"{case.url}/nieuw").get_data(as_text=True)
    assert 'value="1"' in html and 'value="2"' not in html
    assert "Landelijk punt (niveau 3)" not in html


@pytest.mark.asvs("V3.5.1")
def test_a_post_without_csrf_token_is_refused(app, case):
    escalation = _make(case)
    browser = _browser(app, case.regisseur)
    response = browser.client.post(
        f"{case.url}/{escalation.id}/in-behandeling", data={"version": "1"}
    )
    assert response.status_code == 400
    assert _reload(escalation.id).status == s.OPEN
    response = browser.client.post(
        f"{case.url}/nieuw", data={"reason": "overig", "description": DESCRIPTION}
    )
    assert response.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(Escalation.id))) == 1


# ---------------------------------------------------------------- who may do what


@pytest.mark.parametrize(
    "role",
    [Role.KETENPARTNER, Role.CASUSREGISSEUR, Role.PRIVACY_OFFICER, Role.FUNCTIONEEL_BEHEERDER],
)
def test_other_roles_may_not_open_the_escalation_pages(app, case, role):
    escalation = _make(case)
    browser = _browser(app, case.world.user(role))
    for url in ("/escalaties/", case.url, f"{case.url}/nieuw", f"{case.url}/{escalation.id}"):
        assert browser.get(url).status_code == 403, url


@pytest.mark.asvs("V8.4.1")
def test_another_region_sees_nothing(app, case, world):
    escalation = _make(case)
    browser = _browser(app, world.user(Role.PROCESREGISSEUR, region=world.oost))
    for url in (case.url, f"{case.url}/nieuw", f"{case.url}/{escalation.id}"):
        assert browser.get(url).status_code == 404, url
    board = browser.get("/escalaties/").get_data(as_text=True)
    assert str(escalation.id) not in board and "Geen lopende escalaties" in board
    page = browser.get("/account")
    taken = browser.post_from(page, f"{case.url}/{escalation.id}/in-behandeling", {"version": "1"})
    assert taken.status_code == 404 and _reload(escalation.id).status == s.OPEN


@pytest.mark.asvs("V8.2.2")
def test_another_persons_escalation_id_is_not_found(app, case, world):
    other = create_person(None, world.west, PersonInput(achternaam="Anders"))
    escalation = _make(case, person=other)
    browser = _browser(app, case.regisseur)
    assert browser.get(f"{case.url}/{escalation.id}").status_code == 404
    assert browser.get(f"{case.url}/{uuid.uuid4()}").status_code == 404
    page = browser.get(case.url)
    response = browser.post_from(page, f"{case.url}/{escalation.id}/in-behandeling", {})
    assert response.status_code == 404 and _reload(escalation.id).status == s.OPEN
    with pytest.raises(NotFound):
        services.get_escalation(world.west, case.person, escalation.id)


def test_a_coordinator_outside_the_caseload_is_refused(app, case, world):
    escalation = _make(case)
    stranger = world.user(Role.LEVENSLOOPCOORDINATOR, organisation=world.west_ggz)
    browser = _browser(app, stranger)
    assert browser.get(f"{case.url}/{escalation.id}").status_code == 403
    assert browser.get(f"{case.url}/nieuw").status_code == 403
    assert str(escalation.id) not in browser.get("/escalaties/").get_data(as_text=True)


def test_the_coordinator_handles_level_0_but_not_level_1(app, case):
    case_level = _make(case, level=0)
    upper = _make(case, level=1)
    browser = _browser(app, case.coordinator)
    page = browser.get(f"{case.url}/{case_level.id}")
    assert "In behandeling nemen" in page.get_data(as_text=True)
    assert (
        browser.post_from(page, f"{case.url}/{case_level.id}/in-behandeling", {"version": "1"})
    ).status_code == 302
    assert _reload(case_level.id).status == s.IN_BEHANDELING
    page = browser.get(f"{case.url}/{upper.id}")
    html = page.get_data(as_text=True)
    assert (
        page.status_code == 200
        and "Escalaties vanaf niveau 1 handelt de procesregisseur af" in html
    )
    assert "In behandeling nemen" not in html
    refused = browser.post_from(page, f"{case.url}/{upper.id}/in-behandeling", {"version": "1"})
    assert refused.status_code == 403 and _reload(upper.id).status == s.OPEN
    with pytest.raises(NotAllowed):
        services.start_handling(case.coordinator.model, case.region, case.person, upper)


# ---------------------------------------------------------------- the board


def test_board_overdue_first_then_by_due_date_with_filters(app, case, world):
    today = local_today()
    later = _make(case, level=1, due=today + timedelta(days=20))
    sooner = _make(case, level=0, due=today + timedelta(days=2))
    late = _make(case, level=1, due=today - timedelta(days=1), status=s.IN_BEHANDELING)
    closed = _make(case, level=0, status=s.OPGELOST)
    browser = _browser(app, case.regisseur)
    html = browser.get("/escalaties/").get_data(as_text=True)
    positions = [html.index(str(e.id)) for e in (late, sooner, later)]
    assert positions == sorted(positions)
    assert str(closed.id) not in html
    assert "te laat" in html and "Escalatiemans" in html
    level_1 = browser.get("/escalaties/?niveau=1").get_data(as_text=True)
    assert str(late.id) in level_1 and str(later.id) in level_1 and str(sooner.id) not in level_1
    finished = browser.get("/escalaties/?status=opgelost").get_data(as_text=True)
    assert str(closed.id) in finished and str(late.id) not in finished
    everything = browser.get("/escalaties/?status=alle&niveau=x").get_data(as_text=True)
    assert all(str(e.id) in everything for e in (late, sooner, later, closed))
    nothing = browser.get("/escalaties/?niveau=3").get_data(as_text=True)
    assert "Geen escalaties gevonden" in nothing


def test_board_pages_in_sql_with_a_fixed_number_of_queries(app, case, world):
    from levensloop.escalations.board import PAGE_SIZE, BoardFilters, board

    persons = [
        create_person(None, world.west, PersonInput(achternaam=f"Bordpersoon{n}"))
        for n in range(30)
    ]

    def count(run):
        counter = {"n": 0}

        def tick(*_args, **_kwargs):
            counter["n"] += 1

        sa.event.listen(db.engine, "before_cursor_execute", tick)
        try:
            result = run()
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", tick)
        return counter["n"], result

    actor = case.regisseur.model
    _make(case, person=persons[0])
    db.session.expire_all()
    few, first = count(lambda: board(actor, world.west, BoardFilters()))
    for person in persons[1:]:
        _make(case, person=person)
    db.session.expire_all()
    many, result = count(lambda: board(actor, world.west, BoardFilters()))
    assert len(first.rows) == 1 and len(result.rows) == PAGE_SIZE
    assert result.page.total == 30 and result.page.pages == 2
    assert many == few
    second = board(actor, world.west, BoardFilters(), page=2)
    assert len(second.rows) == 5
    assert all(row.person_name for row in result.rows)


def test_person_page_lists_and_offers_a_new_escalation(app, case):
    browser = _browser(app, case.coordinator)
    html = browser.get(case.url).get_data(as_text=True)
    assert "Nog geen escalaties" in html and f"{case.url}/nieuw" in html
    escalation = _make(case)
    html = browser.get(case.url).get_data(as_text=True)
    assert f"{case.url}/{escalation.id}" in html


# ---------------------------------------------------------------- timeline, encryption, demo


def test_timeline_shows_opened_escalated_and_resolved(app, case):
    actor = case.regisseur.model
    escalation = services.open_escalation(
        actor, case.region, case.person, reason="wlz_indicatie", description=DESCRIPTION
    )
    services.start_handling(actor, case.region, case.person, escalation)
    upper = services.escalate(actor, case.region, case.person, escalation, motivation=TEXT)
    services.start_handling(actor, case.region, case.person, upper)
    services.resolve(actor, case.region, case.person, upper, outcome=TEXT)
    html = _browser(app, case.regisseur).get(f"/personen/{case.person.id}/tijdlijn")
    text = html.get_data(as_text=True)
    assert "Geopend op niveau 0 (Casus (levensloopteam)): Wlz-indicatie" in text
    assert "Opgeschaald naar niveau 1 (ZVH procesregie / Levenslooptafel)" in text
    assert "Opgelost op niveau 1" in text
    assert DESCRIPTION not in text and TEXT not in text


@pytest.mark.asvs("V14.2.4")
def test_encrypted_columns_hold_no_plaintext(case):
    actor = case.regisseur.model
    escalation = services.open_escalation(
        actor, case.region, case.person, reason="overig", description="Geheimwoord-beschrijving"
    )
    services.suspend(
        actor,
        case.region,
        case.person,
        escalation,
        until=local_today() + timedelta(days=3),
        reason="Geheimwoord-opschorting",
    )
    services.extend(
        actor,
        case.region,
        case.person,
        escalation,
        new_due=date(2026, 12, 1),
        reason="Geheimwoord-verlenging",
    )
    services.start_handling(actor, case.region, case.person, escalation)
    services.resolve(actor, case.region, case.person, escalation, outcome="Geheimwoord-uitkomst")
    row = db.session.execute(
        sa.select(Escalation.__table__).where(Escalation.__table__.c.id == escalation.id)
    ).one()
    stored = (
        b"".join(
            getattr(row, column)
            for column in ("description_enc", "suspension_reason_enc", "extension_reason_enc")
        )
        + row.outcome_enc
    )
    assert b"Geheimwoord" not in stored and len(stored) > 40
    details = db.session.scalars(sa.select(AuditEvent.details)).all()
    assert "Geheimwoord" not in repr(details)
    assert _reload(escalation.id).outcome == "Geheimwoord-uitkomst"


# ---------------------------------------------------------------- settings per region


def test_settings_page_is_only_for_the_functioneel_beheerder(app, case, world):
    for user in (case.regisseur, case.coordinator):
        assert _browser(app, user).get("/beheer/escalatieroute").status_code == 403
    browser = _browser(app, world.user(Role.FUNCTIONEEL_BEHEERDER))
    html = browser.get("/beheer/escalatieroute").get_data(as_text=True)
    assert "Regionale bestuurlijke overlegtafel" in html and "standaard" in html


def _settings(**overrides) -> dict:
    data = {}
    for level, (name, days) in sla.DEFAULTS.items():
        data[f"name_{level}"] = str(name)
        data[f"days_{level}"] = str(days)
    data["reason"] = "Besluit van het bestuurlijk overleg van november"
    data["stamp"] = "0.0.0.0"
    data.update(overrides)
    return data


def test_the_beheerder_changes_a_response_time_with_a_reason(app, case, world):
    browser = _browser(app, world.user(Role.FUNCTIONEEL_BEHEERDER))
    url = "/beheer/escalatieroute"
    for overrides, message in [
        ({"days_0": "abc"}, "Vul voor niveau 0 een reactietermijn in van 1 tot en met 120"),
        ({"days_2": "0"}, "Vul voor niveau 2 een reactietermijn in van 1 tot en met 120"),
        ({"name_1": "x"}, "Geef niveau 1 een naam van 3 tot 120 tekens."),
        ({"reason": "kort"}, "Geef de reden van de wijziging (minstens 10 tekens)."),
        ({"reason": "", "days_3": "200"}, "Vul voor niveau 3 een reactietermijn in van 1 tot"),
        ({"reason": "", "days_3": "200"}, "Geef de reden van de wijziging (minstens 10 tekens)."),
        ({}, "Er is niets gewijzigd."),
    ]:
        response = browser.post_form(url, _settings(**overrides))
        assert response.status_code == 200 and message in response.get_data(as_text=True)
        assert db.session.scalar(sa.select(sa.func.count(EscalationLevel.id))) == 0
    saved = browser.post_form(url, _settings(days_0="7", name_3="Landelijk escalatiepunt"))
    assert saved.status_code == 302
    levels = sla.levels_of(world.west.id)
    assert levels[0].response_days == 7 and levels[0].custom
    assert levels[3].name == "Landelijk escalatiepunt" and levels[1].response_days == 10
    assert sla.levels_of(world.oost.id)[0].response_days == 5
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.event_type == "escalation_route_changed")
    )
    assert event.object_type == "escalatieroute" and event.details["reason"].startswith("Besluit")
    escalation = services.open_escalation(
        case.regisseur.model, case.region, case.person, reason="overig", description=DESCRIPTION
    )
    assert escalation.due_date == sla.due_date(local_today(), 7)


def test_a_stale_settings_form_is_refused(app, world):
    browser = _browser(app, world.user(Role.FUNCTIONEEL_BEHEERDER))
    url = "/beheer/escalatieroute"
    page = browser.get(url)
    db.session.add(
        EscalationLevel(
            id=uuid.uuid4(), region_id=world.west.id, level=1, name="Procesregie", response_days=8
        )
    )
    db.session.commit()
    response = browser.post_from(page, url, _settings(days_0="6"))
    assert response.status_code == 409 and "intussen gewijzigd" in response.get_data(as_text=True)
    assert sla.levels_of(world.west.id)[0].response_days == 5


def test_demo_seed(case):
    from levensloop.escalations.demo import COORDINATOR, seed_demo

    case.coordinator.model.username = COORDINATOR
    second = create_person(None, case.region, PersonInput(achternaam="Tweedepersoon"))
    db.session.add(
        CaseAssignment(
            person_id=second.id,
            user_id=case.coordinator.id,
            role="coordinator",
            start_date=local_today(),
        )
    )
    db.session.commit()
    assert seed_demo(case.region, local_today()) == 3
    today = local_today()
    overdue = db.session.scalars(services.overdue_escalations(today)).all()
    assert [(e.level, e.status) for e in overdue] == [(1, s.OPEN)]
    assert overdue[0].parent_id is not None
    handling = db.session.scalars(
        sa.select(Escalation).where(Escalation.status == s.IN_BEHANDELING)
    ).all()
    assert [e.level for e in handling] == [0] and not handling[0].is_overdue(today)
    assert seed_demo(case.region, today) == 0
