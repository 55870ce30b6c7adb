"""Rights requests at the contactpunt, the inzage export, and the informatieplicht."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
import sqlalchemy as sa

from levensloop.audit.models import AuditEvent
from levensloop.auth.models import Role
from levensloop.extensions import db
from levensloop.persons.services import PersonInput, create_person
from levensloop.privacy.models import InformationNotice, RightsRequest
from levensloop.privacy.requests import add_months


@pytest.mark.parametrize(
    "start,months,expected",
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 3, 15), 1, date(2026, 4, 15)),
        (date(2026, 11, 30), 2, date(2027, 1, 30)),
        (date(2026, 12, 31), 1, date(2027, 1, 31)),
        (date(2026, 8, 31), 1, date(2026, 9, 30)),
    ],
)
def test_due_date_is_one_calendar_month_later(start, months, expected):
    assert add_months(start, months) == expected


@pytest.fixture
def subject(world):
    return create_person(
        None,
        world.west,
        PersonInput(
            achternaam="Inzagesma",
            voornamen="Olga",
            bsn="999990019",
            telefoon="06-12121212",
            notities="=SOM(A1:A9)",
        ),
    )


@pytest.fixture
def officer(world, browser, clock):
    user = world.user(Role.PRIVACY_OFFICER)
    browser.login(user)
    return user


def _register(browser, kind="inzage", received="2026-11-02"):
    return browser.post_form(
        "/privacybeheer/verzoeken/nieuw",
        {"bsn": "999990019", "kind": kind, "received_on": received},
    )


def test_register_request_with_due_date_and_extend(world, subject, officer, browser, clock):
    created = _register(browser)
    assert created.status_code == 302
    item = db.session.scalar(sa.select(RightsRequest))
    assert item.due_on == date(2026, 12, 2) and item.status == "ontvangen"
    url = f"/privacybeheer/verzoeken/{item.id}"
    page = browser.get(url).get_data(as_text=True)
    assert "2 december 2026" in page
    too_far = browser.post_form(
        url,
        {
            "until": "2027-02-03",
            "reason": "Omvangrijk verzoek, veel partners",
            "version": str(item.version),
        },
        action=f"{url}/verlengen",
    )
    assert "uiterlijk twee maanden" in too_far.get_data(as_text=True)
    ok = browser.post_form(
        url,
        {
            "until": "2027-02-02",
            "reason": "Omvangrijk verzoek, veel partners",
            "version": str(item.version),
        },
        action=f"{url}/verlengen",
    )
    assert ok.status_code == 302
    db.session.expire_all()
    assert db.session.get(RightsRequest, item.id).deadline == date(2027, 2, 2)
    stale = browser.post_form(
        url, {"status": "afgehandeld", "outcome": "Klaar", "version": "1"}, action=f"{url}/status"
    )
    assert stale.status_code == 409
    no_outcome = browser.post_form(
        url, {"status": "afgehandeld", "outcome": "", "version": "2"}, action=f"{url}/status"
    )
    assert "Beschrijf de uitkomst" in no_outcome.get_data(as_text=True)
    closed = browser.post_form(
        url,
        {"status": "afgehandeld", "outcome": "Inzage verstrekt per post", "version": "2"},
        action=f"{url}/status",
    )
    assert closed.status_code == 302
    db.session.expire_all()
    assert db.session.get(RightsRequest, item.id).closed_on is not None


def test_bad_request_input(world, subject, officer, browser):
    unknown = browser.post_form(
        "/privacybeheer/verzoeken/nieuw",
        {"bsn": "111222333", "kind": "inzage", "received_on": "2026-11-02"},
    )
    assert "Niemand met dit BSN" in unknown.get_data(as_text=True)
    future = _register(browser, received="2099-01-01")
    assert "in de toekomst" in future.get_data(as_text=True)
    bad = browser.post_form(
        "/privacybeheer/verzoeken/nieuw", {"bsn": "12", "kind": "iets", "received_on": "morgen"}
    )
    html = bad.get_data(as_text=True)
    assert "Dit is geen geldig BSN" in html and "Vul een geldige datum in" in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RightsRequest)) == 0


def test_inzage_export_holds_all_data_and_the_access_report(
    world, subject, officer, browser, app, clock
):
    from tests.conftest import Browser

    regisseur = Browser(app.test_client())
    clock.advance(seconds=31)
    regisseur.login(world.user(Role.PROCESREGISSEUR))
    regisseur.get(f"/personen/{subject.id}")
    _register(browser)
    item = db.session.scalar(sa.select(RightsRequest))
    url = f"/privacybeheer/verzoeken/{item.id}"
    response = browser.post_form(url, {}, action=f"{url}/inzage-export")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert (
        "attachment" in response.headers["Content-Disposition"]
        and "Inzagesma" not in response.headers["Content-Disposition"]
    )
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert set(archive.namelist()) == {
        "overzicht.html",
        "persoonsgegevens.csv",
        "deelnemers.csv",
        "noodtoegang.csv",
        "informatieplicht.csv",
        "toegangsrapport.csv",
    }
    overview = archive.read("overzicht.html").decode()
    assert "Inzagesma" in overview and "06-12121212" in overview and '<html lang="nl">' in overview
    data_csv = archive.read("persoonsgegevens.csv").decode()
    assert "'=SOM(A1:A9)" in data_csv
    access_csv = archive.read("toegangsrapport.csv").decode()
    assert "read" in access_csv
    db.session.expire_all()
    export = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.event_type == "export"))
    assert export.person_id == subject.id and export.purpose == "inzageverzoek"


def test_export_only_for_inzage(world, subject, officer, browser):
    _register(browser, kind="bezwaar")
    item = db.session.scalar(sa.select(RightsRequest))
    url = f"/privacybeheer/verzoeken/{item.id}"
    response = browser.post_form(url, {}, action=f"{url}/inzage-export", follow_redirects=True)
    assert "hoort bij een inzageverzoek" in response.get_data(as_text=True)


def test_requests_list_shows_overdue_first(world, subject, officer, browser, clock):
    _register(browser, received="2026-09-01")
    _register(browser, kind="bezwaar", received="2026-11-01")
    page = browser.get("/privacybeheer/verzoeken").get_data(as_text=True)
    assert page.index("Inzage") < page.index("Bezwaar") and "Te laat" in page
    index = browser.get("/privacybeheer/").get_data(as_text=True)
    assert "binnen een week of te laat" in index


def test_information_notice_given_or_deferred_and_review_list(world, subject, app, clock):
    from tests.conftest import Browser

    regisseur, officer = Browser(app.test_client()), Browser(app.test_client())
    regisseur.login(world.user(Role.PROCESREGISSEUR))
    url = f"/personen/{subject.id}/informatieplicht"
    missing = regisseur.post_form(url, {"status": "uitgesteld", "ground": "kort"}).get_data(
        as_text=True
    )
    assert "minstens 10 tekens" in missing
    deferred = regisseur.post_form(
        url,
        {
            "status": "uitgesteld",
            "ground": "Informeren brengt de veiligheid in gevaar",
            "review_on": "2026-11-20",
        },
    )
    assert deferred.status_code == 302
    given_without_channel = regisseur.post_form(
        url, {"status": "gegeven", "given_on": "2026-11-01"}
    )
    assert "Kies hoe de informatie is gegeven" in given_without_channel.get_data(as_text=True)
    clock.advance(seconds=31)
    officer.login(world.user(Role.PRIVACY_OFFICER))
    assert "Niets te beoordelen" in officer.get("/privacybeheer/informatieplicht").get_data(
        as_text=True
    )
    for _ in range(20):  # time passes; the review date arrives
        clock.advance(days=1)
        from levensloop.privacy.requests import notices_due_for_review

        due = notices_due_for_review(world.west)
        if due:
            break
    assert due and due[0].person_id == subject.id
    notice = db.session.scalar(sa.select(InformationNotice))
    assert (
        notice.ground == "Informeren brengt de veiligheid in gevaar"
        and b"veiligheid" not in notice.ground_enc
    )


@pytest.mark.asvs("V8.2.1")
def test_informatieplicht_page_is_for_case_managers_only(world, subject, browser, clock):
    browser.login(world.user(Role.KETENPARTNER))
    assert browser.get(f"/personen/{subject.id}/informatieplicht").status_code == 403
