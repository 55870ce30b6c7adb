"""The person registry through the web: register, search, view, edit, shredded persons."""

from __future__ import annotations

import logging
import shutil
import subprocess
import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from levensloop.audit.models import AuditEvent
from levensloop.auth.models import Role
from levensloop.extensions import db
from levensloop.persons.models import Person

SENTINELS = {
    "voornamen": "Zwiebeltje-Sentinel",
    "roepnaam": "Roepsentinel",
    "tussenvoegsel": "vanSentinel",
    "achternaam": "Achtersentinelnaam",
    "bsn": "999993847",
    "geboortedatum": "1971-08-23",
    "geslacht": "Sentinelgeslacht",
    "adres": "Sentinelstraat 99, 9999 ZZ Sentinelstad",
    "telefoon": "06-98765432",
    "email": "sentinel.persoon@voorbeeld.example",
    "notities": "Notitie-sentinel-Q7X",
}


@pytest.fixture
def coordinator(world, browser, clock):
    user = world.user(Role.LEVENSLOOPCOORDINATOR)
    browser.login(user)
    return user


def _register(browser, **overrides):
    data = {"achternaam": "Verzonnen", "voornamen": "Anna", **overrides}
    return browser.post_form("/personen/nieuw", data)


def _person(**filters) -> Person:
    db.session.expire_all()
    return db.session.scalars(sa.select(Person)).all()


@pytest.mark.asvs("V14.2.6", "V16.2.1")
def test_register_view_and_audit(world, coordinator, browser):
    response = _register(browser, **SENTINELS)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    for name, value in SENTINELS.items():
        if name not in ("geboortedatum", "bsn"):
            assert value in page, name
    assert "23 augustus 1971" in page
    assert (
        SENTINELS["bsn"] not in page and "Toon het BSN" in page
    )  # the BSN is shown on purpose only
    revealed = browser.get(response.headers["Location"] + "?toon=bsn").get_data(as_text=True)
    assert SENTINELS["bsn"] in revealed
    db.session.expire_all()
    events = list(
        db.session.scalars(
            sa.select(AuditEvent)
            .where(AuditEvent.object_type == "person")
            .order_by(AuditEvent.chain_seq)
        )
    )
    assert [e.event_type for e in events] == ["create", "read", "read"]
    first, second = events[1], events[2]
    assert first.person_id is not None and first.actor_user_id == coordinator.id
    assert first.categories == "contact,identiteit,proces" and first.details["bsn"] is False
    assert second.details["bsn"] is True


@pytest.mark.asvs("V2.2.1", "V2.2.2")
def test_bad_input_gets_dutch_messages_and_changes_nothing(world, coordinator, browser):
    response = _register(
        browser, achternaam="", bsn="123456789", geboortedatum="31-02-2020", email="geen"
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Vul de achternaam in" in html
    assert "Dit is geen geldig BSN" in html
    assert "Vul een geldige datum in" in html
    assert "Vul een geldig e-mailadres in" in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Person)) == 0


def test_duplicate_warning_needs_confirmation(world, coordinator, browser):
    assert _register(browser, bsn="999990019").status_code == 302
    warned = _register(browser, bsn="9999 90 019", achternaam="Anders")
    html = warned.get_data(as_text=True)
    assert (
        warned.status_code == 200
        and "Mogelijk al geregistreerd" in html
        and "Anna Verzonnen" in html
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Person)) == 1
    confirmed = _register(browser, bsn="999990019", achternaam="Anders", confirm_duplicate="y")
    assert confirmed.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Person)) == 2


@pytest.mark.asvs("V16.2.5")
def test_search_by_bsn_and_name(world, coordinator, browser):
    _register(browser, bsn="999990019", achternaam="De Vries", geboortedatum="1980-05-17")
    _register(browser, achternaam="Jansen")
    search = lambda **terms: browser.post_form("/personen/", terms).get_data(as_text=True)  # noqa: E731
    found = search(bsn="999990019")
    assert "Anna De Vries" in found and "Jansen" not in found
    by_name = search(achternaam="de vries")
    assert "Anna De Vries" in by_name
    none = search(achternaam="Pietersen")
    assert "Niemand gevonden" in none
    bad = search(bsn="12345")
    assert "Dit is geen geldig BSN" in bad
    empty = search(voornaam="Anna")
    assert "Zoek op BSN, of op achternaam" in empty
    db.session.expire_all()
    searches = list(
        db.session.scalars(sa.select(AuditEvent).where(AuditEvent.event_type == "search"))
    )
    assert len(searches) == 3
    assert all(
        "999990019" not in str(e.details) and "vries" not in str(e.details).lower()
        for e in searches
    )


@pytest.mark.asvs("V8.4.1", "V8.2.2")
def test_other_region_and_unknown_ids_answer_404(world, coordinator, browser):
    from levensloop.persons.services import PersonInput, create_person

    stranger = create_person(None, world.oost, PersonInput(achternaam="Oosterling"))
    for url in (
        f"/personen/{stranger.id}",
        f"/personen/{stranger.id}/bewerken",
        f"/personen/{uuid.uuid4()}",
    ):
        assert browser.get(url).status_code == 404
    listing = browser.get("/personen/").get_data(as_text=True)
    assert "Oosterling" not in listing


@pytest.mark.parametrize(
    "role", [Role.PRIVACY_OFFICER, Role.FUNCTIONEEL_BEHEERDER, Role.LANDELIJK_ANALIST]
)
@pytest.mark.asvs("V8.2.1")
def test_roles_without_case_content_are_refused(world, browser, clock, role):
    from levensloop.persons.services import PersonInput, create_person

    person = create_person(None, world.west, PersonInput(achternaam="Geheim"))
    browser.login(world.user(role))
    assert browser.get("/personen/").status_code == 403
    assert browser.get(f"/personen/{person.id}").status_code == 403
    assert browser.get("/personen/nieuw").status_code == 403


@pytest.mark.parametrize("role", [Role.KETENPARTNER, Role.CASUSREGISSEUR])
@pytest.mark.asvs("V8.2.2")
def test_partners_see_only_cases_they_take_part_in(world, browser, clock, role):
    from levensloop.persons.services import PersonInput, create_person

    person = create_person(None, world.west, PersonInput(achternaam="Geheim"))
    browser.login(world.user(role))
    listing = browser.get("/personen/")
    assert listing.status_code == 200 and "Geheim" not in listing.get_data(as_text=True)
    assert "Geen personen" in listing.get_data(as_text=True)
    assert browser.get(f"/personen/{person.id}").status_code == 403
    assert browser.get("/personen/nieuw").status_code == 403
    assert (
        browser.post_form("/personen/", {"achternaam": "Geheim"}, follow_redirects=True).status_code
        == 200
    )


@pytest.mark.asvs("V15.4.2")
def test_stale_edit_shows_newer_value_and_keeps_input(world, coordinator, browser):
    _register(browser, achternaam="Origineel")
    person = _person()[0]
    url = f"/personen/{person.id}/bewerken"
    version = str(person.version)
    first = browser.post_form(url, {"achternaam": "Eerste", "version": version})
    assert first.status_code == 302
    stale = browser.post_form(url, {"achternaam": "Tweede", "version": version})
    html = stale.get_data(as_text=True)
    assert (
        stale.status_code == 409 and "Iemand anders heeft deze persoon intussen gewijzigd" in html
    )
    assert "Tweede" in html and 'value="Eerste"' in html
    assert _person()[0].achternaam == "Eerste"


def test_shredded_person_shows_gegevens_vernietigd_everywhere(world, coordinator, browser):
    from levensloop.persons.services import shred_person

    _register(browser, achternaam="Weg", bsn="999990019")
    person = _person()[0]
    shred_person(None, person, reason="retentie")
    detail = browser.get(f"/personen/{person.id}")
    assert detail.status_code == 200 and "Gegevens vernietigd" in detail.get_data(as_text=True)
    assert "Weg" not in detail.get_data(as_text=True).split("<main")[1]
    listing = browser.get("/personen/").get_data(as_text=True)
    assert "Weg" not in listing.split("<main")[1]
    edit = browser.get(f"/personen/{person.id}/bewerken")
    assert edit.status_code == 302
    assert "Niemand gevonden" in browser.post_form("/personen/", {"bsn": "999990019"}).get_data(
        as_text=True
    )


@pytest.mark.asvs("V16.2.5", "V14.2.4")
def test_no_sentinel_in_database_dump_or_logs(
    world, coordinator, browser, database_url, backend, caplog, tmp_path
):
    caplog.set_level(logging.DEBUG)
    assert _register(browser, **SENTINELS).status_code == 302
    person = _person()[0]
    browser.get(f"/personen/{person.id}")
    browser.post_form(
        f"/personen/{person.id}/bewerken",
        {**SENTINELS, "notities": SENTINELS["notities"] + "-2", "version": str(person.version)},
    )
    browser.post_form("/personen/", {"bsn": SENTINELS["bsn"]})
    browser.post_form("/personen/", {"achternaam": SENTINELS["achternaam"]})
    db.session.remove()
    db.engine.dispose()
    if backend == "sqlite":
        with open(make_url(database_url).database, "rb") as handle:
            dump = handle.read()
    else:
        if not shutil.which("pg_dump"):
            pytest.skip("pg_dump niet gevonden")
        url = make_url(database_url)
        result = subprocess.run(
            [
                "pg_dump",
                "--data-only",
                "-h",
                url.host or "127.0.0.1",
                "-p",
                str(url.port or 5432),
                "-U",
                url.username or "postgres",
                url.database,
            ],
            capture_output=True,
            check=True,
        )
        dump = result.stdout
        assert b"COPY public.persons" in dump
    logs = caplog.text.encode()
    for name, value in SENTINELS.items():
        needle = value.encode()
        assert needle not in dump, f"{name} staat leesbaar in de database"
        assert needle not in logs, f"{name} staat in de logs"
        assert value.lower().encode() not in dump.lower(), name
