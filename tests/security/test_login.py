"""The login flow end to end: password, TOTP, recovery codes, lockout, sessions."""

from __future__ import annotations

import re

import pyotp
import pytest
import sqlalchemy as sa

from levensloop.audit.models import AuditEvent
from levensloop.auth.models import Role, User, UserSession
from levensloop.extensions import db

GENERIC = "De combinatie van gebruikersnaam en wachtwoord is onjuist"


def _events(event_type: str) -> list[AuditEvent]:
    db.session.expire_all()
    return list(
        db.session.scalars(sa.select(AuditEvent).where(AuditEvent.event_type == event_type))
    )


@pytest.mark.asvs("V16.3.1")
def test_full_login_shows_dashboard_with_name_and_region(world, browser, clock):
    user = world.user(Role.LEVENSLOOPCOORDINATOR)
    page = browser.login(user)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Dashboard" in html and user.model.display_name in html
    assert world.west.name in html
    assert len(_events("login")) == 1


@pytest.mark.asvs("V6.3.8")
def test_wrong_password_and_unknown_user_get_the_same_answer(world, browser, clock):
    user = world.user(Role.PROCESREGISSEUR)
    wrong = browser.post_form(
        "/inloggen", {"username": user.username, "password": "Niet-het-goede-wachtwoord"}
    )
    unknown = browser.post_form(
        "/inloggen", {"username": "niemand@test.example", "password": "Niet-het-goede-wachtwoord"}
    )
    assert wrong.status_code == unknown.status_code == 200
    strip = lambda r: re.sub(r'value="[^"]*"', "", r.get_data(as_text=True))  # noqa: E731
    assert GENERIC in strip(wrong)
    # Same page apart from the echoed username and CSRF token.
    assert strip(wrong).replace(user.username, "X") == strip(unknown).replace(
        "niemand@test.example", "X"
    )
    assert "Fout:" in wrong.get_data(as_text=True)


@pytest.mark.asvs("V6.3.3", "V6.3.1")
def test_wrong_totp_is_refused_and_counted(world, browser, clock):
    user = world.user(Role.PROCESREGISSEUR)
    browser.post_form("/inloggen", {"username": user.username, "password": user.password})
    response = browser.post_form(
        "/inloggen/code", {"code": "000000" if user.current_code() != "000000" else "111111"}
    )
    assert response.status_code == 200
    assert "De code is onjuist of al gebruikt" in response.get_data(as_text=True)
    assert browser.get("/dashboard").status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).failed_attempts == 1


@pytest.mark.asvs("V6.5.1", "V16.3.1")
def test_replayed_totp_is_refused(world, browser, clock):
    user = world.user(Role.PROCESREGISSEUR)
    code = user.current_code()
    assert browser.login(user, code=code).status_code == 200
    browser.logout()
    clock.advance(seconds=5)  # same 30-second step
    second = browser.login(user, code=code, follow=False)
    assert second.status_code == 200
    assert "al gebruikt" in second.get_data(as_text=True)
    assert len(_events("totp_replay")) == 1


@pytest.mark.asvs("V6.5.5")
def test_code_of_previous_step_is_accepted_but_not_a_future_one(world, browser, clock):
    user = world.user(Role.PROCESREGISSEUR)
    totp = pyotp.TOTP(user.totp_secret)
    future = totp.at(clock.now.timestamp() + 30)
    response = browser.login(user, code=future, follow=False)
    assert response.status_code == 200  # refused, form shown again
    previous = totp.at(clock.now.timestamp() - 30)
    ok = browser.post_form("/inloggen/code", {"code": previous})
    assert ok.status_code == 302 and ok.headers["Location"].endswith("/dashboard")


@pytest.mark.asvs("V6.5.1")
def test_recovery_code_works_once(world, browser, clock, app):
    from levensloop.auth.services import regenerate_recovery_codes

    user = world.user(Role.PROCESREGISSEUR)
    codes = regenerate_recovery_codes(db.session.get(User, user.id))
    assert len(codes) == 10 and len(set(codes)) == 10
    assert browser.login(user, code=codes[0].lower()).status_code == 200
    browser.logout()
    again = browser.login(user, code=codes[0], follow=False)
    assert again.status_code == 200 and "De code is onjuist" in again.get_data(as_text=True)
    assert len(_events("recovery_code_used")) == 1


@pytest.mark.asvs("V6.3.1")
def test_five_failures_lock_the_account_for_fifteen_minutes(world, browser, clock):
    user = world.user(Role.PROCESREGISSEUR)
    for _ in range(5):
        browser.post_form(
            "/inloggen", {"username": user.username, "password": "Verkeerd-wachtwoord-123"}
        )
    db.session.expire_all()
    assert db.session.get(User, user.id).is_locked()
    locked = browser.post_form("/inloggen", {"username": user.username, "password": user.password})
    assert locked.status_code == 200 and GENERIC in locked.get_data(as_text=True)
    clock.advance(minutes=14)
    still = browser.post_form("/inloggen", {"username": user.username, "password": user.password})
    assert still.status_code == 200
    clock.advance(minutes=2)
    assert browser.login(user).status_code == 200
    assert len(_events("account_locked")) == 1


@pytest.mark.asvs("V6.3.1")
def test_totp_failures_count_towards_the_lock(world, browser, clock):
    user = world.user(Role.PROCESREGISSEUR)
    browser.post_form("/inloggen", {"username": user.username, "password": user.password})
    bad = "123456" if user.current_code() != "123456" else "654321"
    for _ in range(4):
        browser.post_form("/inloggen/code", {"code": bad})
    fifth = browser.post_form("/inloggen/code", {"code": bad})
    assert fifth.status_code == 302 and fifth.headers["Location"].endswith("/inloggen")
    db.session.expire_all()
    assert db.session.get(User, user.id).is_locked()


@pytest.mark.asvs("V7.2.4")
def test_session_token_changes_at_login(world, browser, clock):
    user = world.user(Role.PROCESREGISSEUR)
    browser.login(user)
    browser.logout()
    clock.advance(seconds=31)
    browser.login(user)
    db.session.expire_all()
    sessions = list(
        db.session.scalars(sa.select(UserSession).where(UserSession.user_id == user.id))
    )
    assert len(sessions) == 2
    assert sessions[0].token_hash != sessions[1].token_hash
    assert sum(1 for s in sessions if s.ended_at is None) == 1


@pytest.mark.asvs("V7.2.2")
def test_session_cookie_holds_no_user_id(world, browser, clock):
    user = world.user(Role.PROCESREGISSEUR)
    browser.login(user)
    with browser.client.session_transaction() as session:
        assert session["_user_id"] != str(user.id)
        assert "remember" not in str(dict(session)).lower() or session.get("_remember") != "set"


@pytest.mark.asvs("V7.4.1", "V7.2.1")
def test_logout_ends_the_server_side_session(world, browser, clock):
    user = world.user(Role.PROCESREGISSEUR)
    browser.login(user)
    with browser.client.session_transaction() as session:
        stolen = dict(session)
    browser.logout()
    assert browser.get("/dashboard").status_code == 302
    # Replaying the old cookie contents does not bring the session back.
    with browser.client.session_transaction() as session:
        session.update(stolen)
    assert browser.get("/dashboard").status_code == 302


@pytest.mark.asvs("V7.3.1")
def test_idle_timeout(world, browser, clock):
    user = world.user(Role.PROCESREGISSEUR)
    browser.login(user)
    clock.advance(minutes=14)
    assert browser.get("/dashboard").status_code == 200
    clock.advance(minutes=16)
    response = browser.get("/dashboard")
    assert response.status_code == 302 and "/inloggen" in response.headers["Location"]
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "automatisch uitgelogd" in page


@pytest.mark.asvs("V7.3.2")
def test_absolute_timeout_even_when_active(world, browser, clock):
    user = world.user(Role.PROCESREGISSEUR)
    browser.login(user)
    for _ in range(47):  # active every 10 minutes for 7h50
        clock.advance(minutes=10)
        assert browser.get("/dashboard").status_code == 200
    clock.advance(minutes=11)
    response = browser.get("/dashboard")
    assert response.status_code == 302
    assert "Uw sessie is verlopen" in browser.get(response.headers["Location"]).get_data(
        as_text=True
    )


@pytest.mark.asvs("V7.4.1")
def test_log_out_everywhere_ends_every_session(world, app, clock):
    from tests.conftest import Browser

    user = world.user(Role.PROCESREGISSEUR)
    phone, laptop = Browser(app.test_client()), Browser(app.test_client())
    phone.login(user)
    clock.advance(seconds=31)
    laptop.login(user)
    assert phone.get("/dashboard").status_code == 200
    laptop.post_form("/account", {}, action="/account/overal-uitloggen")
    assert phone.get("/dashboard").status_code == 302
    assert laptop.get("/dashboard").status_code == 302


@pytest.mark.asvs("V6.2.2", "V6.2.3", "V7.4.3")
def test_password_change_requires_current_password_and_policy(world, app, clock):
    from tests.conftest import Browser

    user = world.user(Role.PROCESREGISSEUR)
    here, other = Browser(app.test_client()), Browser(app.test_client())
    here.login(user)
    clock.advance(seconds=31)
    other.login(user)
    wrong = here.post_form(
        "/account",
        {
            "current_password": "fout-fout-fout-fout",
            "new_password": "Nog-een-heel-lange-zin-2026",
            "new_password_repeat": "Nog-een-heel-lange-zin-2026",
        },
        action="/account/wachtwoord",
    )
    assert "Het huidige wachtwoord is onjuist" in wrong.get_data(as_text=True)
    weak = here.post_form(
        "/account",
        {
            "current_password": user.password,
            "new_password": "wachtwoord123",
            "new_password_repeat": "wachtwoord123",
        },
        action="/account/wachtwoord",
    )
    assert "minstens 12 tekens" in weak.get_data(as_text=True) or "veelgebruikte" in weak.get_data(
        as_text=True
    )
    ok = here.post_form(
        "/account",
        {
            "current_password": user.password,
            "new_password": "Nog-een-heel-lange-zin-2026",
            "new_password_repeat": "Nog-een-heel-lange-zin-2026",
        },
        action="/account/wachtwoord",
    )
    assert ok.status_code == 302
    assert here.get("/dashboard").status_code == 200  # this session stays
    assert other.get("/dashboard").status_code == 302  # other sessions end


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "///evil.example",
        "http:/evil.example",
        "/%5C%5Cevil.example",
        "javascript:alert(1)",
        "/bestaat-niet",
        " //evil.example",
    ],
)
@pytest.mark.asvs("V3.7.2", "V1.2.2")
def test_next_parameter_cannot_redirect_elsewhere(world, browser, clock, target):
    user = world.user(Role.PROCESREGISSEUR)
    browser.post_form(
        f"/inloggen?next={target}",
        {"username": user.username, "password": user.password},
        action=f"/inloggen?next={target}",
    )
    response = browser.post_form("/inloggen/code", {"code": user.current_code()})
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard"


def test_next_parameter_returns_to_a_local_page(world, browser, clock):
    user = world.user(Role.PROCESREGISSEUR)
    browser.post_form(
        "/inloggen?next=/account",
        {"username": user.username, "password": user.password},
        action="/inloggen?next=/account",
    )
    response = browser.post_form("/inloggen/code", {"code": user.current_code()})
    assert response.headers["Location"] == "/account"


@pytest.mark.asvs("V7.4.2", "V3.5.3")
def test_deactivated_user_loses_access_at_once(world, app, clock):
    from tests.conftest import Browser

    admin = world.user(Role.FUNCTIONEEL_BEHEERDER)
    worker = world.user(Role.LEVENSLOOPCOORDINATOR, organisation=world.west_ggz)
    admin_browser, worker_browser = Browser(app.test_client()), Browser(app.test_client())
    worker_browser.login(worker)
    assert worker_browser.get("/dashboard").status_code == 200
    clock.advance(seconds=31)
    admin_browser.login(admin)
    url = f"/beheer/gebruikers/{worker.id}/deactiveren"
    assert admin_browser.get(url).status_code == 200  # confirmation page first
    assert admin_browser.post_form(url, {}).status_code == 302
    assert worker_browser.get("/dashboard").status_code == 302
    clock.advance(seconds=31)
    again = worker_browser.post_form(
        "/inloggen", {"username": worker.username, "password": worker.password}
    )
    assert "De combinatie van gebruikersnaam en wachtwoord is onjuist" in again.get_data(
        as_text=True
    )


@pytest.mark.asvs("V6.4.1")
def test_must_change_password_before_first_session(world, browser, clock):
    user = world.user(Role.PROCESREGISSEUR, must_change_password=True)
    response = browser.login(user, follow=False)
    assert response.headers["Location"].endswith("/inloggen/nieuw-wachtwoord")
    assert browser.get("/dashboard").status_code == 302  # no session yet
    done = browser.post_form(
        "/inloggen/nieuw-wachtwoord",
        {
            "new_password": "Mijn-eigen-lange-zin-2026",
            "new_password_repeat": "Mijn-eigen-lange-zin-2026",
        },
    )
    assert done.status_code == 302 and done.headers["Location"].endswith("/dashboard")
    assert browser.get("/dashboard").status_code == 200


def test_pending_login_expires(world, browser, clock):
    user = world.user(Role.PROCESREGISSEUR)
    browser.post_form("/inloggen", {"username": user.username, "password": user.password})
    clock.advance(minutes=6)
    response = browser.get("/inloggen/code")
    assert response.status_code == 302 and response.headers["Location"].endswith("/inloggen")


@pytest.mark.asvs("V2.3.1", "V6.3.3")
def test_code_page_without_password_step_is_refused(browser, world):
    assert browser.get("/inloggen/code").status_code == 302
    assert browser.get("/inloggen/koppelen").status_code == 302
    assert browser.get("/inloggen/koppelen/qr.svg").status_code == 404
