"""User and organisation administration by the functioneel beheerder."""

from __future__ import annotations

import re
import uuid

import pytest
import sqlalchemy as sa

from levensloop.audit.models import AuditEvent
from levensloop.auth.models import Role, RoleAssignment, User
from levensloop.extensions import db
from levensloop.organisations.models import Organisation


@pytest.fixture
def admin(world, browser, clock):
    user = world.user(Role.FUNCTIONEEL_BEHEERDER)
    browser.login(user)
    return user


def _events(event_type):
    db.session.expire_all()
    return list(
        db.session.scalars(sa.select(AuditEvent).where(AuditEvent.event_type == event_type))
    )


@pytest.mark.asvs("V6.4.1", "V6.3.3")
def test_create_user_then_first_login_enrols_and_sets_password(world, browser, admin, app, clock):
    from tests.conftest import Browser

    response = browser.post_form(
        "/beheer/gebruikers/nieuw",
        {
            "username": "Nieuwe.Collega@test.example",
            "display_name": "Nieuwe Collega",
            "email": "",
            "organisation": str(world.west_ggz.id),
            "roles": ["levensloopcoordinator", "ketenpartner"],
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Eenmalig wachtwoord" in html
    password = re.search(r'<code class="levensloop-secret">([^<]+)</code>', html).group(1)
    db.session.expire_all()
    user = db.session.scalar(sa.select(User).where(User.username == "nieuwe.collega@test.example"))
    assert user.must_change_password and not user.totp_enrolled
    assert {r.role for r in user.roles} == {Role.LEVENSLOOPCOORDINATOR, Role.KETENPARTNER}
    assert _events("user_created")[0].actor_user_id == admin.id

    newcomer = Browser(app.test_client())
    first = newcomer.post_form(
        "/inloggen", {"username": "nieuwe.collega@test.example", "password": password}
    )
    assert first.headers["Location"].endswith("/inloggen/koppelen")
    enrol = newcomer.get("/inloggen/koppelen").get_data(as_text=True)
    secret = (
        re.search(r'<code class="levensloop-secret">([^<]+)</code>', enrol)
        .group(1)
        .replace(" ", "")
    )
    qr = newcomer.get("/inloggen/koppelen/qr.svg")
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml" and b"style=" not in qr.data
    import pyotp

    codes_page = newcomer.post_form("/inloggen/koppelen", {"code": pyotp.TOTP(secret).now()})
    codes = re.findall(r"<li><code>([A-Z0-9-]{29})</code></li>", codes_page.get_data(as_text=True))
    assert len(codes) == 10
    cont = newcomer.post_from(codes_page, "/inloggen/herstelcodes-bewaard", {})
    assert cont.headers["Location"].endswith("/inloggen/nieuw-wachtwoord")
    done = newcomer.post_form(
        "/inloggen/nieuw-wachtwoord",
        {
            "new_password": "Een-eigen-zin-voor-mij-2026",
            "new_password_repeat": "Een-eigen-zin-voor-mij-2026",
        },
    )
    assert done.headers["Location"].endswith("/dashboard")
    assert "Mijn caseload" in newcomer.get("/dashboard").get_data(as_text=True)
    db.session.expire_all()
    stored = db.session.get(User, user.id)
    assert secret.encode() not in stored.totp_secret  # sealed, not plaintext
    # The enrolment code's step is consumed: the same code cannot serve as a login code.
    assert stored.totp_last_step is not None


@pytest.mark.asvs("V2.2.1", "V2.2.2")
def test_create_user_reports_bad_input_at_the_field(world, browser, admin):
    response = browser.post_form(
        "/beheer/gebruikers/nieuw",
        {
            "username": "met spaties",
            "display_name": "",
            "email": "geen-mail",
            "organisation": str(world.oost_zvh.id),
            "roles": ["bestaat-niet"],
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Gebruik alleen letters, cijfers" in html
    assert "Vul de naam in." in html
    assert "Vul een geldig e-mailadres in." in html
    assert "Fout:" in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1


def test_duplicate_username_is_refused(world, browser, admin):
    data = {
        "username": admin.username,
        "display_name": "Dubbel",
        "organisation": str(world.west_zvh.id),
        "roles": ["ketenpartner"],
    }
    html = browser.post_form("/beheer/gebruikers/nieuw", data).get_data(as_text=True)
    assert "Deze gebruikersnaam is al in gebruik." in html


@pytest.mark.asvs("V8.4.1")
def test_organisation_of_another_region_cannot_be_chosen(world, browser, admin):
    data = {
        "username": "x@test.example",
        "display_name": "X",
        "organisation": str(world.oost_zvh.id),
        "roles": ["ketenpartner"],
    }
    html = browser.post_form("/beheer/gebruikers/nieuw", data).get_data(as_text=True)
    assert (
        "Not a valid choice" in html
        or "geen geldige keuze" in html.lower()
        or "Kies een organisatie" in html
    )
    db.session.expire_all()
    assert db.session.scalar(sa.select(User).where(User.username == "x@test.example")) is None


def test_roles_are_granted_and_revoked(world, browser, admin):
    other = world.user(Role.KETENPARTNER, organisation=world.west_ggz)
    url = f"/beheer/gebruikers/{other.id}"
    browser.post_form(url, {"role": "procesregisseur"}, action=f"{url}/rollen")
    db.session.expire_all()
    assignments = {a.role: a for a in db.session.get(User, other.id).roles}
    assert set(assignments) == {Role.KETENPARTNER, Role.PROCESREGISSEUR}
    duplicate = browser.post_form(
        url, {"role": "procesregisseur"}, action=f"{url}/rollen", follow_redirects=True
    )
    assert "heeft deze rol al" in duplicate.get_data(as_text=True)
    revoke = f"{url}/rollen/{assignments[Role.KETENPARTNER].id}/intrekken"
    assert browser.post_form(url, {}, action=revoke).status_code == 302
    db.session.expire_all()
    assert {a.role for a in db.session.get(User, other.id).roles} == {Role.PROCESREGISSEUR}
    assert [e.details["role"] for e in _events("role_revoked")] == ["ketenpartner"]


def test_admin_cannot_remove_own_admin_role_or_deactivate_self(world, browser, admin):
    me = f"/beheer/gebruikers/{admin.id}"
    assignment = db.session.scalar(
        sa.select(RoleAssignment).where(RoleAssignment.user_id == admin.id)
    )
    page = browser.post_form(
        me, {}, action=f"{me}/rollen/{assignment.id}/intrekken", follow_redirects=True
    )
    assert "niet intrekken" in page.get_data(as_text=True)
    page = browser.post_form(f"{me}/deactiveren", {}, follow_redirects=True)
    assert "eigen account niet deactiveren" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, admin.id).active


@pytest.mark.asvs("V8.4.1", "V8.2.2")
def test_users_of_another_region_answer_404(world, browser, admin):
    stranger = world.user(Role.PROCESREGISSEUR, region=world.oost)
    for path in ("", "/deactiveren", "/2fa-resetten"):
        assert browser.get(f"/beheer/gebruikers/{stranger.id}{path}").status_code == 404
    assert (
        browser.post_form(
            "/beheer/gebruikers/", {}, action=f"/beheer/gebruikers/{stranger.id}/deactiveren"
        ).status_code
        == 404
    )
    assert browser.get(f"/beheer/gebruikers/{uuid.uuid4()}").status_code == 404
    assert browser.get(f"/beheer/organisaties/{world.oost_zvh.id}").status_code == 404
    listing = browser.get("/beheer/gebruikers/").get_data(as_text=True)
    assert stranger.model.display_name not in listing


@pytest.mark.parametrize("role", [r for r in Role if r != Role.FUNCTIONEEL_BEHEERDER])
@pytest.mark.asvs("V8.2.1", "V16.3.2")
def test_other_roles_may_not_administer(world, browser, clock, role):
    user = world.user(role)
    browser.login(user)
    assert browser.get("/beheer/gebruikers/").status_code == 403
    assert browser.get("/beheer/organisaties/").status_code == 403
    assert browser.get("/beheer/gebruikers/nieuw").status_code == 403
    denials = _events("access_denied")
    assert len(denials) == 3 and all(
        d.actor_user_id == user.id and d.outcome == "failure" for d in denials
    )
    assert denials[0].details["endpoint"] == "users.index"


@pytest.mark.asvs("V8.4.1")
def test_admin_of_one_region_is_not_admin_in_another(world, browser, clock):
    user = world.user(Role.PROCESREGISSEUR, region=world.oost)
    db.session.add(
        RoleAssignment(user_id=user.id, region_id=world.west.id, role=Role.FUNCTIONEEL_BEHEERDER)
    )
    db.session.commit()
    browser.login(user)
    # The first region (alphabetically: Oost) is chosen at login; no admin role there.
    assert browser.get("/beheer/gebruikers/").status_code == 403
    assert browser.get("/beheer/gebruikers/").status_code == 403
    browser.post_form("/dashboard", {"region": str(world.west.id)}, action="/regio")
    assert browser.get("/beheer/gebruikers/").status_code == 200
    browser.post_form("/dashboard", {"region": str(world.oost.id)}, action="/regio")
    assert browser.get("/beheer/gebruikers/").status_code == 403


@pytest.mark.asvs("V8.4.1")
def test_region_switch_refuses_a_region_without_role(world, browser, clock):
    user = world.user(Role.PROCESREGISSEUR)
    browser.login(user)
    page = browser.post_form(
        "/dashboard", {"region": str(world.oost.id)}, action="/regio", follow_redirects=True
    )
    assert "U heeft geen rol in die regio" in page.get_data(as_text=True)


@pytest.mark.asvs("V7.4.3")
def test_reset_totp_forces_new_enrolment_and_ends_sessions(world, app, admin, browser, clock):
    from tests.conftest import Browser

    worker = world.user(Role.KETENPARTNER, organisation=world.west_ggz)
    worker_browser = Browser(app.test_client())
    clock.advance(seconds=31)
    worker_browser.login(worker)
    url = f"/beheer/gebruikers/{worker.id}/2fa-resetten"
    confirm = browser.get(url).get_data(as_text=True)
    assert "Tweestapsverificatie resetten" in confirm
    browser.post_form(url, {})
    assert worker_browser.get("/dashboard").status_code == 302
    again = worker_browser.post_form(
        "/inloggen", {"username": worker.username, "password": worker.password}
    )
    assert again.headers["Location"].endswith("/inloggen/koppelen")


def test_reset_password_issues_one_time_password(world, admin, browser, app, clock):
    from tests.conftest import Browser

    worker = world.user(Role.KETENPARTNER, organisation=world.west_ggz)
    html = browser.post_form(f"/beheer/gebruikers/{worker.id}/wachtwoord-resetten", {}).get_data(
        as_text=True
    )
    password = re.search(r'<code class="levensloop-secret">([^<]+)</code>', html).group(1)
    other = Browser(app.test_client())
    assert (
        other.post_form(
            "/inloggen", {"username": worker.username, "password": worker.password}
        ).status_code
        == 200
    )
    first = other.post_form("/inloggen", {"username": worker.username, "password": password})
    assert first.status_code == 302


@pytest.mark.asvs("V15.4.2")
def test_stale_edit_shows_conflict_and_keeps_newer_value(world, admin, browser):
    worker = world.user(Role.KETENPARTNER, organisation=world.west_ggz)
    url = f"/beheer/gebruikers/{worker.id}"
    page = browser.get(url).get_data(as_text=True)
    version = re.search(r'name="version"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="version"', page)
    version = version.group(1) or version.group(2)
    first = browser.post_form(
        url,
        {
            "display_name": "Eerste Wijziging",
            "email": "",
            "version": version,
            "organisation": str(world.west_ggz.id),
        },
    )
    assert first.status_code == 302
    stale = browser.post_form(
        url,
        {
            "display_name": "Tweede Wijziging",
            "email": "",
            "version": version,
            "organisation": str(world.west_ggz.id),
        },
    )
    html = stale.get_data(as_text=True)
    assert stale.status_code == 409
    assert "Iemand anders heeft deze gebruiker intussen gewijzigd" in html
    assert "Tweede Wijziging" in html  # the user's input is shown, not lost
    db.session.expire_all()
    assert db.session.get(User, worker.id).display_name == "Eerste Wijziging"


def test_user_list_filters_and_pages_in_sql(world, admin, browser):
    for _n in range(30):
        world.user(Role.KETENPARTNER, organisation=world.west_ggz)
    first = browser.get("/beheer/gebruikers/").get_data(as_text=True)
    assert "Pagina 1 van 2" in first
    filtered = browser.get(f"/beheer/gebruikers/?organisation={world.west_zvh.id}").get_data(
        as_text=True
    )
    assert admin.model.display_name in filtered and "Pagina" not in filtered
    nothing = browser.post_form("/beheer/gebruikers/", {"q": "bestaat-echt-niet"}).get_data(
        as_text=True
    )
    assert "Geen gebruikers gevonden" in nothing
    garbage = browser.get("/beheer/gebruikers/?page=abc&role=xyz&status=onbekend")
    assert garbage.status_code == 200
    nul = browser.get("/beheer/gebruikers/?status=%00")
    assert nul.status_code == 400 and "ongeldig teken" in nul.get_data(as_text=True)


def test_organisations_created_edited_and_unique(world, admin, browser):
    created = browser.post_form(
        "/beheer/organisaties/nieuw", {"name": "Woonstichting Test", "type": "woningcorporatie"}
    )
    assert created.status_code == 302
    duplicate = browser.post_form(
        "/beheer/organisaties/nieuw", {"name": "woonstichting test", "type": "ggz"}
    )
    assert "Er bestaat al een organisatie met deze naam" in duplicate.get_data(as_text=True)
    bad = browser.post_form("/beheer/organisaties/nieuw", {"name": "", "type": "geen-soort"})
    assert "Vul de naam van de organisatie in." in bad.get_data(as_text=True)
    db.session.expire_all()
    org = db.session.scalar(
        sa.select(Organisation).where(Organisation.name == "Woonstichting Test")
    )
    url = f"/beheer/organisaties/{org.id}"
    edited = browser.post_form(
        url,
        {
            "name": "Woonstichting Test Noord",
            "type": "woningcorporatie",
            "active": "y",
            "version": str(org.version),
        },
    )
    assert edited.status_code == 302
    stale = browser.post_form(
        url, {"name": "Anders", "type": "ggz", "active": "y", "version": str(org.version)}
    )
    assert stale.status_code == 409
    assert [e.object_id for e in _events("organisation_created")] == [str(org.id)]


def test_admin_events_page_lists_administration(world, admin, browser):
    browser.post_form("/beheer/organisaties/nieuw", {"name": "Iets Nieuws", "type": "ggz"})
    page = browser.get("/beheer/gebruikers/logboek").get_data(as_text=True)
    assert "organisation_created" in page


def test_admin_log_shows_administration_not_case_work(world, admin, browser):
    from levensloop.persons.services import PersonInput, create_person

    person = create_person(None, world.west, PersonInput(achternaam="Geenbeheer"))
    from levensloop.audit.services import record

    record(
        "read",
        region_id=world.west.id,
        object_type="person",
        object_id=person.id,
        categories=["zorg"],
    )
    db.session.commit()
    browser.post_form("/beheer/organisaties/nieuw", {"name": "Nog Iets", "type": "ggz"})
    page = browser.get("/beheer/gebruikers/logboek").get_data(as_text=True)
    assert "organisation_created" in page
    assert str(person.id)[:8] not in page and "zorg" not in page
    assert _events("audit_read")[-1].details["log"] == "beheer"


@pytest.mark.asvs("V14.2.1")
def test_user_name_search_never_travels_in_the_url(world, admin, browser):
    found = browser.post_form("/beheer/gebruikers/", {"q": admin.model.display_name})
    assert admin.model.display_name in found.get_data(as_text=True)
    assert "Geen gebruikers gevonden" in browser.post_form(
        "/beheer/gebruikers/", {"q": "bestaat-echt-niet"}
    ).get_data(as_text=True)
    # A name in the query string is ignored: links and logs never carry it.
    ignored = browser.get("/beheer/gebruikers/?q=bestaat-echt-niet").get_data(as_text=True)
    assert admin.model.display_name in ignored and "Geen gebruikers gevonden" not in ignored
    import re

    assert 'method="post"' in ignored
    assert not re.search(r'href="[^"]*[?&]q=', ignored)  # no link we make carries a name
