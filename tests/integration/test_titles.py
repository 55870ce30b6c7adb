"""Legal titles, placements, refusals and the carrousel signal: the state machine, the date
rules on the screen, the categories per role, ids per person, bad input, CSRF, the audit log,
the selects for the overviews, encryption at rest, the timeline and the demo data."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from levensloop.audit.models import AuditEvent
from levensloop.auth.models import Role
from levensloop.db import local_today
from levensloop.errors import DomainError, NotAllowed, TransitionNotAllowed
from levensloop.extensions import db
from levensloop.organisations.models import Organisation, OrganisationType
from levensloop.persons.models import Person
from levensloop.persons.services import PersonInput, create_person
from levensloop.sharing.models import CaseAssignment, CaseParticipant
from levensloop.titles import rules, services
from levensloop.titles.models import (
    LegalTitle,
    Placement,
    PlacementRefusal,
    TitleExtension,
    TitleType,
)
from levensloop.titles.states import (
    ACTIEF,
    BEEINDIGD,
    GEPLAND,
    TITLE,
    VERLENGD,
    VERVALLEN,
    VOORWAARDELIJK_BEEINDIGD,
)
from tests.conftest import Browser

TODAY = date(2026, 11, 2)  # the clock fixture's day


@pytest.fixture
def case(world, app, clock):
    services.ensure_title_types()
    person = create_person(None, world.west, PersonInput(achternaam="Titelmans", voornamen="Ties"))
    coordinator = world.user(Role.LEVENSLOOPCOORDINATOR, organisation=world.west_ggz)
    _assign(person, coordinator, "coordinator")
    browser = Browser(app.test_client())
    browser.login(coordinator)
    return {
        "person": person,
        "coordinator": coordinator,
        "browser": browser,
        "url": f"/personen/{person.id}/titels",
    }


def _assign(person, user, role):
    db.session.add(
        CaseAssignment(person_id=person.id, user_id=user.id, role=role, start_date=local_today())
    )
    db.session.commit()


def _participate(person, organisation):
    participant = CaseParticipant(
        id=uuid.uuid4(),
        person_id=person.id,
        organisation_id=organisation.id,
        legal_basis="wgs",
        start_date=local_today(),
    )
    db.session.add(participant)
    participant.purpose = "Deelname voor de titeltest"
    db.session.commit()


def _organisation(world, name, type_):
    organisation = Organisation(region_id=world.west.id, name=name, type=type_)
    db.session.add(organisation)
    db.session.commit()
    return organisation


def _title(person, code, start, *, status=ACTIEF, expected_end=None, region_id=None, **texts):
    title_type = db.session.get(TitleType, code)
    title = LegalTitle(
        id=uuid.uuid4(),
        person_id=person.id,
        region_id=region_id or person.region_id,
        type_code=code,
        status=status,
        start_date=start,
        expected_end=expected_end or rules.expected_end(title_type, start),
        maximum_end=rules.maximum_end(title_type, start),
    )
    db.session.add(title)
    title.conditions = texts.get("conditions")
    db.session.commit()
    return title


def _placement(person, start, end=None, provider="Kliniek Test"):
    placement = Placement(
        id=uuid.uuid4(),
        person_id=person.id,
        region_id=person.region_id,
        setting="klinisch",
        security_level=2,
        start_date=start,
        end_date=end,
    )
    db.session.add(placement)
    placement.provider_name = provider
    db.session.commit()
    return placement


def _refusal(person, on, provider="Aanbieder Test", reason="Geen plek beschikbaar"):
    refusal = PlacementRefusal(
        id=uuid.uuid4(),
        person_id=person.id,
        region_id=person.region_id,
        setting="beschermd_wonen",
        security_level=0,
        refused_on=on,
    )
    db.session.add(refusal)
    refusal.provider_name, refusal.reason = provider, reason
    db.session.commit()
    return refusal


def _count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _fresh(title) -> LegalTitle:
    db.session.expire_all()
    return db.session.get(LegalTitle, title.id)


def _described(html: str, field_id: str) -> bool:
    """The field's error message exists and the field points at it (aria-describedby)."""
    return f'id="{field_id}-error"' in html and bool(
        re.search(rf'aria-describedby="[^"]*\b{re.escape(field_id)}-error"', html)
    )


def _user(case):
    return case["coordinator"].model


# ---------------------------------------------------------------- the state machine


@pytest.mark.asvs("V2.3.1")
def test_every_title_transition_follows_the_machine(world, case):
    """Every (from, to) pair: allowed ones change the status (and stamp it), forbidden ones
    are refused with a Dutch message and change nothing."""
    person, actor = case["person"], _user(case)
    for current in TITLE.labels:
        for target in TITLE.labels:
            title = _title(person, "tbs_voorwaarden", date(2025, 1, 10), status=current)
            before = _count(AuditEvent)
            try:
                if target == VERLENGD:
                    services.extend_title(
                        actor,
                        world.west,
                        person,
                        title.id,
                        new_end=title.expected_end + timedelta(days=365),
                        decided_on=TODAY,
                    )
                else:
                    services.change_status(
                        actor, world.west, person, title.id, target=target, on=TODAY
                    )
            except DomainError as error:
                db.session.rollback()
                allowed = False
                assert error.message, (current, target)
                if target not in (VERLENGD, GEPLAND) and current in TITLE.allowed:
                    assert isinstance(error, TransitionNotAllowed), (current, target)
            else:
                allowed = True
            fresh = _fresh(title)
            expected = TITLE.can(current, target) and target != GEPLAND
            if current == VOORWAARDELIJK_BEEINDIGD and target == VERLENGD:
                # not a transition: the extension is recorded, the status stays conditional
                assert allowed and fresh.status == current and fresh.extensions
                continue
            assert allowed == expected, (current, target)
            if allowed:
                assert fresh.status == target and fresh.status_changed_at is not None
                assert _count(AuditEvent) > before
            else:
                assert fresh.status == current and _count(AuditEvent) == before, (current, target)
    assert TITLE.final(BEEINDIGD) and TITLE.final(VERVALLEN)
    assert not TITLE.can(GEPLAND, VERLENGD) and TITLE.can(GEPLAND, VERVALLEN)


def test_herleving_and_extending_a_voorwaardelijke_beeindiging(world, case):
    person, actor = case["person"], _user(case)
    title = _title(person, "tbs_dwangverpleging_gemaximeerd", date(2025, 1, 10))
    services.change_status(
        actor, world.west, person, title.id, target=VOORWAARDELIJK_BEEINDIGD, on=TODAY
    )
    assert _fresh(title).conditionally_ended_on == TODAY
    services.extend_title(
        actor, world.west, person, title.id, new_end=date(2027, 6, 1), decided_on=TODAY
    )
    fresh = _fresh(title)
    assert fresh.status == VOORWAARDELIJK_BEEINDIGD and fresh.expected_end == date(2027, 6, 1)
    services.change_status(actor, world.west, person, title.id, target=ACTIEF)
    fresh = _fresh(title)
    assert fresh.status == ACTIEF and fresh.conditionally_ended_on is None
    # the maximum of gemaximeerde tbs still counts from the original start
    assert fresh.maximum_end == date(2029, 1, 9)
    open_ended = _title(person, "vrijwillig", date(2026, 1, 1))
    with pytest.raises(DomainError, match="geen einddatum"):
        services.extend_title(
            actor, world.west, person, open_ended.id, new_end=date(2027, 1, 1), decided_on=TODAY
        )
    db.session.rollback()
    assert not _fresh(open_ended).extensions


# ---------------------------------------------------------------- date rules on the screen


def test_new_zorgmachtiging_gets_the_wvggz_end_and_starts_active(world, case):
    browser, url = case["browser"], case["url"]
    response = browser.post_form(
        url,
        {
            "titel-title_type": "wvggz_zorgmachtiging",
            "titel-start_date": "2026-08-31",
            "titel-financier": "zorgverzekeraar",
            "titel-supervisor": "geen",
            "titel-conditions": "Medicatie onder toezicht",
        },
        action=f"{url}/nieuw-titel",
    )
    assert response.status_code == 302
    title = db.session.scalar(sa.select(LegalTitle))
    assert title.status == ACTIEF
    assert title.expected_end == date(2027, 2, 28)  # 31 August + 6 months, Wvggz rule
    assert title.maximum_end is None
    html = browser.get(url).get_data(as_text=True)
    assert "Wvggz zorgmachtiging" in html and "Medicatie onder toezicht" in html
    assert "te bevestigen" in html  # the 6-month default is not yet confirmed (K)
    assert "geen wettelijk maximum" in html


def test_tbs_maxima_and_a_planned_title(world, case):
    browser, url = case["browser"], case["url"]
    for code, start in (
        ("tbs_dwangverpleging_gemaximeerd", "2024-03-10"),
        ("tbs_voorwaarden", "2026-12-01"),
    ):
        response = browser.post_form(
            url,
            {"titel-title_type": code, "titel-start_date": start},
            action=f"{url}/nieuw-titel",
        )
        assert response.status_code == 302
    titles = {t.type_code: t for t in db.session.scalars(sa.select(LegalTitle))}
    gemaximeerd = titles["tbs_dwangverpleging_gemaximeerd"]
    assert gemaximeerd.expected_end == date(2026, 3, 9)
    assert gemaximeerd.maximum_end == date(2028, 3, 9)  # 4 years
    planned = titles["tbs_voorwaarden"]
    assert planned.status == GEPLAND  # starts in the future
    assert planned.maximum_end == date(2035, 11, 30)  # 9 years


@pytest.mark.asvs("V2.2.3")
def test_expected_end_after_the_maximum_is_refused(world, case):
    browser, url = case["browser"], case["url"]
    response = browser.post_form(
        url,
        {
            "titel-title_type": "pij",
            "titel-start_date": "2025-06-01",
            "titel-expected_end": "2033-01-01",
        },
        action=f"{url}/nieuw-titel",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "na de maximale einddatum" in html
    assert _described(html, "titel-expected_end")
    assert _count(LegalTitle) == 0


@pytest.mark.asvs("V2.2.3")
def test_extension_beyond_the_maximum_is_refused(world, case):
    browser, url = case["browser"], case["url"]
    title = _title(case["person"], "tbs_dwangverpleging_gemaximeerd", date(2024, 3, 10))
    ext_url = f"{url}/{title.id}/verlenging"
    page = browser.get(ext_url)
    assert page.status_code == 200
    assert 'value="2027-03-09"' in page.get_data(as_text=True)  # one step proposed
    refused = browser.post_from(
        page,
        ext_url,
        {"new_end": "2028-06-01", "decided_on": "2026-10-20", "version": str(title.version)},
    )
    html = refused.get_data(as_text=True)
    assert refused.status_code == 200 and "Verlengen tot" in html and "9 maart 2028" in html
    assert _described(html, "new_end")
    assert _count(TitleExtension) == 0 and _fresh(title).expected_end == date(2026, 3, 9)
    done = browser.post_from(
        page,
        ext_url,
        {
            "new_end": "2028-03-09",
            "decided_on": "2026-10-20",
            "note": "Verlengd op vordering",
            "version": str(title.version),
        },
    )
    assert done.status_code == 302
    fresh = _fresh(title)
    assert fresh.status == VERLENGD and fresh.expected_end == date(2028, 3, 9)
    extension = db.session.scalar(sa.select(TitleExtension))
    assert extension.previous_end == date(2026, 3, 9) and extension.note == "Verlengd op vordering"
    assert "Verlengd op vordering" in browser.get(url).get_data(as_text=True)


def test_ending_a_title_asks_for_confirmation_first(world, case):
    browser, url = case["browser"], case["url"]
    title = _title(case["person"], "wvggz_zorgmachtiging", date(2026, 6, 1))
    status_url = f"{url}/{title.id}/status"
    page = browser.get(status_url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'value="beeindigd"' in html
    asked = browser.post_from(
        page,
        status_url,
        {"status": "beeindigd", "on": "2026-10-30", "version": str(title.version)},
    )
    html = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "Weet u zeker" in html and 'value="ja"' in html
    assert _fresh(title).status == ACTIEF
    done = browser.post_from(
        asked,
        status_url,
        {
            "status": "beeindigd",
            "on": "2026-10-30",
            "version": str(title.version),
            "confirmed": "ja",
        },
    )
    assert done.status_code == 302
    fresh = _fresh(title)
    assert fresh.status == BEEINDIGD and fresh.ended_on == date(2026, 10, 30)
    closed = browser.get(status_url).get_data(as_text=True)
    assert "kan niet meer veranderen" in closed


@pytest.mark.asvs("V15.4.2")
def test_stale_status_change_is_a_conflict(world, case):
    browser, url = case["browser"], case["url"]
    title = _title(case["person"], "wvggz_zorgmachtiging", date(2026, 6, 1))
    status_url = f"{url}/{title.id}/status"
    page = browser.get(status_url)
    response = browser.post_from(
        page,
        status_url,
        {"status": "voorwaardelijk_beeindigd", "version": str(title.version + 5)},
    )
    assert response.status_code == 409 and "intussen gewijzigd" in response.get_data(as_text=True)
    assert _fresh(title).status == ACTIEF


# ---------------------------------------------------------------- bad input, CSRF, ids


@pytest.mark.asvs("V2.2.1", "V2.3.3")
def test_bad_input_gives_field_errors_and_changes_nothing(world, case):
    browser, url = case["browser"], case["url"]
    cases = [
        (f"{url}/nieuw-titel", {}, "Kies het soort titel.", "titel-title_type"),
        (
            f"{url}/nieuw-titel",
            {"titel-title_type": "pij", "titel-start_date": "31-02-2026"},
            "Vul een geldige datum in",
            "titel-start_date",
        ),
        (
            f"{url}/nieuw-titel",
            {"titel-title_type": "onzin", "titel-start_date": "2026-01-01"},
            "Kies een soort titel uit de lijst.",
            "titel-title_type",
        ),
        (
            f"{url}/nieuw-titel",
            {
                "titel-title_type": "wlz_indicatie",
                "titel-start_date": "2026-01-01",
                "titel-expected_end": "2025-01-01",
            },
            "voor de begindatum",
            "titel-expected_end",
        ),
        (
            f"{url}/nieuw-titel",
            {"titel-title_type": "pij", "titel-start_date": "1900-01-01"},
            "Kies een datum tussen",
            "titel-start_date",
        ),
        (
            f"{url}/plaatsing",
            {
                "plaatsing-setting": "klinisch",
                "plaatsing-security_level": "2",
                "plaatsing-start_date": "2026-10-01",
            },
            "vul de naam van de aanbieder in",
            "plaatsing-provider_name",
        ),
        (
            f"{url}/plaatsing",
            {
                "plaatsing-provider_name": "Kliniek X",
                "plaatsing-setting": "klinisch",
                "plaatsing-security_level": "9",
                "plaatsing-start_date": "2026-10-01",
            },
            "Kies uit de lijst.",
            "plaatsing-security_level",
        ),
        (
            f"{url}/plaatsing",
            {
                "plaatsing-provider_name": "Kliniek X",
                "plaatsing-setting": "klinisch",
                "plaatsing-security_level": "0",
                "plaatsing-start_date": "2026-10-01",
                "plaatsing-end_date": "2026-09-01",
            },
            "De einddatum ligt voor de begindatum.",
            "plaatsing-end_date",
        ),
        (
            f"{url}/weigering",
            {
                "weigering-provider_name": "Kliniek X",
                "weigering-setting": "klinisch",
                "weigering-security_level": "3",
                "weigering-refused_on": "2026-10-01",
            },
            "Beschrijf de reden van de weigering.",
            "weigering-reason",
        ),
        (
            f"{url}/weigering",
            {
                "weigering-provider_name": "Kliniek X",
                "weigering-setting": "klinisch",
                "weigering-security_level": "3",
                "weigering-refused_on": "2027-10-01",
                "weigering-reason": "Geen plaats",
            },
            "niet in de toekomst",
            "weigering-refused_on",
        ),
    ]
    for action, data, message, field_id in cases:
        response = browser.post_form(url, data, action=action)
        html = response.get_data(as_text=True)
        assert response.status_code == 200, (action, data)
        assert message in html, (message, html[-4000:])
        assert _described(html, field_id), field_id
        assert "Er ging iets mis" in html
    assert _count(LegalTitle) == _count(Placement) == _count(PlacementRefusal) == 0


@pytest.mark.asvs("V3.5.1")
def test_post_without_csrf_token_is_refused(world, case):
    browser, url = case["browser"], case["url"]
    response = browser.client.post(
        f"{url}/nieuw-titel",
        data={"titel-title_type": "pij", "titel-start_date": "2026-01-01"},
    )
    assert response.status_code == 400
    response = browser.client.post(
        f"{url}/weigering",
        data={
            "weigering-provider_name": "Kliniek X",
            "weigering-setting": "klinisch",
            "weigering-security_level": "3",
            "weigering-refused_on": "2026-10-01",
            "weigering-reason": "Geen plaats",
        },
    )
    assert response.status_code == 400
    assert _count(LegalTitle) == _count(PlacementRefusal) == 0


@pytest.mark.asvs("V8.4.1")
def test_another_regions_person_is_404(world, case):
    foreign = create_person(None, world.oost, PersonInput(achternaam="Oostelijk"))
    browser = case["browser"]
    base = f"/personen/{foreign.id}/titels"
    assert browser.get(base).status_code == 404
    assert browser.post_form(case["url"], {}, action=f"{base}/nieuw-titel").status_code == 404
    assert browser.get(f"{base}/{uuid.uuid4()}/status").status_code == 404


@pytest.mark.asvs("V8.2.2")
def test_ids_of_another_person_are_404(world, case):
    browser, url, person = case["browser"], case["url"], case["person"]
    other = create_person(None, world.west, PersonInput(achternaam="Anderman"))
    _assign(other, case["coordinator"], "coordinator")
    title = _title(other, "pij", date(2025, 6, 1))
    placement = _placement(other, date(2026, 9, 1))
    assert browser.get(f"{url}/{title.id}/status").status_code == 404
    assert browser.get(f"{url}/{title.id}/verlenging").status_code == 404
    assert browser.get(f"{url}/plaatsing/{placement.id}/einde").status_code == 404
    response = browser.post_form(
        url,
        {"status": "beeindigd", "confirmed": "ja", "version": str(title.version)},
        action=f"{url}/{title.id}/status",
    )
    assert response.status_code == 404
    response = browser.post_form(
        url,
        {"end_date": "2026-10-01", "version": "1"},
        action=f"{url}/plaatsing/{placement.id}/einde",
    )
    assert response.status_code == 404
    assert _fresh(title).status == ACTIEF and _fresh(title).person_id != person.id
    db.session.expire_all()
    assert db.session.get(Placement, placement.id).end_date is None
    # and the owner's own URL works
    other_url = f"/personen/{other.id}/titels"
    assert browser.get(f"{other_url}/plaatsing/{placement.id}/einde").status_code == 200


# ---------------------------------------------------------------- categories per role


@pytest.fixture
def filled(world, case):
    """A tbs (justitie), a zorgmachtiging (zorg), a Wmo beschikking (sociaal), a placement and a
    refusal (zorg), each with a sentinel text."""
    person = case["person"]
    _title(person, "tbs_voorwaarden", date(2025, 2, 1), conditions="Justitie-sentinel-tbs")
    _title(person, "wvggz_zorgmachtiging", date(2026, 9, 1), conditions="Zorg-sentinel-zm")
    _title(
        person,
        "wmo_beschermd_wonen",
        date(2026, 1, 1),
        expected_end=date(2027, 12, 31),
        conditions="Sociaal-sentinel-wmo",
    )
    _placement(person, date(2026, 3, 1), provider="Zorg-sentinel-kliniek")
    _refusal(person, date(2026, 4, 1), provider="Zorg-sentinel-weigeraar")
    return case


SENTINELS = {
    "justitie": ("Justitie-sentinel-tbs", "Tbs met voorwaarden"),
    "zorg": ("Zorg-sentinel-zm", "Zorg-sentinel-kliniek", "Zorg-sentinel-weigeraar"),
    "sociaal": ("Sociaal-sentinel-wmo",),
}


def _visible(html) -> set[str]:
    return {c for c, texts in SENTINELS.items() if all(t in html for t in texts)}


def _absent(html) -> set[str]:
    return {c for c, texts in SENTINELS.items() if not any(t in html for t in texts)}


def _as(app, clock, user):
    browser = Browser(app.test_client())
    clock.advance(seconds=31)  # a fresh TOTP code for every login
    browser.login(user)
    return browser


@pytest.mark.asvs("V8.2.3")
def test_tab_shows_only_the_categories_a_role_may_see(world, filled, app, clock):
    person, url = filled["person"], filled["url"]
    html = filled["browser"].get(url).get_data(as_text=True)
    assert _visible(html) == {"justitie", "zorg", "sociaal"}
    assert "Titel toevoegen" in html and "Plaatsing toevoegen" in html

    om = _organisation(world, "OM Titeltest", OrganisationType.OM)
    _participate(person, om)
    html = _as(app, clock, world.user(Role.KETENPARTNER, organisation=om)).get(url)
    html = html.get_data(as_text=True)
    assert _visible(html) == {"justitie"} and _absent(html) == {"zorg", "sociaal"}
    assert "Behandelgeschiedenis" not in html and "Titel toevoegen" not in html

    gemeente = _organisation(world, "Gemeente Titeltest", OrganisationType.GEMEENTE)
    regisseur = world.user(Role.CASUSREGISSEUR, organisation=gemeente)
    _assign(person, regisseur, "casusregisseur")
    html = _as(app, clock, regisseur).get(url).get_data(as_text=True)
    assert _visible(html) == {"sociaal"} and _absent(html) == {"justitie", "zorg"}

    woning = _organisation(world, "Woonstichting Titeltest", OrganisationType.WONINGCORPORATIE)
    _participate(person, woning)
    html = _as(app, clock, world.user(Role.KETENPARTNER, organisation=woning)).get(url)
    html = html.get_data(as_text=True)
    assert _absent(html) == {"justitie", "zorg"} and "Tbs met voorwaarden" not in html

    zorgverzekeraar = _organisation(
        world, "Verzekeraar Titeltest", OrganisationType.ZORGVERZEKERAAR
    )
    _participate(person, zorgverzekeraar)
    html = _as(app, clock, world.user(Role.KETENPARTNER, organisation=zorgverzekeraar)).get(url)
    html = html.get_data(as_text=True)
    assert _visible(html) == {"zorg"} and _absent(html) == {"justitie", "sociaal"}

    reads = {
        e.categories
        for e in db.session.scalars(
            sa.select(AuditEvent).where(
                AuditEvent.event_type == "read", AuditEvent.object_type == "titels"
            )
        )
    }
    assert "justitie,proces,sociaal,zorg" in reads  # the coördinator
    assert "justitie,proces" in reads  # the OM
    assert "proces,sociaal" in reads  # the gemeente
    assert "proces,zorg" in reads  # the zorgverzekeraar


def test_partner_without_the_grant_cannot_open_or_write_a_title(world, filled, app, clock):
    person, url = filled["person"], filled["url"]
    tbs = db.session.scalar(sa.select(LegalTitle).where(LegalTitle.type_code == "tbs_voorwaarden"))
    woning = _organisation(world, "Woonstichting Schrijf", OrganisationType.WONINGCORPORATIE)
    _participate(person, woning)
    partner = _as(app, clock, world.user(Role.KETENPARTNER, organisation=woning))
    assert partner.get(f"{url}/{tbs.id}/status").status_code == 403
    response = partner.post_form(
        url,
        {"titel-title_type": "pij", "titel-start_date": "2026-01-01"},
        action=f"{url}/nieuw-titel",
    )
    assert response.status_code == 403
    assert _count(LegalTitle) == 3


@pytest.mark.asvs("V8.2.3")
def test_writing_a_category_one_may_not_see_is_403(world, case, monkeypatch):
    """Someone with the right to update but without `justitie` and `zorg` (a region could
    configure that) may not record a tbs or a placement."""
    from levensloop.sharing import policy
    from levensloop.sharing.categories import Category

    limited = policy.Access(
        frozenset({Category.IDENTITEIT, Category.PROCES, Category.SOCIAAL}),
        can_update=True,
        via=("caseload",),
    )
    tbs = _title(case["person"], "tbs_voorwaarden", date(2025, 2, 1))
    monkeypatch.setattr(policy, "_decide", lambda *args: limited)
    browser, url = case["browser"], case["url"]
    assert browser.get(f"{url}/{tbs.id}/status").status_code == 403
    assert browser.get(f"{url}/{tbs.id}/verlenging").status_code == 403
    page = browser.get(url).get_data(as_text=True)
    assert "Tbs met voorwaarden" not in page and "Wmo-beschikking beschermd wonen" in page
    response = browser.post_form(
        url,
        {"titel-title_type": "tbs_voorwaarden", "titel-start_date": "2026-01-01"},
        action=f"{url}/nieuw-titel",
    )
    assert response.status_code == 403
    with pytest.raises(NotAllowed):
        services.add_placement(
            _user(case),
            world.west,
            case["person"],
            provider_name="Kliniek",
            setting="klinisch",
            security_level=1,
            start_date=TODAY,
        )
    db.session.rollback()
    assert _count(LegalTitle) == 1 and _count(Placement) == 0


# ---------------------------------------------------------------- audit


@pytest.mark.asvs("V16.2.5")
def test_changes_and_reads_are_audited_without_personal_text(world, case):
    browser, url = case["browser"], case["url"]
    browser.post_form(
        url,
        {
            "titel-title_type": "tbs_voorwaarden",
            "titel-start_date": "2025-02-01",
            "titel-conditions": "Geheime-voorwaarde-789",
        },
        action=f"{url}/nieuw-titel",
    )
    browser.post_form(
        url,
        {
            "plaatsing-provider_name": "Geheime-kliniek-456",
            "plaatsing-setting": "klinisch",
            "plaatsing-security_level": "3",
            "plaatsing-start_date": "2026-10-01",
        },
        action=f"{url}/plaatsing",
    )
    browser.post_form(
        url,
        {
            "weigering-provider_name": "Geheime-weigeraar-123",
            "weigering-setting": "klinisch",
            "weigering-security_level": "3",
            "weigering-refused_on": "2026-10-10",
            "weigering-reason": "Geheime-reden-000",
        },
        action=f"{url}/weigering",
    )
    events = list(db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.chain_seq)))
    kinds = {(e.event_type, e.object_type, e.categories) for e in events}
    assert ("create", "titel", "justitie") in kinds
    assert ("status_changed", "titel", "proces") in kinds
    assert ("create", "plaatsing", "zorg") in kinds
    assert ("create", "weigering", "zorg") in kinds
    assert any(e.event_type == "read" and e.object_type == "titels" for e in events)
    person_id = case["person"].id
    assert all(e.person_id == person_id for e in events if e.object_type in ("titel", "plaatsing"))
    dump = repr([(e.details, e.object_id, e.categories) for e in events])
    assert "Geheime" not in dump


# ---------------------------------------------------------------- signals for the overviews


def test_carrousel_flag_and_person_ids(world, case):
    person = case["person"]
    calm = create_person(None, world.west, PersonInput(achternaam="Rustig"))
    edge = create_person(None, world.west, PersonInput(achternaam="Randgeval"))
    _placement(person, date(2026, 1, 5), date(2026, 3, 1))
    _refusal(person, date(2026, 4, 1))
    assert not services.is_carrousel(person.id, TODAY)
    _placement(person, date(2026, 10, 1))
    assert services.is_carrousel(person.id, TODAY)
    assert services.carrousel_count(person.id, TODAY) == 3
    # exactly twelve months ago does not count; a future placement does not count yet
    _placement(edge, date(2025, 11, 2))
    _refusal(edge, date(2026, 2, 1))
    _refusal(edge, date(2026, 6, 1))
    _placement(edge, date(2026, 12, 1))
    _placement(calm, date(2024, 1, 1))
    assert not services.is_carrousel(edge.id, TODAY)
    assert services.is_carrousel(edge.id, date(2026, 12, 1))
    flagged = set(
        db.session.scalars(
            sa.select(Person.id).where(Person.id.in_(services.carrousel_person_ids(TODAY)))
        )
    )
    assert flagged == {person.id}
    later = set(db.session.scalars(services.carrousel_person_ids(date(2026, 12, 1))))
    assert later == {person.id, edge.id}
    html = case["browser"].get(case["url"]).get_data(as_text=True)
    assert "Carrousel" in html and "3 plaatsingen en weigeringen" in html


def test_titles_ending_within(world, case):
    person = case["person"]
    second = create_person(None, world.west, PersonInput(achternaam="Tweede"))
    third = create_person(None, world.west, PersonInput(achternaam="Derde"))
    foreign = create_person(None, world.oost, PersonInput(achternaam="Oost"))
    start = date(2026, 1, 1)
    _title(person, "wlz_indicatie", start, expected_end=date(2027, 1, 20))
    _title(person, "tbs_voorwaarden", start, expected_end=date(2026, 12, 1))
    _title(person, "pij", start, expected_end=date(2026, 11, 10), status=BEEINDIGD)
    _title(second, "wvggz_zorgmachtiging", start, expected_end=TODAY, status=VERLENGD)
    _title(third, "vrijwillig", start, expected_end=date(2027, 3, 1))  # beyond 90 days
    _title(third, "wlz_indicatie", start, expected_end=date(2026, 10, 1))  # passed
    _title(foreign, "wlz_indicatie", start, expected_end=date(2026, 12, 24))
    rows = dict(db.session.execute(services.titles_ending_within(TODAY)).all())
    assert rows == {
        person.id: date(2026, 12, 1),
        second.id: TODAY,
        foreign.id: date(2026, 12, 24),
    }
    zorg_only = dict(
        db.session.execute(
            services.titles_ending_within(TODAY, categories=["zorg"], region_id=world.west.id)
        ).all()
    )
    assert zorg_only == {person.id: date(2027, 1, 20), second.id: TODAY}
    within_30 = dict(db.session.execute(services.titles_ending_within(TODAY, days=30)).all())
    assert within_30 == {person.id: date(2026, 12, 1), second.id: TODAY}
    html = case["browser"].get(case["url"]).get_data(as_text=True)
    assert "eindigt binnen 90 dagen" in html


def test_the_tab_runs_a_fixed_number_of_queries(world, case):
    """No query per title, extension, placement or refusal."""
    from levensloop.extensions import db as database

    person, actor = case["person"], _user(case)
    browser, url = case["browser"], case["url"]

    def queries() -> int:
        statements = []

        def count(*args):
            statements.append(args[2])

        sa.event.listen(database.engine, "before_cursor_execute", count)
        try:
            assert browser.get(url).status_code == 200
        finally:
            sa.event.remove(database.engine, "before_cursor_execute", count)
        return len(statements)

    def add_some(n):
        for i in range(n):
            title = _title(person, "tbs_voorwaarden", date(2025, 1, 1 + i))
            services.extend_title(
                actor,
                world.west,
                person,
                title.id,
                new_end=title.expected_end + timedelta(days=100),
                decided_on=TODAY,
            )
            _placement(person, date(2026, 1, 1 + i), provider=f"Kliniek {i}")
            _refusal(person, date(2026, 2, 1 + i), provider=f"Weigeraar {i}")

    add_some(1)
    few = queries()
    add_some(5)
    assert queries() == few


# ---------------------------------------------------------------- encryption, timeline, demo


@pytest.mark.asvs("V14.2.4")
def test_encrypted_columns_hold_no_plaintext(world, case):
    person, actor = case["person"], _user(case)
    title = services.create_title(
        actor,
        world.west,
        person,
        type_code="pij",
        start_date=date(2025, 6, 1),
        conditions="Klare-voorwaarde-111",
        legal_basis_note="Klaar-kenmerk-222",
    )
    services.extend_title(
        actor,
        world.west,
        person,
        title.id,
        new_end=date(2029, 5, 31),
        decided_on=TODAY,
        note="Klare-toelichting-333",
    )
    placement = services.add_placement(
        actor,
        world.west,
        person,
        provider_name="Klare-aanbieder-444",
        setting="klinisch",
        security_level=4,
        start_date=date(2026, 1, 1),
    )
    services.end_placement(
        actor,
        world.west,
        person,
        placement.id,
        end_date=date(2026, 6, 1),
        end_reason="Klare-reden-555",
    )
    services.add_refusal(
        actor,
        world.west,
        person,
        provider_name="Klare-weigeraar-666",
        setting="klinisch",
        security_level=3,
        refused_on=date(2026, 7, 1),
        reason="Klare-weigerreden-777",
    )
    db.session.remove()
    raw = b""
    for table in ("legal_titles", "title_extensions", "placements", "placement_refusals"):
        for row in db.session.execute(sa.text(f"SELECT * FROM {table}")).mappings():
            for value in row.values():
                raw += (
                    bytes(value) if isinstance(value, bytes | memoryview) else str(value).encode()
                )
    assert b"Klar" not in raw
    db.session.remove()
    assert db.session.scalar(sa.select(LegalTitle)).conditions == "Klare-voorwaarde-111"
    assert db.session.scalar(sa.select(PlacementRefusal)).reason == "Klare-weigerreden-777"


def test_timeline_entries_carry_their_category(world, filled):
    from levensloop import timeline
    from levensloop.sharing.categories import ALL, Category

    person = filled["person"]
    entries = timeline.entries_for(person, ALL, today=TODAY)
    found = {(e.kind, str(e.category)) for e in entries}
    assert ("Titel", "justitie") in found and ("Titel", "zorg") in found
    assert ("Titel", "sociaal") in found
    assert ("Plaatsing", "zorg") in found and ("Weigering", "zorg") in found
    justitie_only = timeline.entries_for(person, {Category.JUSTITIE, Category.PROCES}, today=TODAY)
    assert justitie_only and all(
        e.category in (Category.JUSTITIE, Category.PROCES) for e in justitie_only
    )
    html = filled["browser"].get(f"/personen/{person.id}/tijdlijn").get_data(as_text=True)
    assert "Tbs met voorwaarden gaat in" in html and "Zorg-sentinel-weigeraar weigerde" in html


def test_demo_seed_adds_titles_history_and_a_carrousel(world, app, clock):
    from levensloop import demo
    from levensloop.auth.services import _seal_totp
    from levensloop.organisations.models import Region
    from levensloop.titles.demo import seed_demo

    demo.seed(lambda user, secret: _seal_totp(user, "totp_secret", secret))
    region = db.session.scalar(sa.select(Region).where(Region.code == "demo-west"))
    # demo.seed seeds the titles itself; a second call adds nothing.
    assert seed_demo(region, TODAY) == 0
    titles = list(db.session.scalars(sa.select(LegalTitle)))
    codes = {t.type_code for t in titles}
    assert {"wvggz_zorgmachtiging", "tbs_voorwaarden", "wmo_beschermd_wonen"} <= codes
    ending = dict(db.session.execute(services.titles_ending_within(TODAY, days=60)).all())
    zm = next(t for t in titles if t.type_code == "wvggz_zorgmachtiging" and t.status == ACTIEF)
    assert zm.person_id in ending
    flagged = list(db.session.scalars(services.carrousel_person_ids(TODAY)))
    assert len(flagged) == 1
    assert all(
        "(demo)" in (p.provider_name or "") for p in db.session.scalars(sa.select(Placement))
    )
