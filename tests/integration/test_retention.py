"""Retention: rules per region (versioned, unconfirmed defaults), the nightly draft of the
destruction list and its exclusions, the privacy officer's review (approve with confirmation,
extend, legal hold), crypto-shredding, the destruction report, monthly counts that do not
change, roles, regions, CSRF, the audit log, the timeline and the demo data."""

from __future__ import annotations

import contextvars
import csv
import io
import re
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

import levensloop.retention.jobs  # noqa: F401  (registers the night job for run-once)
from levensloop.audit.models import AuditEvent
from levensloop.auth.models import Role
from levensloop.db import local_today
from levensloop.extensions import db
from levensloop.inclusion import services as referrals
from levensloop.inclusion import states, table
from levensloop.inclusion.models import (
    InclusionDecision,
    InclusionMeeting,
    Referral,
    Trajectory,
)
from levensloop.keys.models import DataKey
from levensloop.organisations.models import Region
from levensloop.persons.models import Person
from levensloop.persons.services import PersonInput, create_person
from levensloop.privacy.models import RequestKind, RequestStatus, RightsRequest
from levensloop.retention import rules, services
from levensloop.retention.models import DestructionEntry, RetentionRule
from tests.conftest import Browser

TODAY = date(2026, 11, 2)  # the clock fixture's day
BASE = "/privacybeheer/bewaren"


# ---------------------------------------------------------------- month arithmetic (no database)


@pytest.mark.parametrize("months", [1, 2, 12, 13, 60])
def test_cutoff_is_the_last_trigger_whose_period_has_passed(months):
    """cutoff(today, m) is the largest d with add_months(d, m) <= today, for every day of
    two years (leap years and month ends included)."""
    day = date(2027, 12, 25)
    while day < date(2030, 3, 5):
        found = rules.cutoff(day, months)
        assert rules.add_months(found, months) <= day
        assert rules.add_months(found + timedelta(days=1), months) > day
        day += timedelta(days=1)


# ---------------------------------------------------------------- helpers


def _person(region, name="Bewaarsma"):
    return create_person(None, region, PersonInput(achternaam=name, voornamen="Testje"))


def _trajectory(person, included_on, exited_on=None, reason="stabiel"):
    trajectory = Trajectory(
        id=uuid.uuid4(),
        region_id=person.region_id,
        person_id=person.id,
        status=states.UITGESTROOMD if exited_on else states.IN_UITVOERING,
        included_on=included_on,
        exited_on=exited_on,
        exit_reason=reason if exited_on else None,
    )
    db.session.add(trajectory)
    db.session.commit()
    return trajectory


def _exited(region, name, exited_on, reason="stabiel"):
    person = _person(region, name)
    _trajectory(person, exited_on - timedelta(days=300), exited_on, reason)
    return person


def _organisation(world, region):
    return world.west_zvh if region is world.west else world.oost_zvh


def _referral(world, person, status, changed_on: date | None):
    referral = Referral(
        id=uuid.uuid4(),
        region_id=person.region_id,
        person_id=person.id,
        referrer_organisation_id=world.west_zvh.id,
        status=status,
        status_changed_at=(
            datetime(changed_on.year, changed_on.month, changed_on.day, 10, tzinfo=UTC)
            if changed_on
            else None
        ),
    )
    db.session.add(referral)
    referral.reason = "Aanmelding voor de bewaartest, lang genoeg"
    db.session.commit()
    return referral


def _not_included(world, person, held_on, chair):
    referral = _referral(world, person, states.NAAR_INCLUSIETAFEL, held_on)
    meeting = InclusionMeeting(
        id=uuid.uuid4(), region_id=person.region_id, held_on=held_on, chair_id=chair.id
    )
    db.session.add(meeting)
    db.session.flush()
    db.session.add(
        InclusionDecision(
            id=uuid.uuid4(),
            meeting_id=meeting.id,
            referral_id=referral.id,
            person_id=person.id,
            outcome=states.NIET_GEINCLUDEERD,
        )
    )
    db.session.commit()


def _request(person, status=RequestStatus.ONTVANGEN):
    db.session.add(
        RightsRequest(
            id=uuid.uuid4(),
            region_id=person.region_id,
            person_id=person.id,
            kind=RequestKind.INZAGE,
            status=status,
            received_on=local_today(),
            due_on=local_today() + timedelta(days=30),
        )
    )
    db.session.commit()


def _entries(**where):
    db.session.expire_all()
    query = sa.select(DestructionEntry)
    for key, value in where.items():
        query = query.where(getattr(DestructionEntry, key) == value)
    return list(db.session.scalars(query.order_by(DestructionEntry.proposed_at)))


def _entry_of(person, status=rules.VOORGESTELD):
    found = _entries(person_id=person.id, status=status)
    assert len(found) == 1, found
    return found[0]


def _invoke(app, *args):
    """A command as its own process would run it: a fresh context with this app only."""
    return contextvars.Context().run(app.test_cli_runner().invoke, args=list(args))


def _as(app, user):
    browser = Browser(app.test_client())
    browser.login(user)
    return browser


def _described(html: str, field_id: str) -> bool:
    """The field's error message exists and the field points at it (aria-describedby)."""
    return f'id="{field_id}-error"' in html and bool(
        re.search(rf'aria-describedby="[^"]*\b{re.escape(field_id)}-error"', html)
    )


@pytest.fixture
def officer(world, app, clock):
    user = world.user(Role.PRIVACY_OFFICER)
    return {"user": user, "browser": _as(app, user)}


# ---------------------------------------------------------------- the whole flow


@pytest.mark.asvs("V14.2.7")
def test_destruction_end_to_end_with_time_travel(world, app, clock):
    regisseur = world.user(Role.PROCESREGISSEUR)
    actor = regisseur.model
    # Referral, triage, the table includes, then the person exits.
    referral = referrals.refer(
        actor,
        world.west,
        PersonInput(achternaam="Vergetelaar", voornamen="Vera", bsn="999990019"),
        reason="Zorgen over wonen en veiligheid; meerdere ketens betrokken",
        criteria=["veiligheid"],
    )
    referrals.start_triage(actor, world.west, referral)
    referrals.record_triage(
        actor,
        world.west,
        referral,
        held_on=local_today(),
        participants="weegteam",
        outcome=states.NAAR_INCLUSIETAFEL,
        motivation="Agenderen voor de tafel",
    )
    meeting = table.create_meeting(
        actor, world.west, held_on=local_today(), attendees=[world.west_zvh.id]
    )
    table.decide(
        actor,
        world.west,
        meeting,
        referral,
        criteria={k: ("ja", "onderbouwing") for k in states.NATIONAL_CRITERIA},
        positions={str(world.west_zvh.id): "voor"},
        outcome=states.GEINCLUDEERD,
        motivation="Voldoet aan alle criteria",
    )
    person_id, referral_id = referral.person_id, referral.id
    trajectory = db.session.scalar(sa.select(Trajectory).where(Trajectory.person_id == person_id))
    clock.advance(days=40)
    table.exit_trajectory(actor, world.west, trajectory, reason="stabiel", on=local_today())
    trajectory_id = trajectory.id
    exit_day = local_today()
    due = rules.add_months(exit_day, 60)  # the unconfirmed default: 60 months after exit

    # The day before the period has passed: the job proposes nobody.
    clock.advance(days=(due - exit_day).days - 1)
    result = _invoke(
        app, "scheduler", "run-once", "vernietigingslijst-opstellen", "--period", str(local_today())
    )
    assert result.exit_code == 0 and "klaar" in result.output, result.output
    assert _entries() == []

    # The day it has passed: one proposal; the same night again and the next night add nothing.
    clock.advance(days=1)
    period = str(local_today())
    result = _invoke(
        app, "scheduler", "run-once", "vernietigingslijst-opstellen", "--period", period
    )
    assert result.exit_code == 0 and "1 voorgesteld" in result.output, result.output
    again = _invoke(
        app, "scheduler", "run-once", "vernietigingslijst-opstellen", "--period", period
    )
    assert "overgeslagen" in again.output
    assert services.draft_destruction_list(world.west, local_today()).added == 0
    clock.advance(days=1)
    next_night = _invoke(
        app, "scheduler", "run-once", "vernietigingslijst-opstellen", "--period", str(local_today())
    )
    assert "0 voorgesteld" in next_night.output, next_night.output
    entry = _entry_of(db.session.get(Person, person_id))
    assert entry.record_type == rules.PERSOON_NA_UITSTROOM and entry.rule_unconfirmed
    assert entry.trigger_date == exit_day and entry.due_since == due
    assert entry.proposed_by_id is None  # the night job

    # The privacy officer reviews: the list shows the tombstone id, not the name.
    browser = _as(app, world.user(Role.PRIVACY_OFFICER))
    listing = browser.get(f"{BASE}/").get_data(as_text=True)
    assert str(person_id) in listing and "Vergetelaar" not in listing
    assert "standaardwaarde of voorlopig" in listing and "Termijnen nog niet vastgesteld" in listing
    url = f"{BASE}/{entry.id}"
    page = browser.get(url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Vergetelaar" not in html
    assert f"/privacybeheer/toegang/{person_id}" in html
    confirm = browser.post_from(page, f"{url}/goedkeuren", {"version": str(entry.version)})
    assert confirm.status_code == 200
    assert "Weet u het zeker? Dit kan niet ongedaan worden gemaakt." in confirm.get_data(
        as_text=True
    )
    assert _entry_of(db.session.get(Person, person_id)).status == rules.VOORGESTELD  # not yet
    done = browser.post_from(
        confirm, f"{url}/goedkeuren", {"version": str(entry.version), "confirmed": "ja"}
    )
    assert done.status_code == 302 and done.headers["Location"].endswith(f"{BASE}/vernietigd")

    # Destroyed: the key is gone, nothing of the person can be read any more (a new session,
    # so no data key cached from before).
    west_id = world.west.id
    db.session.expire_all()
    db.session.info.pop("levensloop_key_source", None)
    west = db.session.get(Region, west_id)
    person = db.session.get(Person, person_id)
    assert person.is_shredded and person.achternaam is None and person.bsn_bidx is None
    assert person.region_id == west_id and person.created_at is not None  # tombstone
    assert db.session.get(DataKey, person_id).is_shredded
    assert db.session.get(Referral, referral_id).reason is None
    entry = _entry_of(person, rules.VERNIETIGD)
    assert entry.decided_by_id is not None and entry.destroyed_at is not None
    assert db.session.get(Trajectory, trajectory_id).exited_on == exit_day
    regisseur_view = _as(app, regisseur).get(f"/personen/{person_id}").get_data(as_text=True)
    assert "Vergetelaar" not in regisseur_view and "gegevens vernietigd" in regisseur_view

    # The report lists it, on screen and as CSV; the list no longer does.
    report = browser.get(f"{BASE}/vernietigd").get_data(as_text=True)
    assert str(person_id) in report and "Persoon na uitstroom" in report
    exported = browser.get(f"{BASE}/vernietigd?formaat=csv")
    assert exported.mimetype == "text/csv" and "Vergetelaar" not in exported.get_data(as_text=True)
    rows = list(
        csv.reader(io.StringIO(exported.get_data(as_text=True).lstrip("\ufeff")), delimiter=";")
    )
    assert len(rows) == 2 and rows[1][7] == str(person_id) and rows[1][2] == "60"
    assert str(person_id) not in browser.get(f"{BASE}/").get_data(as_text=True)
    # And the step is not repeatable.
    assert services.draft_destruction_list(west, local_today()).added == 0


# ---------------------------------------------------------------- exclusions


@pytest.mark.asvs("V14.2.7")
def test_every_exclusion_keeps_a_person_off_the_list(world, app, clock):
    chair = world.user(Role.PROCESREGISSEUR).model
    old_exit = date(2021, 6, 1)  # 60 months passed on 2026-06-01
    due = _exited(world.west, "Aandebeurt", old_exit)
    running = _exited(world.west, "Loopterweer", old_exit)
    _trajectory(running, date(2026, 9, 1))  # included again: a running trajectory
    referred = _exited(world.west, "Opnieuwaangemeld", old_exit)
    _referral(world, referred, states.IN_TRIAGE, date(2026, 10, 1))
    requested = _exited(world.west, "Verzoeker", old_exit)
    _request(requested)
    closed_request = _exited(world.west, "Afgehandeld", old_exit)
    _request(closed_request, RequestStatus.AFGEHANDELD)
    recent = _exited(world.west, "Pasweg", date(2022, 1, 1))  # due on 2027-01-01
    foreign = _exited(world.oost, "Oostelijk", old_exit)
    # Not included: 12 months (unconfirmed default) after the referral ended.
    niet_passend = _person(world.west, "Nietpassend")
    _referral(world, niet_passend, states.NIET_PASSEND, date(2025, 10, 1))
    too_soon = _person(world.west, "Anderroute")
    _referral(world, too_soon, states.ANDERE_ROUTE, date(2025, 12, 1))
    decided = _person(world.west, "Nietgeincludeerd")
    _not_included(world, decided, date(2025, 9, 15), chair)
    never_closed = _person(world.west, "Nooitafgesloten")  # registered, never referred

    result = services.draft_destruction_list(world.west, local_today())
    proposed = {e.person_id: e for e in _entries()}
    assert set(proposed) == {due.id, closed_request.id, niet_passend.id, decided.id}
    assert result.added == 4
    assert proposed[niet_passend.id].record_type == rules.PERSOON_NIET_GEINCLUDEERD
    assert proposed[niet_passend.id].trigger_date == date(2025, 10, 1)
    assert proposed[niet_passend.id].due_since == date(2026, 10, 1)
    assert proposed[decided.id].trigger_date == date(2025, 9, 15)
    assert proposed[due.id].due_since == date(2026, 6, 1)
    for person in (running, referred, requested, recent, foreign, too_soon, never_closed):
        assert person.id not in proposed

    # Legal hold and an extension that has not expired keep the person off too.
    officer = world.user(Role.PRIVACY_OFFICER).model
    services.place_hold(
        officer,
        world.west,
        proposed[due.id],
        reason="Lopende procedure bij de rechtbank",
        version=proposed[due.id].version,
    )
    services.extend(
        officer,
        world.west,
        proposed[decided.id],
        until=date(2027, 3, 1),
        reason="Nog nodig voor de evaluatie van de tafel",
        version=proposed[decided.id].version,
    )
    assert services.draft_destruction_list(world.west, local_today()).added == 0
    services.draft_destruction_list(world.west, date(2027, 2, 28))
    assert _entries(person_id=decided.id, status=rules.VOORGESTELD) == []
    # The day the extension ends the person comes back, due since the end of the extension.
    services.draft_destruction_list(world.west, date(2027, 3, 1))
    again = _entry_of(decided)
    assert again.due_since == date(2027, 3, 1)
    assert len(_entries(person_id=due.id)) == 1  # still only the held entry


def test_a_later_closed_referral_moves_the_trigger_after_exit(world, app, clock):
    person = _exited(world.west, "Laterweer", date(2021, 6, 1))
    _referral(world, person, states.NIET_PASSEND, date(2022, 3, 1))
    services.draft_destruction_list(world.west, local_today())
    assert _entries() == []  # 60 months from 2022-03-01
    services.draft_destruction_list(world.west, date(2027, 3, 1))
    entry = _entry_of(person)
    assert entry.trigger_date == date(2022, 3, 1) and entry.record_type == "persoon_na_uitstroom"


def test_the_job_withdraws_a_proposal_that_no_longer_holds(world, officer, app, clock):
    person = _exited(world.west, "Terugkeerder", date(2021, 6, 1))
    services.draft_destruction_list(world.west, local_today())
    entry = _entry_of(person)
    _request(person)  # a rights request arrives after the draft
    browser, url = officer["browser"], f"{BASE}/{entry.id}"
    page = browser.get(url)
    html = page.get_data(as_text=True)
    assert "er staat een verzoek van de betrokkene open" in html and "Goedkeuren…" not in html
    refused = browser.post_from(
        page, f"{url}/goedkeuren", {"version": str(entry.version), "confirmed": "ja"}
    )
    assert refused.status_code == 302
    followed = browser.get(url).get_data(as_text=True)
    assert "kan nu niet worden vernietigd" in followed
    assert not db.session.get(Person, person.id).is_shredded
    result = services.draft_destruction_list(world.west, local_today())
    assert (result.added, result.withdrawn) == (0, 1)
    withdrawn = _entry_of(person, rules.INGETROKKEN)
    assert withdrawn.withdrawn_code == rules.PENDING_REQUEST
    listing = browser.get(f"{BASE}/?status=ingetrokken").get_data(as_text=True)
    assert str(person.id) in listing


# ---------------------------------------------------------------- the review


def test_extend_and_legal_hold_through_the_screens(world, officer, app, clock):
    browser = officer["browser"]
    kept = _exited(world.west, "Verlengma", date(2021, 6, 1))
    held = _exited(world.west, "Blokkeer", date(2021, 5, 1))
    page = browser.get(f"{BASE}/")
    assert browser.post_from(page, f"{BASE}/opstellen", {}).status_code == 302
    entry = _entry_of(kept)
    url = f"{BASE}/{entry.id}"

    # Extend without a reason: refused at the field, nothing changes.
    page = browser.get(url)
    missing = browser.post_from(
        page, f"{url}/verlengen", {"until": "2027-06-01", "reason": "", "version": "1"}
    )
    html = missing.get_data(as_text=True)
    assert missing.status_code == 200 and _described(html, "verlengen-reden")
    assert "Er ging iets mis" in html
    short = browser.post_from(
        page, f"{url}/verlengen", {"until": "2027-06-01", "reason": "kort", "version": "1"}
    )
    assert "minstens 10 tekens" in short.get_data(as_text=True)
    past = browser.post_from(
        page,
        f"{url}/verlengen",
        {"until": "2026-01-01", "reason": "Nodig voor een klacht", "version": "1"},
    )
    assert _described(past.get_data(as_text=True), "verlengen-tot")
    far = browser.post_from(
        page,
        f"{url}/verlengen",
        {"until": "2040-01-01", "reason": "Nodig voor een klacht", "version": "1"},
    )
    assert "tien jaar" in far.get_data(as_text=True)
    assert _entry_of(kept).status == rules.VOORGESTELD

    # A stale form is a conflict.
    stale = browser.post_from(
        page,
        f"{url}/verlengen",
        {"until": "2027-06-01", "reason": "Nodig voor een klacht", "version": "7"},
    )
    assert stale.status_code == 409 and "intussen beoordeeld" in stale.get_data(as_text=True)

    done = browser.post_from(
        page,
        f"{url}/verlengen",
        {"until": "2027-06-01", "reason": "Nodig voor een lopende klacht", "version": "1"},
    )
    assert done.status_code == 302
    extended = _entry_of(kept, rules.VERLENGD)
    assert extended.extended_until == date(2027, 6, 1)
    assert extended.reason == "Nodig voor een lopende klacht"
    assert b"lopende klacht" not in extended.reason_enc
    assert extended.decided_by_id == officer["user"].id
    assert "Nodig voor een lopende klacht" in browser.get(url).get_data(as_text=True)

    # Legal hold: stays until lifted, then the person may be proposed again.
    hold_entry = _entry_of(held)
    hold_url = f"{BASE}/{hold_entry.id}"
    page = browser.get(hold_url)
    empty = browser.post_from(page, f"{hold_url}/blokkade", {"reason": "", "version": "1"})
    assert _described(empty.get_data(as_text=True), "blokkade-reden")
    placed = browser.post_from(
        page, f"{hold_url}/blokkade", {"reason": "Vordering van de rechtbank", "version": "1"}
    )
    assert placed.status_code == 302
    assert _entry_of(held, rules.JURIDISCHE_BLOKKADE)
    assert services.draft_destruction_list(world.west, local_today()).added == 0
    services.draft_destruction_list(world.west, date(2030, 1, 1))  # long after: still held
    assert _entries(person_id=held.id, status=rules.VOORGESTELD) == []
    page = browser.get(hold_url)
    assert "Juridische blokkade opheffen" in page.get_data(as_text=True)
    no_reason = browser.post_from(
        page, f"{hold_url}/blokkade-opheffen", {"reason": "", "version": "2"}
    )
    assert _described(no_reason.get_data(as_text=True), "opheffen-reden")
    lifted = browser.post_from(
        page,
        f"{hold_url}/blokkade-opheffen",
        {"reason": "De procedure is afgerond", "version": "2"},
    )
    assert lifted.status_code == 302
    assert _entry_of(held, rules.BLOKKADE_OPGEHEVEN).lift_reason == "De procedure is afgerond"
    services.draft_destruction_list(world.west, local_today())
    assert _entry_of(held).status == rules.VOORGESTELD

    # A decided entry cannot be decided again.
    again = browser.post_from(
        browser.get(url),
        f"{url}/blokkade",
        {"reason": "Toch maar blokkeren", "version": str(extended.version)},
    )
    assert again.status_code == 302
    assert "dat kan niet meer" in browser.get(url).get_data(as_text=True)
    assert _entry_of(kept, rules.VERLENGD)


# ---------------------------------------------------------------- roles, regions, CSRF


def _sample_entry(world, region=None):
    region = region or world.west
    person = _exited(region, "Steekproef", date(2021, 6, 1))
    services.draft_destruction_list(region, local_today())
    return _entry_of(person), person


@pytest.mark.parametrize("role", [Role.PROCESREGISSEUR, Role.FUNCTIONEEL_BEHEERDER])
@pytest.mark.asvs("V8.2.1")
def test_other_roles_are_refused(world, app, clock, role):
    entry, person = _sample_entry(world)
    browser = _as(app, world.user(role))
    token_page = browser.get("/account")
    for url in (
        f"{BASE}/",
        f"{BASE}/regels",
        f"{BASE}/regels/auditlog",
        f"{BASE}/vernietigd",
        f"{BASE}/vernietigd?formaat=csv",
        f"{BASE}/{entry.id}",
    ):
        assert browser.get(url).status_code == 403, url
    for action, data in (
        ("goedkeuren", {"version": "1", "confirmed": "ja"}),
        ("verlengen", {"until": "2027-06-01", "reason": "Nodig voor een klacht", "version": "1"}),
        ("blokkade", {"reason": "Vordering van de rechtbank", "version": "1"}),
        ("blokkade-opheffen", {"reason": "Vordering ingetrokken", "version": "1"}),
    ):
        assert browser.post_from(token_page, f"{BASE}/{entry.id}/{action}", data).status_code == 403
    assert browser.post_from(token_page, f"{BASE}/opstellen", {}).status_code == 403
    rule = browser.post_from(
        token_page, f"{BASE}/regels/auditlog", {"period_months": "24", "reason": "Zomaar anders"}
    )
    assert rule.status_code == 403
    assert _entry_of(person).status == rules.VOORGESTELD
    assert not db.session.get(Person, person.id).is_shredded
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RetentionRule)) == 0


@pytest.mark.asvs("V8.4.1")
def test_another_regions_entry_is_404(world, officer, app, clock):
    entry, person = _sample_entry(world, world.oost)
    browser = officer["browser"]
    token_page = browser.get("/account")
    assert browser.get(f"{BASE}/{entry.id}").status_code == 404
    assert browser.get(f"{BASE}/{uuid.uuid4()}").status_code == 404
    for action in ("goedkeuren", "verlengen", "blokkade", "blokkade-opheffen"):
        response = browser.post_from(
            token_page,
            f"{BASE}/{entry.id}/{action}",
            {"version": "1", "confirmed": "ja", "reason": "Iets met genoeg tekens"},
        )
        assert response.status_code == 404, action
    assert str(person.id) not in browser.get(f"{BASE}/?status=alle").get_data(as_text=True)
    assert _entry_of(person).status == rules.VOORGESTELD
    assert not db.session.get(Person, person.id).is_shredded
    assert browser.get(f"{BASE}/regels/onbekend").status_code == 404


@pytest.mark.asvs("V3.5.1")
def test_post_without_csrf_token_is_refused(world, officer, app, clock):
    entry, person = _sample_entry(world)
    client = officer["browser"].client
    approve = client.post(f"{BASE}/{entry.id}/goedkeuren", data={"version": "1", "confirmed": "ja"})
    assert approve.status_code == 400
    extend = client.post(
        f"{BASE}/{entry.id}/verlengen",
        data={"until": "2027-06-01", "reason": "Nodig voor een klacht", "version": "1"},
    )
    assert extend.status_code == 400
    assert client.post(f"{BASE}/opstellen").status_code == 400
    rule = client.post(
        f"{BASE}/regels/persoon_na_uitstroom",
        data={"period_months": "24", "reason": "Besluit van het bestuur", "version": "0"},
    )
    assert rule.status_code == 400
    assert _entry_of(person).status == rules.VOORGESTELD
    assert not db.session.get(Person, person.id).is_shredded


# ---------------------------------------------------------------- rules


def test_rules_are_edited_with_a_reason_versioned_and_audited(world, officer, app, clock):
    browser = officer["browser"]
    page = browser.get(f"{BASE}/regels").get_data(as_text=True)
    assert "standaardwaarde — door de privacy officer vast te stellen" in page
    assert "de Wgs-termijnen zijn nog niet" in page and "60 maanden" in page
    assert "deze lijst vernietigt het auditlogboek niet" in page
    url = f"{BASE}/regels/persoon_na_uitstroom"
    form = browser.get(url)
    assert 'value="60"' in form.get_data(as_text=True)
    for data, field_id in (
        ({"period_months": "36", "reason": "", "version": "0"}, "reason"),
        ({"period_months": "drie", "reason": "Besluit van het bestuur", "version": "0"}, None),
        ({"period_months": "0", "reason": "Besluit van het bestuur", "version": "0"}, None),
        (
            {
                "period_months": "60",
                "reason": "Besluit van het bestuur",
                "unconfirmed": "y",
                "version": "0",
            },
            None,
        ),
    ):
        response = browser.post_from(form, url, data)
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and _described(html, field_id or "period_months")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RetentionRule)) == 0

    saved = browser.post_from(
        form, url, {"period_months": "36", "reason": "Besluit van het bestuur 2026", "version": "0"}
    )
    assert saved.status_code == 302
    stale = browser.post_from(
        form, url, {"period_months": "48", "reason": "Besluit van het bestuur 2027", "version": "0"}
    )
    assert stale.status_code == 409
    second = browser.post_from(
        browser.get(url),
        url,
        {
            "period_months": "48",
            "reason": "Voorlopig, in afwachting van het BGS",
            "unconfirmed": "y",
            "version": "1",
        },
    )
    assert second.status_code == 302
    versions = list(db.session.scalars(sa.select(RetentionRule).order_by(RetentionRule.version_no)))
    assert [(r.version_no, r.period_months, r.default_unconfirmed) for r in versions] == [
        (1, 36, False),
        (2, 48, True),
    ]
    current = services.current_rules(world.west.id)
    assert (
        current["persoon_na_uitstroom"].months == 48 and current["persoon_na_uitstroom"].unconfirmed
    )
    assert services.current_rules(world.oost.id)["persoon_na_uitstroom"].is_default
    overview = browser.get(f"{BASE}/regels").get_data(as_text=True)
    assert "Besluit van het bestuur 2026" in overview and "voorlopige termijn" in overview
    events = list(
        db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.event_type == "bewaarregel_gewijzigd")
        )
    )
    assert len(events) == 2 and events[0].details["months"] in (36, 48)
    assert all("Besluit" not in str(e.details) for e in events)

    # The draft follows the region's rule: 48 months after an exit 50 months ago.
    person = _exited(world.west, "Korterma", rules.add_months(local_today(), -50))
    services.draft_destruction_list(world.west, local_today())
    entry = _entry_of(person)
    assert entry.period_months == 48 and entry.rule_id == versions[1].id and entry.rule_unconfirmed
    # A longer period afterwards withdraws the proposal that is no longer due.
    services.set_rule(
        officer["user"].model,
        world.west,
        "persoon_na_uitstroom",
        months=72,
        unconfirmed=False,
        reason="Besluit van het bestuur 2028",
        version=2,
    )
    services.draft_destruction_list(world.west, local_today())
    assert _entry_of(person, rules.INGETROKKEN).withdrawn_code == rules.NOT_DUE


# ---------------------------------------------------------------- counts, audit, timeline


def _month_counts(region_id, year, month):
    start = date(year, month, 1)
    end = rules.add_months(start, 1) - timedelta(days=1)
    at_end = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Trajectory)
        .where(
            Trajectory.region_id == region_id,
            Trajectory.included_on <= end,
            sa.or_(Trajectory.exited_on.is_(None), Trajectory.exited_on > end),
        )
    )
    inflow = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Trajectory)
        .where(Trajectory.region_id == region_id, Trajectory.included_on.between(start, end))
    )
    outflow = dict(
        db.session.execute(
            sa.select(Trajectory.exit_reason, sa.func.count())
            .where(Trajectory.region_id == region_id, Trajectory.exited_on.between(start, end))
            .group_by(Trajectory.exit_reason)
        ).all()
    )
    persons = db.session.scalar(
        sa.select(sa.func.count()).select_from(Person).where(Person.region_id == region_id)
    )
    return at_end, inflow, outflow, persons


def test_monthly_counts_are_unchanged_after_destruction(world, officer, app, clock):
    first = _person(world.west, "Telrij")
    _trajectory(first, date(2021, 10, 4), date(2021, 11, 1), "stabiel")
    second = _person(world.west, "Telrijtwee")
    _trajectory(second, date(2021, 10, 12), date(2021, 11, 20), "overleden")
    third = _person(world.west, "Telrijdrie")
    _trajectory(third, date(2021, 9, 1))  # still running
    before = {m: _month_counts(world.west.id, 2021, m) for m in (9, 10, 11)}
    assert before[11][2] == {"stabiel": 1, "overleden": 1}
    assert before[10][:2] == (3, 2)

    services.draft_destruction_list(world.west, local_today())
    entry = _entry_of(first)  # due 2026-11-01; the second is due 2026-11-20
    assert _entries(person_id=second.id) == []
    services.approve(officer["user"].model, world.west, entry, version=entry.version)
    db.session.expire_all()
    assert db.session.get(Person, first.id).is_shredded
    after = {m: _month_counts(world.west.id, 2021, m) for m in (9, 10, 11)}
    assert after == before


@pytest.mark.asvs("V16.2.5")
def test_audit_records_each_step_without_personal_data(world, officer, app, clock):
    person = _exited(world.west, "Spoorloos", date(2021, 6, 1))
    browser = officer["browser"]
    browser.post_from(browser.get(f"{BASE}/"), f"{BASE}/opstellen", {})
    entry = _entry_of(person)
    url = f"{BASE}/{entry.id}"
    page = browser.get(url)
    browser.post_from(page, f"{url}/goedkeuren", {"version": str(entry.version), "confirmed": "ja"})
    events = list(db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.chain_seq)))
    kinds = [(e.event_type, e.object_type) for e in events]
    assert ("vernietiging_voorgesteld", "vernietiging") in kinds
    assert ("vernietigingslijst_opgesteld", "vernietigingslijst") in kinds
    assert ("read", "vernietiging") in kinds and ("read", "vernietigingslijst") in kinds
    assert ("status_changed", "vernietiging") in kinds and ("shred", "person") in kinds
    step = next(e for e in events if e.event_type == "status_changed")
    assert step.details["to"] == "vernietigd" and step.actor_user_id == officer["user"].id
    assert step.person_id == person.id and step.categories == "proces"
    for event in events:
        assert "Spoorloos" not in str(event.details or "") and "Testje" not in str(event.details)


def test_timeline_shows_retention_steps_to_the_case(world, officer, app, clock):
    person = _exited(world.west, "Tijdlijnsma", date(2021, 6, 1))
    services.draft_destruction_list(world.west, local_today())
    entry = _entry_of(person)
    services.extend(
        officer["user"].model,
        world.west,
        entry,
        until=date(2027, 1, 15),
        reason="Nog nodig voor een klacht",
        version=entry.version,
    )
    regisseur = _as(app, world.user(Role.PROCESREGISSEUR))
    html = regisseur.get(f"/personen/{person.id}/tijdlijn").get_data(as_text=True)
    assert "Voorgesteld voor vernietiging" in html and "Bewaartermijn verlengd tot" in html
    assert "Nog nodig voor een klacht" not in html


def test_list_is_paged_and_runs_a_fixed_number_of_queries(world, officer, app, clock):
    from levensloop.extensions import db as database

    browser = officer["browser"]

    def queries(url) -> int:
        statements = []

        def count(*args):
            statements.append(args[2])

        sa.event.listen(database.engine, "before_cursor_execute", count)
        try:
            assert browser.get(url).status_code == 200
        finally:
            sa.event.remove(database.engine, "before_cursor_execute", count)
        return len(statements)

    for n in range(2):
        _exited(world.west, f"Lijst{n}", date(2021, 6, 1))
    services.draft_destruction_list(world.west, local_today())
    few = queries(f"{BASE}/")
    for n in range(2, 28):
        _exited(world.west, f"Lijst{n}", date(2021, 6, 1))
    services.draft_destruction_list(world.west, local_today())
    assert queries(f"{BASE}/") == few
    first = browser.get(f"{BASE}/").get_data(as_text=True)
    assert "Pagina 1 van 2 (28 resultaten)" in first
    assert "Voorgesteld (28)" in first
    links = re.compile(rf'href="{BASE}/[0-9a-f-]{{36}}"')
    assert len(links.findall(first)) == 25
    assert len(links.findall(browser.get(f"{BASE}/?page=2").get_data(as_text=True))) == 3


def test_cli_drafts_for_one_region_or_all(world, app, clock):
    person = _exited(world.west, "Opdrachtregel", date(2021, 6, 1))
    _exited(world.oost, "Oostregel", date(2021, 6, 1))
    result = _invoke(app, "retention", "draft", "--region", world.west.code)
    assert result.exit_code == 0 and "1 voorgesteld" in result.output, result.output
    assert _entry_of(person)
    result = _invoke(app, "retention", "draft")
    assert "2 regio's: 1 voorgesteld" in result.output, result.output
    assert _invoke(app, "retention", "draft", "--date", "2099-01-01").exit_code != 0
    assert _invoke(app, "retention", "draft", "--region", "onbekend").exit_code != 0


def test_demo_data(world, app, clock):
    from levensloop.retention.demo import OFFICER, seed_demo

    officer = world.user(Role.PRIVACY_OFFICER)
    officer.model.username = OFFICER
    db.session.commit()
    assert seed_demo(world.west, local_today()) == 3
    entries = _entries()
    assert sorted(e.status for e in entries) == [
        rules.JURIDISCHE_BLOKKADE,
        rules.VOORGESTELD,
        rules.VOORGESTELD,
    ]
    assert {e.record_type for e in entries} == set(rules.PERSON_TYPES)
    names = {db.session.get(Person, e.person_id).notities for e in entries}
    assert all("(demo)" in n for n in names)
    assert seed_demo(world.west, local_today()) == 0  # once
