"""Need-to-know: participants see only granted categories; break-glass; the access report."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from levensloop.audit.models import AuditEvent
from levensloop.auth.models import Role
from levensloop.db import local_today
from levensloop.extensions import db
from levensloop.organisations.models import Organisation, OrganisationType
from levensloop.persons.services import PersonInput, create_person
from levensloop.sharing.models import CaseParticipant

SECRET_PHONE = "06-11223344"
SECRET_NOTE = "Notitie-alleen-voor-proces"


@pytest.fixture
def case(world):
    person = create_person(
        None,
        world.west,
        PersonInput(
            achternaam="Deelbaar",
            voornamen="Anna",
            bsn="999990019",
            telefoon=SECRET_PHONE,
            notities=SECRET_NOTE,
        ),
    )
    om = Organisation(region_id=world.west.id, name="OM Test", type=OrganisationType.OM)
    reclassering = Organisation(
        region_id=world.west.id, name="Reclassering Test", type=OrganisationType.RECLASSERING
    )
    db.session.add_all([om, reclassering])
    db.session.commit()
    return {"person": person, "om": om, "reclassering": reclassering}


def _participate(browser, person, organisation, basis="wgs", article=""):
    return browser.post_form(
        f"/personen/{person.id}/gedeeld-met",
        {
            "organisation": str(organisation.id),
            "purpose": "Afstemming over toezicht en veiligheid",
            "legal_basis": basis,
            "article": article,
        },
    )


def _reads(person_id):
    db.session.expire_all()
    return list(
        db.session.scalars(
            sa.select(AuditEvent)
            .where(AuditEvent.person_id == person_id, AuditEvent.event_type == "read")
            .order_by(AuditEvent.chain_seq)
        )
    )


@pytest.mark.asvs("V8.2.3")
def test_participant_sees_only_granted_categories(world, case, app, clock):
    from tests.conftest import Browser

    regisseur, partner = Browser(app.test_client()), Browser(app.test_client())
    regisseur.login(world.user(Role.PROCESREGISSEUR))
    om_user = world.user(Role.KETENPARTNER, organisation=case["om"])
    clock.advance(seconds=31)
    partner.login(om_user)
    url = f"/personen/{case['person'].id}"
    assert partner.get(url).status_code == 403  # not yet taking part

    added = _participate(regisseur, case["person"], case["om"])
    assert added.status_code == 302
    page = partner.get(url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Deelbaar" in html  # identiteit
    assert SECRET_PHONE not in html  # contact: not granted to the OM by default
    assert SECRET_NOTE in html  # proces
    assert "999990019" not in html  # the BSN only on purpose
    listing = partner.get("/personen/").get_data(as_text=True)
    assert "Anna Deelbaar" in listing
    read = _reads(case["person"].id)[-1]
    assert (
        read.actor_user_id == om_user.id
        and read.categories == "identiteit,proces"
        and read.legal_basis == "wgs"
    )
    assert partner.get(f"{url}/bewerken").status_code == 403  # read-only for partners


@pytest.mark.asvs("V8.2.2")
def test_ended_participation_removes_access_at_once(world, case, app, clock):
    from tests.conftest import Browser

    regisseur, partner = Browser(app.test_client()), Browser(app.test_client())
    regisseur.login(world.user(Role.PROCESREGISSEUR))
    clock.advance(seconds=31)
    partner.login(world.user(Role.KETENPARTNER, organisation=case["reclassering"]))
    _participate(regisseur, case["person"], case["reclassering"])
    assert partner.get(f"/personen/{case['person'].id}").status_code == 200
    participant = db.session.scalar(sa.select(CaseParticipant))
    ended = regisseur.post_form(
        f"/personen/{case['person'].id}/gedeeld-met",
        {},
        action=f"/personen/{case['person'].id}/gedeeld-met/{participant.id}/beeindigen",
    )
    assert ended.status_code == 302
    assert partner.get(f"/personen/{case['person'].id}").status_code == 403
    assert "Deelbaar" not in partner.get("/personen/").get_data(as_text=True)


@pytest.mark.asvs("V2.2.1")
def test_participant_form_refuses_bad_input(world, case, browser, clock):
    browser.login(world.user(Role.PROCESREGISSEUR))
    url = f"/personen/{case['person'].id}/gedeeld-met"
    html = browser.post_form(
        url,
        {"organisation": str(world.oost_zvh.id), "purpose": "kort", "legal_basis": "andere_wet"},
    ).get_data(as_text=True)
    assert "Not a valid choice" not in html
    assert "Kies een organisatie" in html or "Kies een actieve organisatie" in html
    html = browser.post_form(
        url, {"organisation": str(case["om"].id), "purpose": "kort", "legal_basis": "andere_wet"}
    ).get_data(as_text=True)
    assert "minstens 10 tekens" in html
    html = browser.post_form(
        url,
        {
            "organisation": str(case["om"].id),
            "purpose": "Een doel dat lang genoeg is",
            "legal_basis": "andere_wet",
        },
    ).get_data(as_text=True)
    assert "Noem de wet en het artikel" in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CaseParticipant)) == 0
    ok = _participate(
        browser, case["person"], case["om"], basis="andere_wet", article="Jeugdwet, artikel 7.4.4"
    )
    assert ok.status_code == 302
    twice = _participate(browser, case["person"], case["om"])
    assert "neemt al deel" in twice.get_data(as_text=True)


@pytest.mark.asvs("V8.2.1")
def test_partner_cannot_manage_participants(world, case, app, clock):
    from tests.conftest import Browser

    regisseur, partner = Browser(app.test_client()), Browser(app.test_client())
    regisseur.login(world.user(Role.PROCESREGISSEUR))
    clock.advance(seconds=31)
    partner.login(world.user(Role.KETENPARTNER, organisation=case["om"]))
    _participate(regisseur, case["person"], case["om"])
    response = _participate(partner, case["person"], case["reclassering"])
    assert response.status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CaseParticipant)) == 1


def test_matrix_change_takes_effect_and_is_recorded(world, case, app, clock):
    from tests.conftest import Browser

    admin, regisseur, partner = (Browser(app.test_client()) for _ in range(3))
    admin.login(world.user(Role.FUNCTIONEEL_BEHEERDER))
    clock.advance(seconds=31)
    regisseur.login(world.user(Role.PROCESREGISSEUR))
    clock.advance(seconds=31)
    partner.login(world.user(Role.KETENPARTNER, organisation=case["om"]))
    _participate(regisseur, case["person"], case["om"])
    assert SECRET_PHONE not in partner.get(f"/personen/{case['person'].id}").get_data(as_text=True)

    no_reason = admin.post_form(
        "/beheer/deelmatrix/om", {"categories": ["identiteit", "proces", "contact"], "reason": ""}
    )
    assert "Geef de reden van de wijziging" in no_reason.get_data(as_text=True)
    changed = admin.post_form(
        "/beheer/deelmatrix/om",
        {
            "categories": ["identiteit", "proces", "justitie", "veiligheid", "contact"],
            "reason": "Convenantafspraak: OM bereikt betrokkene voor oproepingen",
        },
    )
    assert changed.status_code == 302
    assert SECRET_PHONE in partner.get(f"/personen/{case['person'].id}").get_data(as_text=True)
    matrix = admin.get("/beheer/deelmatrix/").get_data(as_text=True)
    assert "aangepast" in matrix
    db.session.expire_all()
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.event_type == "sharing_matrix_changed")
    )
    assert (
        event.details["changes"] == ["+contact"] and "Convenantafspraak" in event.details["reason"]
    )
    assert admin.get("/beheer/deelmatrix/bestaat-niet").status_code == 404


@pytest.mark.asvs("V7.5.3")
def test_break_glass_needs_reason_and_fresh_login_and_expires(world, case, app, clock):
    from tests.conftest import Browser

    coordinator_user = world.user(Role.LEVENSLOOPCOORDINATOR)
    coordinator = Browser(app.test_client())
    coordinator.login(coordinator_user)
    url = f"/personen/{case['person'].id}"
    assert coordinator.get(url).status_code == 403  # not in the caseload
    glass_url = f"{url}/noodtoegang"
    assert coordinator.get(glass_url).status_code == 200
    short = coordinator.post_form(
        glass_url, {"reason": "dringend", "password": coordinator_user.password, "code": "000000"}
    ).get_data(as_text=True)
    assert "minstens 30 tekens" in short
    reason = "Crisis op straat, politie vraagt naar het signaleringsplan, casushouder onbereikbaar"
    wrong = coordinator.post_form(
        glass_url,
        {
            "reason": reason,
            "password": "fout-wachtwoord-123",
            "code": coordinator_user.current_code(),
        },
    ).get_data(as_text=True)
    assert "Het wachtwoord is onjuist" in wrong
    clock.advance(seconds=31)
    ok = coordinator.post_form(
        glass_url,
        {
            "reason": reason,
            "password": coordinator_user.password,
            "code": coordinator_user.current_code(),
        },
    )
    assert ok.status_code == 302
    page = coordinator.get(url).get_data(as_text=True)
    assert "noodtoegang" in page.lower() and "Deelbaar" in page
    read = _reads(case["person"].id)[-1]
    assert read.purpose == "noodtoegang" and read.details["break_glass"] is True
    for _ in range(5):  # keep the session alive: 50 minutes of work
        clock.advance(minutes=10)
        assert coordinator.get(url).status_code == 200
    clock.advance(minutes=9)
    assert coordinator.get(url).status_code == 200
    clock.advance(minutes=2)  # 61 minutes after the start
    assert coordinator.get(url).status_code == 403


@pytest.mark.asvs("V8.2.1")
def test_partner_cannot_use_break_glass(world, case, browser, clock):
    browser.login(world.user(Role.KETENPARTNER, organisation=case["om"]))
    assert browser.get(f"/personen/{case['person'].id}/noodtoegang").status_code == 403


@pytest.mark.asvs("V1.2.10", "V16.2.1")
def test_privacy_officer_sees_who_looked_including_break_glass(world, case, app, clock):
    from tests.conftest import Browser

    coordinator_user = world.user(Role.LEVENSLOOPCOORDINATOR)
    coordinator_user.model.display_name = (
        '=HYPERLINK("x")'  # a hostile name must not become a formula
    )
    db.session.commit()
    coordinator, officer = Browser(app.test_client()), Browser(app.test_client())
    coordinator.login(coordinator_user)
    clock.advance(seconds=31)
    coordinator.post_form(
        f"/personen/{case['person'].id}/noodtoegang",
        {
            "reason": "Crisis op straat, politie vraagt naar het signaleringsplan, "
            "casushouder onbereikbaar",
            "password": coordinator_user.password,
            "code": coordinator_user.current_code(),
        },
    )
    coordinator.get(f"/personen/{case['person'].id}")
    clock.advance(seconds=31)
    officer.login(world.user(Role.PRIVACY_OFFICER))
    assert officer.get(f"/personen/{case['person'].id}").status_code == 403  # no case content

    found = officer.post_form(
        "/privacybeheer/", {"bsn": "999990019"}, action="/privacybeheer/toegang"
    )
    assert found.status_code == 302 and str(case["person"].id) in found.headers["Location"]
    report = officer.get(found.headers["Location"]).get_data(as_text=True)
    assert "break_glass" in report and "noodtoegang" in report
    assert "Deelbaar" not in report and SECRET_PHONE not in report
    csv = officer.get(found.headers["Location"] + "?formaat=csv")
    assert csv.headers["Content-Disposition"].startswith("attachment")
    body = csv.get_data(as_text=True)
    assert body.startswith("\ufeff") and "'=HYPERLINK" in body and "\n=HYPERLINK" not in body
    assert ";ja" in body

    review_list = officer.get("/privacybeheer/noodtoegang").get_data(as_text=True)
    assert "Te beoordelen" in review_list and "Crisis op straat" in review_list
    glass_id = re.search(r"/privacybeheer/noodtoegang/([0-9a-f-]{36})", review_list).group(1)
    reviewed = officer.post_form(
        "/privacybeheer/noodtoegang",
        {"remark": "Terecht gebruikt, besproken"},
        action=f"/privacybeheer/noodtoegang/{glass_id}",
    )
    assert reviewed.status_code == 302
    assert "Beoordeeld" in officer.get("/privacybeheer/noodtoegang").get_data(as_text=True)
    db.session.expire_all()
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.event_type == "audit_read", AuditEvent.person_id == case["person"].id)
        )
        >= 2
    )


def test_privacy_log_search_and_register(world, case, browser, clock):
    browser.login(world.user(Role.PRIVACY_OFFICER))
    page = browser.get(f"/privacybeheer/logboek?persoon={case['person'].id}&gebeurtenis=create")
    assert page.status_code == 200 and "create" in page.get_data(as_text=True)
    bad = browser.get("/privacybeheer/logboek?persoon=geen-id&van=31-02-2026").get_data(
        as_text=True
    )
    assert "Een persoonskenmerk ziet eruit als" in bad
    register = browser.get("/privacybeheer/verwerkingsregister.csv")
    body = register.get_data(as_text=True)
    assert register.status_code == 200 and "Openbaar Ministerie" in body and "Justitie" in body


@pytest.mark.asvs("V16.2.1")
def test_one_read_record_per_page_view(world, case, browser, clock):
    browser.login(world.user(Role.PROCESREGISSEUR))
    before = len(_reads(case["person"].id))
    browser.get(f"/personen/{case['person'].id}")
    after = _reads(case["person"].id)
    assert len(after) == before + 1
    assert after[-1].categories == "contact,identiteit,proces"


def test_participation_with_future_start_gives_no_access_yet(world, case, app, clock):
    from levensloop.sharing import services as sharing
    from tests.conftest import Browser

    regisseur_user = world.user(Role.PROCESREGISSEUR)
    partner = Browser(app.test_client())
    partner.login(world.user(Role.KETENPARTNER, organisation=case["om"]))
    from flask import g  # noqa: F401

    with app.test_request_context():
        sharing.add_participant(
            regisseur_user.model,
            world.west,
            case["person"],
            organisation_id=case["om"].id,
            purpose="Vanaf volgende week betrokken",
            legal_basis="wgs",
            article=None,
            start=local_today() + timedelta(days=7),
            end=None,
        )
    assert partner.get(f"/personen/{case['person'].id}").status_code == 403
