"""Warm handovers: every step of the state machine, responsibility that moves only on
acceptance and an overlap that ends at completion, the checklist, the due date before the
title ends, refusal with a reason, withdrawal with confirmation, stale edits, who may do what,
the dossier with only the receiver's categories, the inter-regional handover, the "known
elsewhere" check, the bulk reassignment, the lists and selects, the timeline and the demo."""

from __future__ import annotations

import re
import uuid
import zlib
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from levensloop.audit.models import AuditEvent
from levensloop.auth.models import Role
from levensloop.errors import DomainError, TransitionNotAllowed
from levensloop.extensions import db
from levensloop.handovers import services
from levensloop.handovers import states as s
from levensloop.handovers.models import Handover
from levensloop.inclusion.models import Referral, Trajectory
from levensloop.organisations.models import Organisation, OrganisationType
from levensloop.persons.models import Person
from levensloop.persons.services import PersonInput, create_person
from levensloop.plans.models import Plan, PlanSection
from levensloop.sharing import policy
from levensloop.sharing.models import CaseAssignment, CaseParticipant
from tests.conftest import Browser

TODAY = date(2026, 11, 2)  # the clock fixture's day
ALL_ITEMS = set(s.CHECKLIST)


def _participant(person_id, organisation_id, start=TODAY):
    participant = CaseParticipant(
        id=uuid.uuid4(),
        person_id=person_id,
        organisation_id=organisation_id,
        legal_basis="wgs",
        start_date=start,
    )
    db.session.add(participant)
    participant.purpose = "Deelname voor de overdrachtstest"
    return participant


def _person(world, region, achternaam="Overdrachtsma", **values):
    return create_person(None, region, PersonInput(achternaam=achternaam, **values))


def _trajectory(region, person, *, provider=None, coordinator=None):
    trajectory = Trajectory(
        id=uuid.uuid4(),
        region_id=region.id,
        person_id=person.id,
        status="in_uitvoering",
        included_on=TODAY - timedelta(days=100),
        provider_organisation_id=provider.id if provider else None,
        coordinator_id=coordinator.id if coordinator else None,
    )
    db.session.add(trajectory)
    return trajectory


@pytest.fixture
def case(world, app, clock):
    """A person in West with a trajectory: GGZ Test is the Levensloopaanbieder (taking part),
    coördinator 1 (of GGZ Test) has the person in the caseload. Reclassering Test can take
    over; a ketenpartner of each organisation; a second coördinator; the procesregisseur."""
    reclassering = Organisation(
        region_id=world.west.id, name="Reclassering Test", type=OrganisationType.RECLASSERING
    )
    db.session.add(reclassering)
    db.session.commit()
    person = _person(world, world.west, voornamen="Olga", telefoon="06-11122233")
    coordinator = world.user(Role.LEVENSLOOPCOORDINATOR, organisation=world.west_ggz)
    other_coordinator = world.user(Role.LEVENSLOOPCOORDINATOR)
    regisseur = world.user(Role.PROCESREGISSEUR)
    partner = world.user(Role.KETENPARTNER, organisation=reclassering)
    ggz_partner = world.user(Role.KETENPARTNER, organisation=world.west_ggz)
    trajectory = _trajectory(world.west, person, provider=world.west_ggz, coordinator=coordinator)
    db.session.add(
        CaseAssignment(
            person_id=person.id, user_id=coordinator.id, role="coordinator", start_date=TODAY
        )
    )
    provider = _participant(person.id, world.west_ggz.id)
    db.session.commit()
    return {
        "person": person,
        "trajectory": trajectory,
        "coordinator": coordinator,
        "other_coordinator": other_coordinator,
        "regisseur": regisseur,
        "partner": partner,
        "ggz_partner": ggz_partner,
        "reclassering": reclassering,
        "provider": provider,
        "url": f"/personen/{person.id}/overdrachten",
    }


def _login(app, user) -> Browser:
    browser = Browser(app.test_client())
    browser.login(user)
    return browser


def _fresh(model, id_):
    db.session.expire_all()
    return db.session.get(model, id_, execution_options={"skip_region_scope": True})


def _plan(case, kind=s.ORGANISATIE, *, offer=True, actor=None, **values):
    values.setdefault("due_date", TODAY + timedelta(days=20))
    if kind in (s.ORGANISATIE, s.TITEL):
        values.setdefault("to_organisation_id", case["reclassering"].id)
    if kind == s.COORDINATOR:
        current = _fresh(Trajectory, case["trajectory"].id).coordinator_id
        other = next(
            u.id for u in (case["other_coordinator"], case["coordinator"]) if u.id != current
        )
        values.setdefault("to_user_id", other)
    person = _fresh(Person, case["person"].id)
    return services.plan_handover(
        (actor or case["regisseur"]).model,
        _region(person),
        person,
        services.PlanInput(kind=kind, **values),
        offer=offer,
    )


def _region(person):
    from levensloop.organisations.models import Region

    return db.session.get(Region, person.region_id)


def _act(case, handover, action, actor=None, **kwargs):
    person = _fresh(Person, handover.person_id)
    handover = _fresh(Handover, handover.id)
    function = getattr(services, action)
    return function((actor or case["regisseur"]).model, _region(person), person, handover, **kwargs)


def _version(page) -> str:
    match = re.search(r'name="version" value="(\d+)"', page.get_data(as_text=True))
    assert match, "geen versie op de pagina"
    return match.group(1)


def _active(model, person_id, **where):
    rows = db.session.scalars(
        sa.select(model).where(model.person_id == person_id, policy.active_on(model, TODAY))
    )
    return [r for r in rows if all(getattr(r, k) == v for k, v in where.items())]


# ---------------------------------------------------------------- the state machine

STEPS = {
    s.AANGEBODEN: ("offer", {}),
    s.GEACCEPTEERD: ("accept", {}),
    s.AFGEWEZEN: ("reject", {"reason": "Geen plek binnen de termijn beschikbaar"}),
    s.INGETROKKEN: ("withdraw", {}),
    s.AFGEROND: ("complete", {}),
}
# How to bring a fresh handover into each state.
PATHS = {
    s.GEPLAND: [],
    s.AANGEBODEN: [s.AANGEBODEN],
    s.GEACCEPTEERD: [s.AANGEBODEN, s.GEACCEPTEERD],
    s.AFGEROND: [s.AANGEBODEN, s.GEACCEPTEERD, s.AFGEROND],
    s.AFGEWEZEN: [s.AANGEBODEN, s.AFGEWEZEN],
    s.INGETROKKEN: [s.INGETROKKEN],
}


def _run(case, handover, target):
    action, kwargs = STEPS[target]
    if target == s.AFGEROND:
        _act(case, handover, "update_checklist", items=ALL_ITEMS)
    _act(case, handover, action, **kwargs)


@pytest.mark.parametrize("start", list(PATHS))
@pytest.mark.asvs("V2.3.1")
def test_every_transition_from_each_state(world, case, start):
    """From each state, every step: the allowed ones change the status, the others are refused
    with a Dutch message and change nothing."""
    assert not any(s.HANDOVER.can(state, s.GEPLAND) for state in s.HANDOVER.labels)
    for target in STEPS:
        handover = _plan(case, s.COORDINATOR, offer=False)
        for step in PATHS[start]:
            _run(case, handover, step)
        assert _fresh(Handover, handover.id).status == start
        if s.HANDOVER.can(start, target):
            _run(case, handover, target)
            assert _fresh(Handover, handover.id).status == target
        else:
            action, kwargs = STEPS[target]
            with pytest.raises(TransitionNotAllowed) as refused:
                _act(case, handover, action, **kwargs)
            assert "niet toegestaan" in refused.value.message
            db.session.rollback()
            assert _fresh(Handover, handover.id).status == start
        # Close it so the next handover of the same responsibility may be planned.
        current = _fresh(Handover, handover.id)
        if current.status in (s.GEPLAND, s.AANGEBODEN):
            _act(case, current, "withdraw")
        elif current.status == s.GEACCEPTEERD:
            _run(case, current, s.AFGEROND)


def test_steps_are_audited_with_category_proces(world, case):
    handover = _plan(case)
    _act(case, handover, "accept")
    events = list(
        db.session.scalars(sa.select(AuditEvent).where(AuditEvent.object_id == str(handover.id)))
    )
    kinds = {(e.event_type, (e.details or {}).get("to")) for e in events}
    assert ("create", None) in kinds
    assert ("status_changed", "aangeboden") in kinds
    assert ("status_changed", "geaccepteerd") in kinds
    assert all(e.object_type == "overdracht" and e.categories == "proces" for e in events)
    assert all(e.person_id == case["person"].id for e in events)


# ---------------------------------------------------------------- responsibility


def test_organisation_handover_moves_responsibility_only_on_acceptance(world, case, app, clock):
    person, partner = case["person"], case["partner"]
    sender = _login(app, case["coordinator"])
    page = sender.get(f"{case['url']}/nieuw?soort=organisatie")
    assert page.status_code == 200
    due = (TODAY + timedelta(days=14)).isoformat()
    created = sender.post_from(
        page,
        f"{case['url']}/nieuw",
        {
            "soort": "organisatie",
            "to_organisation": str(case["reclassering"].id),
            "due_date": due,
            "note": "Kennismaking graag in de eerste week",
            "aanbieden": "ja",
        },
    )
    assert created.status_code == 302, created.get_data(as_text=True)[:3000]
    handover = db.session.scalar(sa.select(Handover))
    assert handover.status == s.AANGEBODEN and handover.from_organisation_id == world.west_ggz.id

    # Offered, not accepted: nothing moved; the receiver cannot open the file.
    assert not _active(CaseParticipant, person.id, organisation_id=case["reclassering"].id)
    assert _fresh(Trajectory, case["trajectory"].id).provider_organisation_id == world.west_ggz.id
    assert not policy.access(partner.model, _fresh(Person, person.id)).any
    receiver = _login(app, partner)
    assert receiver.get(case["url"]).status_code == 403
    detail_url = f"{case['url']}/{handover.id}"
    detail = receiver.get(detail_url)
    html = detail.get_data(as_text=True)
    assert detail.status_code == 200 and "Overdracht accepteren" in html
    assert "Kennismaking graag in de eerste week" in html

    accepted = receiver.post_from(detail, f"{detail_url}/accepteren", {"version": _version(detail)})
    assert accepted.status_code == 302, accepted.get_data(as_text=True)[:3000]
    # Accepted: the receiver takes part and is the Levensloopaanbieder; the sender stays.
    new = _active(CaseParticipant, person.id, organisation_id=case["reclassering"].id)
    assert len(new) == 1 and new[0].start_date == TODAY
    old = _active(CaseParticipant, person.id, organisation_id=world.west_ggz.id)
    assert len(old) == 1 and old[0].end_date is None
    trajectory = _fresh(Trajectory, case["trajectory"].id)
    assert trajectory.provider_organisation_id == case["reclassering"].id
    person = _fresh(Person, person.id)
    assert policy.access(partner.model, person).any
    assert policy.access(case["ggz_partner"].model, person).any
    assert receiver.get(case["url"]).status_code == 200

    # Completion needs the whole checklist.
    page = receiver.get(detail_url)
    refused = receiver.post_from(page, f"{detail_url}/afronden", {"version": _version(page)})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 200
    assert "pas worden afgerond als de checklist compleet is" in text
    assert "warme kennismaking gehouden" in text
    assert _fresh(Handover, handover.id).status == s.GEACCEPTEERD
    ticked = receiver.post_from(
        page,
        f"{detail_url}/checklist",
        {"version": _version(page), **dict.fromkeys(ALL_ITEMS, "y")},
    )
    assert ticked.status_code == 302
    handover = _fresh(Handover, handover.id)
    assert handover.ticked == ALL_ITEMS and handover.warme_kennismaking_by_id == partner.id
    page = receiver.get(detail_url)
    done = receiver.post_from(page, f"{detail_url}/afronden", {"version": str(handover.version)})
    assert done.status_code == 302
    assert _fresh(Handover, handover.id).status == s.AFGEROND

    # The overlap ends today: the sender's participation has today as its last day.
    old = db.session.get(CaseParticipant, case["provider"].id)
    assert old.end_date == TODAY
    person = _fresh(Person, person.id)
    tomorrow = TODAY + timedelta(days=1)
    assert policy.access(case["ggz_partner"].model, person, today=TODAY).any
    assert not policy.access(case["ggz_partner"].model, person, today=tomorrow).any
    assert policy.access(partner.model, person, today=tomorrow).any


def test_coordinator_handover_moves_the_caseload(world, case, app):
    person = case["person"]
    handover = _plan(case, s.COORDINATOR, actor=case["coordinator"])
    assert handover.from_user_id == case["coordinator"].id
    receiving = _login(app, case["other_coordinator"])
    # Before accepting: the handover opens for its receiver, the file does not.
    assert receiving.get(case["url"]).status_code == 403
    detail_url = f"{case['url']}/{handover.id}"
    page = receiving.get(detail_url)
    assert page.status_code == 200
    assert receiving.post_from(page, f"{detail_url}/accepteren", {}).status_code == 302
    assert _fresh(Trajectory, case["trajectory"].id).coordinator_id == case["other_coordinator"].id
    both = {a.user_id for a in _active(CaseAssignment, person.id, role="coordinator")}
    assert both == {case["coordinator"].id, case["other_coordinator"].id}
    assert receiving.get(case["url"]).status_code == 200

    _act(case, handover, "update_checklist", items=ALL_ITEMS, actor=case["other_coordinator"])
    _act(case, handover, "complete", actor=case["other_coordinator"])
    ended = db.session.scalar(
        sa.select(CaseAssignment).where(CaseAssignment.user_id == case["coordinator"].id)
    )
    assert ended.end_date == TODAY
    person = _fresh(Person, person.id)
    tomorrow = TODAY + timedelta(days=1)
    # GGZ Test still takes part, but the caseload is the other coördinator's now.
    assert "caseload" in policy.access(case["coordinator"].model, person, today=TODAY).via
    assert "caseload" not in policy.access(case["coordinator"].model, person, today=tomorrow).via
    assert "caseload" in policy.access(case["other_coordinator"].model, person, today=tomorrow).via


def test_handing_back_on_the_same_day_keeps_someone_responsible(world, case):
    """Found by the property test: a participation or assignment that ends today (after a
    completed handover) does not make its holder responsible tomorrow, so handing back the
    same day starts a new one."""
    for kind in (s.COORDINATOR, s.ORGANISATIE):
        for _there_and_back in range(2):
            values = {}
            if kind == s.ORGANISATIE:
                provider = _fresh(Trajectory, case["trajectory"].id).provider_organisation_id
                values["to_organisation_id"] = (
                    world.west_ggz.id if provider != world.west_ggz.id else case["reclassering"].id
                )
            handover = _plan(case, kind, **values)
            _act(case, handover, "accept")
            _run(case, handover, s.AFGEROND)
    trajectory = _fresh(Trajectory, case["trajectory"].id)
    tomorrow = TODAY + timedelta(days=1)
    assert trajectory.coordinator_id == case["coordinator"].id
    assert trajectory.provider_organisation_id == world.west_ggz.id
    assert any(
        a.user_id == case["coordinator"].id and a.end_date is None
        for a in _active(CaseAssignment, case["person"].id)
    )
    assert any(
        p.organisation_id == world.west_ggz.id and p.end_date is None
        for p in _active(CaseParticipant, case["person"].id)
    )
    person = _fresh(Person, case["person"].id)
    assert "caseload" in policy.access(case["coordinator"].model, person, today=tomorrow).via


def test_refusal_and_withdrawal_change_nothing_about_responsibility(world, case, app):
    first = _plan(case)
    _act(case, first, "reject", actor=case["partner"], reason="Geen capaciteit dit kwartaal")
    second = _plan(case)
    _act(case, second, "withdraw", actor=case["coordinator"])
    assert _fresh(Trajectory, case["trajectory"].id).provider_organisation_id == world.west_ggz.id
    assert not _active(CaseParticipant, case["person"].id, organisation_id=case["reclassering"].id)
    assert _active(CaseParticipant, case["person"].id, organisation_id=world.west_ggz.id)


@pytest.mark.asvs("V2.3.2", "V2.3.4")
def test_only_one_handover_per_responsibility_runs_at_a_time(world, case):
    _plan(case)
    with pytest.raises(DomainError) as refused:
        _plan(case)
    assert "Er loopt al een overdracht" in refused.value.message
    db.session.rollback()
    assert _plan(case, s.COORDINATOR).status == s.AANGEBODEN  # another responsibility


# ---------------------------------------------------------------- rules and forms


def _title(world, person, *, end, category_code="wvggz_zorgmachtiging", conditions=None):
    from levensloop.titles.models import LegalTitle
    from levensloop.titles.services import ensure_title_types

    ensure_title_types()
    title = LegalTitle(
        id=uuid.uuid4(),
        person_id=person.id,
        region_id=person.region_id,
        type_code=category_code,
        status="actief",
        start_date=TODAY - timedelta(days=200),
        expected_end=end,
    )
    db.session.add(title)
    title.conditions = conditions
    db.session.commit()
    return title


def test_title_handover_must_be_done_before_the_title_ends(world, case, app):
    title = _title(world, case["person"], end=TODAY + timedelta(days=30))
    browser = _login(app, case["coordinator"])
    form_url = f"{case['url']}/nieuw?soort=titel"
    page = browser.get(form_url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and str(title.id) in html
    values = {
        "soort": "titel",
        "predecessor_title": str(title.id),
        "to_organisation": str(case["reclassering"].id),
        "due_date": (TODAY + timedelta(days=30)).isoformat(),
        "aanbieden": "ja",
    }
    late = browser.post_from(page, f"{case['url']}/nieuw", values)
    text = late.get_data(as_text=True)
    assert late.status_code == 200
    assert "moet rond zijn vóór de titel afloopt" in text
    assert 'aria-describedby="due_date-error"' in text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Handover)) == 0
    ok = browser.post_from(
        page,
        f"{case['url']}/nieuw",
        {**values, "due_date": (TODAY + timedelta(days=29)).isoformat()},
    )
    assert ok.status_code == 302
    handover = db.session.scalar(sa.select(Handover))
    assert handover.kind == s.TITEL and handover.predecessor_title_id == title.id


@pytest.mark.asvs("V2.2.1")
def test_form_errors_at_the_fields_and_no_500(world, case, app):
    browser = _login(app, case["coordinator"])
    page = browser.get(f"{case['url']}/nieuw")
    assert page.status_code == 200 and 'name="soort"' in page.get_data(as_text=True)
    empty = browser.post_from(page, f"{case['url']}/nieuw", {})
    assert empty.status_code == 200 and "Kies wat er wordt overgedragen" in empty.get_data(
        as_text=True
    )
    page = browser.get(f"{case['url']}/nieuw?soort=organisatie")
    bad = browser.post_from(
        page,
        f"{case['url']}/nieuw",
        {"soort": "organisatie", "to_organisation": str(uuid.uuid4()), "due_date": "gisteren"},
    )
    text = bad.get_data(as_text=True)
    assert bad.status_code == 200
    assert "Kies uit de lijst" in text and "Vul een geldige datum in" in text
    past = browser.post_from(
        page,
        f"{case['url']}/nieuw",
        {
            "soort": "organisatie",
            "to_organisation": str(world.west_ggz.id),
            "due_date": (TODAY - timedelta(days=1)).isoformat(),
        },
    )
    text = past.get_data(as_text=True)
    assert "al de Levensloopaanbieder" in text and "niet in het verleden" in text
    due = (TODAY + timedelta(days=5)).isoformat()
    for kind, message in (
        ("organisatie", "Kies de organisatie die het overneemt"),
        ("titel", "Kies de titel die afloopt"),
        ("coordinator", "Kies de coördinator die het overneemt"),
        ("regio", "Kies de regio waar de persoon naartoe gaat"),
    ):
        page = browser.get(f"{case['url']}/nieuw?soort={kind}")
        empty = browser.post_from(page, f"{case['url']}/nieuw", {"soort": kind, "due_date": due})
        assert empty.status_code == 200 and message in empty.get_data(as_text=True), kind
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Handover)) == 0


def test_refusal_needs_a_reason_and_offers_an_escalation(world, case, app):
    handover = _plan(case)
    receiver = _login(app, case["partner"])
    reject_url = f"{case['url']}/{handover.id}/afwijzen"
    page = receiver.get(reject_url)
    assert page.status_code == 200 and "Reden van de afwijzing" in page.get_data(as_text=True)
    short = receiver.post_from(page, reject_url, {"reason": "nee", "version": _version(page)})
    text = short.get_data(as_text=True)
    assert short.status_code == 200 and "minstens 10 tekens" in text
    assert 'aria-describedby="reason-description reason-error"' in text
    assert _fresh(Handover, handover.id).status == s.AANGEBODEN
    done = receiver.post_from(
        page,
        reject_url,
        {"reason": "Geen plek in het toezicht tot maart", "version": _version(page)},
    )
    assert done.status_code == 302
    handover = _fresh(Handover, handover.id)
    assert handover.status == s.AFGEWEZEN and handover.rejected_by_id == case["partner"].id
    assert handover.reject_reason == "Geen plek in het toezicht tot maart"
    assert b"Geen plek in het toezicht" not in handover.reject_reason_enc
    for event in db.session.scalars(sa.select(AuditEvent)):
        assert "Geen plek in het toezicht" not in str(event.details or "")
    sender = _login(app, case["coordinator"])
    html = sender.get(f"{case['url']}/{handover.id}").get_data(as_text=True)
    assert "Geen plek in het toezicht tot maart" in html
    assert f"/personen/{case['person'].id}/escalaties/nieuw?overdracht={handover.id}" in html


def test_withdrawal_asks_for_confirmation(world, case, app):
    handover = _plan(case)
    sender = _login(app, case["coordinator"])
    url = f"{case['url']}/{handover.id}/intrekken"
    page = sender.get(url)
    assert page.status_code == 200 and "Ja, overdracht intrekken" in page.get_data(as_text=True)
    assert (
        sender.post_from(page, url, {"version": _version(page)}).status_code == 200
    )  # unconfirmed
    assert _fresh(Handover, handover.id).status == s.AANGEBODEN
    assert (
        sender.post_from(page, url, {"version": _version(page), "confirmed": "ja"}).status_code
        == 302
    )
    assert _fresh(Handover, handover.id).status == s.INGETROKKEN


@pytest.mark.asvs("V15.4.2", "V2.3.3")
def test_a_stale_edit_gets_a_conflict_and_changes_nothing(world, case, app):
    handover = _plan(case, offer=False)
    sender = _login(app, case["coordinator"])
    detail_url = f"{case['url']}/{handover.id}"
    page = sender.get(detail_url)
    _act(case, handover, "update_checklist", items={"levensloopplan"})  # someone else saves
    stale = sender.post_from(page, f"{detail_url}/aanbieden", {"version": _version(page)})
    assert stale.status_code == 409
    assert "Iemand anders heeft deze overdracht intussen gewijzigd" in stale.get_data(as_text=True)
    assert _fresh(Handover, handover.id).status == s.GEPLAND


@pytest.mark.asvs("V8.2.1")
def test_who_may_do_what(world, case, app):
    handover = _plan(case, offer=False)
    detail_url = f"{case['url']}/{handover.id}"
    # Planned, not offered: the receiving organisation does not see it yet.
    partner = _login(app, case["partner"])
    assert partner.get(detail_url).status_code == 403
    _act(case, handover, "offer")
    assert partner.get(detail_url).status_code == 200
    # The sender cannot accept its own offer to another organisation.
    sender = _login(app, case["coordinator"])
    page = sender.get(detail_url)
    assert sender.post_from(page, f"{detail_url}/accepteren", {}).status_code == 403
    # The receiver cannot withdraw, nor plan.
    assert partner.get(f"{detail_url}/intrekken").status_code == 403
    assert partner.get(f"{case['url']}/nieuw").status_code == 403
    # A ketenpartner of an organisation not involved: 403; privacy officer: 403.
    police = Organisation(
        region_id=world.west.id, name="Politie Test", type=OrganisationType.POLITIE
    )
    db.session.add(police)
    db.session.commit()
    outsider = _login(app, world.user(Role.KETENPARTNER, organisation=police))
    assert outsider.get(detail_url).status_code == 403
    assert outsider.get(f"{detail_url}/dossier.pdf").status_code == 403
    privacy = _login(app, world.user(Role.PRIVACY_OFFICER))
    assert privacy.get(detail_url).status_code == 403
    # Another region: 404. Another person's handover id under this person: 404.
    oost = _login(app, world.user(Role.PROCESREGISSEUR, region=world.oost))
    assert oost.get(detail_url).status_code == 404
    other = _person(world, world.west, achternaam="Anderman")
    regisseur = _login(app, case["regisseur"])
    assert regisseur.get(f"/personen/{other.id}/overdrachten/{handover.id}").status_code == 404
    assert regisseur.get(f"{case['url']}/{uuid.uuid4()}").status_code == 404
    # A participating ketenpartner sees the handover but may not download the dossier.
    taking_part = _login(app, case["ggz_partner"])
    assert taking_part.get(detail_url).status_code == 200
    assert taking_part.get(f"{detail_url}/dossier.pdf").status_code == 403


# ---------------------------------------------------------------- the dossier


def _pdf_text(data: bytes) -> str:
    """The text of an fpdf2 PDF: its content streams, inflated."""
    parts = [data.decode("latin-1")]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)).decode("latin-1"))
        except zlib.error:
            parts.append(match.group(1).decode("latin-1"))
    return "\n".join(parts)


def _sensitive_file(world, case):
    from levensloop.titles.models import Placement

    person = _fresh(Person, case["person"].id)
    _title(
        world,
        person,
        end=TODAY + timedelta(days=60),
        category_code="tbs_voorwaarden",
        conditions="Justitiesentinel",
    )
    placement = Placement(
        id=uuid.uuid4(),
        person_id=person.id,
        region_id=person.region_id,
        setting="klinisch",
        security_level=2,
        start_date=TODAY - timedelta(days=300),
    )
    db.session.add(placement)
    placement.provider_name = "Zorgsentinel"
    plan = Plan(
        id=uuid.uuid4(),
        trajectory_id=case["trajectory"].id,
        person_id=person.id,
        region_id=person.region_id,
        version_no=1,
        status="vastgesteld",
    )
    db.session.add(plan)
    for domain, text in (("wonen", "Woonsentinel"), ("zorg", "Plannzorgsentinel")):
        section = PlanSection(id=uuid.uuid4(), plan=plan, person_id=person.id, domain=domain)
        db.session.add(section)
        section.situation = text
    db.session.commit()


@pytest.mark.asvs("V8.2.3", "V15.3.1")
def test_the_dossier_holds_only_what_the_receiver_may_see(world, case, app):
    _sensitive_file(world, case)
    woning = Organisation(
        region_id=world.west.id, name="Woonstichting Test", type=OrganisationType.WONINGCORPORATIE
    )
    db.session.add(woning)
    db.session.commit()
    handover = _plan(case, to_organisation_id=woning.id)
    sender = _login(app, case["coordinator"])
    response = sender.get(f"{case['url']}/{handover.id}/dossier.pdf")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "Overdrachtsma" not in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    text = _pdf_text(response.data)
    assert response.data.startswith(b"%PDF")
    # A woningcorporatie sees identity, contact, social and process data, nothing else.
    assert "Overdrachtsma" in text and "06-11122233" in text and "Woonsentinel" in text
    for hidden in ("Zorgsentinel", "Justitiesentinel", "Plannzorgsentinel"):
        assert hidden not in text
    export = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.event_type == "export"))
    assert export.object_type == "overdrachtsdossier" and export.object_id == str(handover.id)
    assert "zorg" not in export.categories.split(",") and "contact" in export.categories


def test_a_care_receiver_gets_the_care_history(world, case, app):
    _sensitive_file(world, case)
    forensisch = Organisation(
        region_id=world.west.id, name="FPK Test", type=OrganisationType.FORENSISCHE_ZORG
    )
    db.session.add(forensisch)
    db.session.commit()
    handover = _plan(case, to_organisation_id=forensisch.id)
    receiver = _login(app, world.user(Role.KETENPARTNER, organisation=forensisch))
    response = receiver.get(f"{case['url']}/{handover.id}/dossier.pdf")
    assert response.status_code == 200
    text = _pdf_text(response.data)
    for shown in ("Zorgsentinel", "Justitiesentinel", "Plannzorgsentinel", "Overdrachtsma"):
        assert shown in text


# ---------------------------------------------------------------- between regions


def test_inter_regional_handover(world, case, app):
    from levensloop.handovers.interregional import KEPT, MOVED, MOVED_WITH_TRAJECTORY
    from levensloop.titles.models import LegalTitle

    world.oost.contactpunt_email = "contactpunt@oost.test"
    db.session.commit()
    _sensitive_file(world, case)
    person = case["person"]
    referral = Referral(
        id=uuid.uuid4(),
        region_id=world.west.id,
        person_id=person.id,
        referrer_organisation_id=world.west_zvh.id,
    )
    db.session.add(referral)
    referral.reason = "Aanmelding in West"
    db.session.commit()
    handover = _plan(case, s.REGIO, to_region_id=world.oost.id, actor=case["coordinator"])
    assert handover.from_region_id == world.west.id and handover.region_id == world.west.id

    oost_pr = world.user(Role.PROCESREGISSEUR, region=world.oost)
    receiver = _login(app, oost_pr)
    listing = receiver.get("/overdrachten/").get_data(as_text=True)
    detail_url = f"{case['url']}/{handover.id}"
    assert detail_url in listing and "Andere ZVH-regio" in listing
    page = receiver.get(detail_url)
    assert page.status_code == 200 and "Overdracht accepteren" in page.get_data(as_text=True)
    assert receiver.get(case["url"]).status_code == 404  # the file itself is still in West
    assert receiver.get(f"{detail_url}/dossier.pdf").status_code == 200
    # A ketenpartner in Oost is not the receiver.
    assert (
        _login(app, world.user(Role.KETENPARTNER, region=world.oost)).get(detail_url).status_code
        == 404
    )

    assert receiver.post_from(page, f"{detail_url}/accepteren", {}).status_code == 302
    moved = _fresh(Person, person.id)
    assert moved.region_id == world.oost.id
    trajectory = _fresh(Trajectory, case["trajectory"].id)
    assert trajectory.region_id == world.oost.id and trajectory.procesregisseur_id == oost_pr.id
    assert {p.region_id for p in db.session.scalars(sa.select(Plan))} == {world.oost.id}
    assert {t.region_id for t in db.session.scalars(sa.select(LegalTitle))} == {world.oost.id}
    assert _fresh(Referral, referral.id).region_id == world.west.id  # West's inflow stays
    assert _fresh(Handover, handover.id).region_id == world.west.id
    # The West procesregisseur no longer finds the person; Oost opens the file.
    assert _login(app, case["regisseur"]).get(case["url"]).status_code == 404
    assert receiver.get(case["url"]).status_code == 200
    # Both regions' logs show it.
    for region in (world.west, world.oost):
        events = {
            e.event_type
            for e in db.session.scalars(
                sa.select(AuditEvent).where(
                    AuditEvent.region_id == region.id, AuditEvent.object_type == "overdracht"
                )
            )
        }
        assert {"status_changed", "region_move", "responsibility_moved"} <= events

    # Completion waits until Oost has its own provider and coördinator.
    _act(case, handover, "update_checklist", items=ALL_ITEMS, actor=oost_pr)
    with pytest.raises(DomainError) as refused:
        _act(case, handover, "complete", actor=oost_pr)
    assert "ontvangende regio" in refused.value.message
    db.session.rollback()
    oost_lc = world.user(Role.LEVENSLOOPCOORDINATOR, region=world.oost)
    trajectory = _fresh(Trajectory, case["trajectory"].id)
    trajectory.provider_organisation_id = world.oost_zvh.id
    trajectory.coordinator_id = oost_lc.id
    _participant(person.id, world.oost_zvh.id)
    db.session.add(
        CaseAssignment(
            person_id=person.id, user_id=oost_lc.id, role="coordinator", start_date=TODAY
        )
    )
    db.session.commit()
    _act(case, handover, "complete", actor=oost_pr)
    assert db.session.get(CaseParticipant, case["provider"].id).end_date == TODAY
    west_assignment = db.session.scalar(
        sa.select(CaseAssignment).where(CaseAssignment.user_id == case["coordinator"].id)
    )
    assert west_assignment.end_date == TODAY
    assert _active(CaseParticipant, person.id, organisation_id=world.oost_zvh.id)

    # Every table with a person and a region is classified as moving or staying.
    classified = set(MOVED) | set(MOVED_WITH_TRAJECTORY) | set(KEPT) | {"persons", "trajectories"}
    for table in db.metadata.sorted_tables:
        if {"person_id", "region_id"} <= set(table.c.keys()):
            assert table.name in classified, f"{table.name}: verhuist het mee of niet?"


def test_known_elsewhere(world, app, clock):
    world.oost.contactpunt_email = "contactpunt@oost.test"
    db.session.commit()
    elsewhere = create_person(
        None,
        world.oost,
        PersonInput(
            achternaam="Elderman", voornamen="Vera", bsn="111222333", geboortedatum=date(1980, 5, 6)
        ),
    )
    _person(world, world.west, achternaam="Thuisma", bsn="123456782")
    regisseur = world.user(Role.PROCESREGISSEUR)
    browser = _login(app, regisseur)
    page = browser.get("/bekend-elders")
    assert page.status_code == 200
    by_bsn = browser.post_from(page, "/bekend-elders", {"bsn": "111222333"})
    html = by_bsn.get_data(as_text=True)
    assert "ZVH Test Oost" in html and "contactpunt@oost.test" in html
    assert "Elderman" not in html and "Vera" not in html and "1980" not in html
    by_name = browser.post_from(
        page, "/bekend-elders", {"achternaam": "elderman", "geboortedatum": "1980-05-06"}
    )
    assert "ZVH Test Oost" in by_name.get_data(as_text=True)
    own = browser.post_from(page, "/bekend-elders", {"bsn": "123456782"})
    assert "in geen andere regio bekend" in own.get_data(as_text=True)
    wrong = browser.post_from(page, "/bekend-elders", {"bsn": "123456789"})
    assert "geen geldig BSN" in wrong.get_data(as_text=True)
    nothing = browser.post_from(page, "/bekend-elders", {"achternaam": "Elderman"})
    assert "de achternaam met de geboortedatum" in nothing.get_data(as_text=True)

    asked = list(
        db.session.scalars(
            sa.select(AuditEvent).where(
                AuditEvent.event_type == "known_elsewhere_check",
                AuditEvent.region_id == world.west.id,
            )
        )
    )
    assert len(asked) == 3 and all(e.person_id is None for e in asked)
    found = list(
        db.session.scalars(
            sa.select(AuditEvent).where(
                AuditEvent.event_type == "known_elsewhere_check",
                AuditEvent.region_id == world.oost.id,
            )
        )
    )
    assert len(found) == 2 and {e.person_id for e in found} == {elsewhere.id}
    for event in asked + found:
        assert "111222333" not in str(event.details) and "lderman" not in str(event.details)
    # Only the procesregisseur asks.
    partner = _login(app, world.user(Role.LEVENSLOOPCOORDINATOR))
    assert partner.get("/bekend-elders").status_code == 403


# ---------------------------------------------------------------- bulk, lists, selects


def test_bulk_reassignment_makes_one_handover_per_person(world, case, app):
    leaving = case["coordinator"]
    extra = [_person(world, world.west, achternaam=f"Caseload{n}") for n in range(2)]
    for person in extra:
        db.session.add(
            CaseAssignment(
                person_id=person.id, user_id=leaving.id, role="coordinator", start_date=TODAY
            )
        )
    db.session.commit()
    busy = _plan(case, s.COORDINATOR)  # the first person already has one running
    third = world.user(Role.LEVENSLOOPCOORDINATOR)
    browser = _login(app, case["regisseur"])
    page = browser.get("/overdrachten/caseload-overdragen")
    assert page.status_code == 200
    values = {
        "departing": str(leaving.id),
        "receiving": str(case["other_coordinator"].id),
        "due_date": (TODAY + timedelta(days=30)).isoformat(),
        "note": "Vertrek per december",
    }
    confirm = browser.post_from(page, "/overdrachten/caseload-overdragen", values)
    html = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and "2 personen krijgen een overdracht" in html
    assert "1 persoon slaan we over" in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Handover)) == 1
    done = browser.post_from(
        confirm,
        "/overdrachten/caseload-overdragen",
        {**values, "confirmed": "ja", f"ontvanger-{extra[1].id}": str(third.id)},
    )
    assert done.status_code == 302
    made = list(db.session.scalars(sa.select(Handover).where(Handover.id != busy.id)))
    assert len(made) == 2
    assert {h.person_id for h in made} == {p.id for p in extra}
    assert all(h.status == s.AANGEBODEN and h.kind == s.COORDINATOR for h in made)
    assert all(h.from_user_id == leaving.id for h in made)
    receivers = {h.person_id: h.to_user_id for h in made}
    assert receivers == {extra[0].id: case["other_coordinator"].id, extra[1].id: third.id}
    assert made[0].note == "Vertrek per december"
    # Not for others than the procesregisseur.
    assert _login(app, leaving).get("/overdrachten/caseload-overdragen").status_code == 403


def test_region_list_and_the_selects_for_alerts(world, case, app, clock):
    offered = _plan(case)
    planned = _plan(case, s.COORDINATOR, offer=False)
    clock.advance(days=3)
    today = TODAY + timedelta(days=3)
    rows = db.session.execute(services.unanswered_handovers(today)).all()
    assert [r.id for r in rows] == [offered.id] and rows[0].offered_at.date() == TODAY
    assert db.session.execute(services.unanswered_handovers(today, days=3)).all()
    assert not db.session.execute(services.unanswered_handovers(today, days=4)).all()
    counts = dict(db.session.execute(services.open_handovers_per_person()).all())
    assert counts == {case["person"].id: 2}

    browser = _login(app, case["regisseur"])
    html = browser.get("/overdrachten/").get_data(as_text=True)
    assert "Overdrachtsma" in html and "2 nov 2026" in html
    assert html.index(str(offered.id)) < html.index(str(planned.id))  # unanswered first
    assert browser.get("/overdrachten/?status=alle&page=99").status_code == 200
    # The receiving ketenpartner sees its own offer only.
    partner_html = _login(app, case["partner"]).get("/overdrachten/").get_data(as_text=True)
    assert str(offered.id) in partner_html and str(planned.id) not in partner_html
    # The tab lists both, with the unanswered date.
    tab = browser.get(case["url"]).get_data(as_text=True)
    assert "onbeantwoord sinds" in tab and str(planned.id) in tab
    assert f"{offered.id}/accepteren" in tab and f"{offered.id}/intrekken" in tab
    assert f"{planned.id}/aanbieden" in tab and f"{planned.id}/accepteren" not in tab


def test_timeline_shows_the_handover(world, case, app):
    handover = _plan(case)
    _act(case, handover, "accept", actor=case["partner"])
    browser = _login(app, case["coordinator"])
    html = browser.get(f"/personen/{case['person'].id}/tijdlijn").get_data(as_text=True)
    assert "Andere organisatie aangeboden aan Reclassering Test" in html
    assert "Andere organisatie geaccepteerd door Reclassering Test" in html


def test_demo_seed(world, app, clock):
    from levensloop import demo
    from levensloop.auth.services import _seal_totp
    from levensloop.handovers.demo import seed_demo
    from levensloop.organisations.models import Region

    demo.seed(lambda user, secret: _seal_totp(user, "totp_secret", secret))
    region = db.session.scalar(sa.select(Region).where(Region.code == "demo-west"))
    # demo.seed seeds the handovers itself; a second call adds nothing.
    assert seed_demo(region, TODAY) == 0
    handovers = {h.status: h for h in db.session.scalars(sa.select(Handover))}
    assert set(handovers) == {s.AANGEBODEN, s.GEACCEPTEERD}
    offered = handovers[s.AANGEBODEN]
    assert offered.kind == s.TITEL and offered.predecessor_title_id is not None
    assert "(demo)" in offered.note
    accepted = handovers[s.GEACCEPTEERD]
    assert accepted.ticked == {"behandelhistorie", "levensloopplan", "netwerk_contacten"}
    trajectory = db.session.get(Trajectory, accepted.trajectory_id)
    assert trajectory.provider_organisation_id == accepted.to_organisation_id
