"""Authentication details that ASVS 5.0 asks for and that the login tests do not already cover:
password fields, context-specific words, no forced rotation, one-time passwords after a reset,
recovery codes at rest, the session token, and the audit records of every login step."""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from levensloop.audit.models import AuditEvent
from levensloop.auth import passwords, totp
from levensloop.auth.models import RecoveryCode, Role, User, UserSession
from levensloop.extensions import db
from tests.conftest import Browser

PASSWORD_INPUT = re.compile(r"<input[^>]*>")


def _password_inputs(html: str) -> dict[str, str]:
    """name -> the <input> tag, for every input that holds a password."""
    found = {}
    for tag in PASSWORD_INPUT.findall(html):
        name = re.search(r'name="([^"]+)"', tag)
        if name and "password" in name.group(1):
            found[name.group(1)] = tag
    return found


@pytest.mark.asvs("V6.2.6", "V6.2.7")
def test_password_fields_are_masked_and_allow_paste_and_managers(world, browser, clock):
    login = _password_inputs(browser.get("/inloggen").get_data(as_text=True))
    browser.login(world.user(Role.PROCESREGISSEUR))
    account = _password_inputs(browser.get("/account").get_data(as_text=True))
    assert set(login) == {"password"}
    assert {"current_password", "new_password", "new_password_repeat"} <= set(account)
    for name, tag in {**login, **account}.items():
        assert 'type="password"' in tag, name
        assert not re.search(r"\bon(paste|copy|cut|drop|keydown)=", tag), name
        assert 'autocomplete="off"' not in tag, name
    assert 'autocomplete="current-password"' in login["password"]
    assert 'autocomplete="new-password"' in account["new_password"]


@pytest.mark.asvs("V6.2.11")
@pytest.mark.parametrize(
    "password", ["Levensloop-2026!", "levensloopaanpak", "Zorgenveiligheidshuis1"]
)
def test_context_specific_words_are_refused(app, password):
    errors = " ".join(passwords.policy_errors(password, username="anna@zvh.example"))
    assert "veelgebruikte" in errors


@pytest.mark.asvs("V6.2.10")
def test_an_old_password_stays_valid(world, browser, clock):
    user = world.user(Role.PROCESREGISSEUR)
    user.model.password_changed_at = clock.now - timedelta(days=3650)
    db.session.commit()
    page = browser.login(user)
    assert page.status_code == 200 and "Dashboard" in page.get_data(as_text=True)


@pytest.mark.asvs("V6.4.1", "V6.4.3")
def test_one_time_password_is_random_single_use_and_keeps_the_second_factor(world, app, clock):
    from levensloop.auth.admin import reset_password, temporary_password

    samples = {temporary_password() for _ in range(50)}
    assert len(samples) == 50
    assert all(passwords.policy_errors(p) == [] for p in samples)
    admin = world.user(Role.FUNCTIONEEL_BEHEERDER)
    worker = world.user(Role.KETENPARTNER, organisation=world.west_ggz)
    issued = reset_password(db.session.get(User, admin.id), world.west, worker.model)
    worker.password = issued
    browser = Browser(app.test_client())
    first = browser.post_form("/inloggen", {"username": worker.username, "password": issued})
    assert first.headers["Location"].endswith("/inloggen/code")  # the second factor stays
    second = browser.login(worker, follow=False)
    assert second.headers["Location"].endswith("/inloggen/nieuw-wachtwoord")
    assert browser.get("/dashboard").status_code == 302  # no session on the issued password
    same = browser.post_form(
        "/inloggen/nieuw-wachtwoord", {"new_password": issued, "new_password_repeat": issued}
    )
    assert "moet anders zijn dan het huidige" in same.get_data(as_text=True)
    assert browser.get("/dashboard").status_code == 302
    own = "Een-eigen-zin-na-de-reset-2026"
    done = browser.post_form(
        "/inloggen/nieuw-wachtwoord", {"new_password": own, "new_password_repeat": own}
    )
    assert done.headers["Location"].endswith("/dashboard")
    db.session.expire_all()
    assert not passwords.verify_password(db.session.get(User, worker.id).password_hash, issued)


@pytest.mark.asvs("V6.5.2", "V6.5.4")
def test_recovery_codes_have_120_bits_and_only_their_hash_is_kept(world):
    from levensloop.auth.services import regenerate_recovery_codes

    user = world.user(Role.PROCESREGISSEUR)
    codes = regenerate_recovery_codes(db.session.get(User, user.id))
    alphabet = set("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
    for code in codes:
        symbols = code.replace("-", "")
        assert len(symbols) == 24 and set(symbols) <= alphabet  # 24 x 5 bits = 120 >= 112
    stored = set(db.session.scalars(sa.select(RecoveryCode.code_hash)))
    assert len(stored) == 10
    assert not stored & {c for code in codes for c in (code, code.replace("-", ""))}
    expected = {hashlib.sha256(code.replace("-", "").encode()).hexdigest() for code in codes}
    assert stored == expected
    assert totp.recovery_code_hash(codes[0].lower()) in stored


@pytest.mark.asvs("V7.2.2", "V7.2.3", "V14.3.3")
def test_session_token_is_random_256_bits_and_stored_as_a_hash(world, app, clock):
    user = world.user(Role.PROCESREGISSEUR)
    tokens = []
    for _ in range(2):
        browser = Browser(app.test_client())
        browser.login(user)
        with browser.client.session_transaction() as session:
            tokens.append(session["_user_id"])
            cookie = str(dict(session))
        for personal in (user.username, user.model.display_name, str(user.id)):
            assert personal not in cookie
        clock.advance(seconds=31)
    assert tokens[0] != tokens[1]
    for token in tokens:
        assert len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))) >= 16
    db.session.expire_all()
    stored = {s.token_hash for s in db.session.scalars(sa.select(UserSession))}
    assert stored == {hashlib.sha256(t.encode()).hexdigest() for t in tokens}


@pytest.mark.asvs("V16.3.1", "V16.2.2", "V16.2.5")
def test_every_login_step_is_logged_in_utc_without_secrets(world, browser, clock):
    user = world.user(Role.PROCESREGISSEUR)
    wrong_code = "246813" if user.current_code() != "246813" else "135792"
    browser.post_form("/inloggen", {"username": "niemand@test.example", "password": "Geheim-1-x"})
    browser.post_form("/inloggen", {"username": user.username, "password": "Geheim-2-xyz"})
    browser.post_form("/inloggen", {"username": user.username, "password": user.password})
    browser.post_form("/inloggen/code", {"code": wrong_code})
    browser.post_form("/inloggen/code", {"code": user.current_code()})
    browser.logout()
    db.session.expire_all()
    events = list(db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.chain_seq)))
    steps = [
        (e.event_type, e.outcome, (e.details or {}).get("reason"))
        for e in events
        if e.event_type in ("login_failed", "login", "logout")
    ]
    assert steps == [
        ("login_failed", "failure", "unknown_user"),
        ("login_failed", "failure", "wrong_password"),
        ("login_failed", "failure", "wrong_totp"),
        ("login", "success", None),
        ("logout", "success", None),
    ]
    for event in events:
        assert event.occurred_at.utcoffset() == timedelta(0)
        assert abs(event.occurred_at - clock.now) < timedelta(seconds=1)
        text = " ".join(str(v) for v in vars(event).values())
        for secret in ("Geheim-1-x", "Geheim-2-xyz", user.password, wrong_code, "niemand@"):
            assert secret not in text


@pytest.mark.asvs("V6.3.8")
def test_unknown_user_costs_the_same_password_hashing(world, browser, clock, monkeypatch):
    """The response time does not tell whether an account exists: an unknown username is
    checked against a dummy argon2 hash, exactly as much work as a wrong password."""
    user = world.user(Role.PROCESREGISSEUR)
    browser.get("/inloggen")
    calls = []
    original = PasswordHasher.verify
    monkeypatch.setattr(
        PasswordHasher, "verify", lambda self, *a: calls.append(1) or original(self, *a)
    )
    for username in (user.username, "niemand@test.example"):
        calls.clear()
        browser.post_form("/inloggen", {"username": username, "password": "Fout-wachtwoord-9"})
        assert len(calls) == 1, username
