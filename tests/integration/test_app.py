"""Configuration, health check, demo data, language."""

from __future__ import annotations

import base64

import pytest
import sqlalchemy as sa

from levensloop import create_app
from levensloop.auth.models import Role, User
from levensloop.extensions import db

GOOD_PRODUCTION = {
    "CONFIG_NAME": "production",
    "SECRET_KEY": "x" * 48,
    "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://levensloop@db.invalid/levensloop",
    "MASTER_KEYS": "1:"
    + base64.b64encode(b"\x07" * 32).decode()
    + ",index:"
    + base64.b64encode(b"\x08" * 32).decode(),
    "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
}


@pytest.mark.asvs("V13.4.2")
def test_production_config_with_real_settings_starts():
    app = create_app(dict(GOOD_PRODUCTION))
    assert app.config["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert not app.debug


@pytest.mark.parametrize(
    "key,value,message",
    [
        ("SECRET_KEY", None, "LEVENSLOOP_SECRET_KEY"),
        ("SECRET_KEY", "dev", "LEVENSLOOP_SECRET_KEY"),
        ("SECRET_KEY", "test-secret-key", "LEVENSLOOP_SECRET_KEY"),
        ("SECRET_KEY", "kort", "LEVENSLOOP_SECRET_KEY"),
        ("SQLALCHEMY_DATABASE_URI", None, "LEVENSLOOP_DATABASE_URL"),
        ("SQLALCHEMY_DATABASE_URI", "sqlite://", "LEVENSLOOP_DATABASE_URL"),
        ("MASTER_KEYS", None, "LEVENSLOOP_MASTER_KEYS"),
        ("MASTER_KEYS", "1:" + base64.b64encode(b"\x01" * 32).decode(), "bekende testsleutel"),
        ("RATELIMIT_STORAGE_URI", "", "LEVENSLOOP_RATELIMIT_STORAGE_URI"),
        ("MASTER_KEYS", "1:" + base64.b64encode(b"\x07" * 32).decode(), "indexsleutel"),
        (
            "MASTER_KEYS",
            "1:"
            + base64.b64encode(b"\x07" * 32).decode()
            + ",index:"
            + base64.b64encode(b"\x02" * 32).decode(),
            "bekende testsleutel",
        ),
    ],
)
@pytest.mark.asvs("V13.3.1")
def test_production_refuses_missing_or_default_settings(key, value, message):
    settings = dict(GOOD_PRODUCTION)
    settings[key] = value
    with pytest.raises(RuntimeError, match=message):
        create_app(settings)


@pytest.mark.asvs("V3.3.1", "V3.3.2", "V3.3.3", "V3.3.4")
def test_production_session_cookie_flags_on_login(monkeypatch):
    app = (
        create_app(
            {
                **GOOD_PRODUCTION,
                "SQLALCHEMY_DATABASE_URI": "sqlite://",
                "CONFIG_NAME": "production",
                "FORCE_HTTPS": False,
            }
        )
        if False
        else None
    )
    # The sqlite:// URL is refused in production, so check the cookie through a real database URL
    # with a request that does not touch the database: the login page sets the CSRF session.
    app = create_app(dict(GOOD_PRODUCTION))
    client = app.test_client()
    response = client.get("/inloggen", base_url="https://levensloop.example")
    cookie = response.headers.get("Set-Cookie", "")
    assert cookie.startswith("__Host-levensloop_session=")
    assert (
        "Secure" in cookie
        and "HttpOnly" in cookie
        and "SameSite=Lax" in cookie
        and "Path=/" in cookie
    )
    assert "Domain=" not in cookie
    assert "Strict-Transport-Security" in response.headers


def test_production_redirects_http_to_https():
    app = create_app(dict(GOOD_PRODUCTION))
    response = app.test_client().get("/inloggen", base_url="http://levensloop.example")
    assert response.status_code in (301, 302) and response.headers["Location"].startswith(
        "https://"
    )


@pytest.mark.asvs("V13.4.5")
def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


@pytest.mark.asvs("V16.5.2")
def test_healthz_reports_unreachable_database():
    from tests.conftest import make_app

    app = make_app(
        "postgresql+psycopg://nobody@127.0.0.1:1/nergens",
        SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"connect_timeout": 2}},
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "error"}


def test_seed_demo_creates_users_per_role_and_refuses_twice(app, runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "Demo-Levensloop-2026" in result.output
    users = list(db.session.scalars(sa.select(User)))
    roles = {a.role for u in users for a in u.roles}
    assert roles == set(Role)
    assert all(u.totp_enrolled for u in users)
    regions = {a.region_id for u in users for a in u.roles}
    assert len(regions) == 2
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code != 0
    quiet = runner.invoke(args=["seed-demo", "--if-empty"])
    assert quiet.exit_code == 0 and "niet opnieuw" in quiet.output


def test_demo_users_can_log_in_with_their_documented_totp(app, runner, browser, clock):
    import pyotp

    from levensloop import demo
    from tests.factories import TestUser

    runner.invoke(args=["seed-demo"])
    for _n, demo_user in enumerate(demo.USERS):
        clock.advance(seconds=31)
        model = db.session.scalar(sa.select(User).where(User.username == demo_user.username))
        user = TestUser(model, demo.DEMO_PASSWORD, demo_user.totp_secret)
        page = browser.login(user, code=pyotp.TOTP(demo_user.totp_secret).now())
        assert page.status_code == 200 and demo_user.display_name in page.get_data(as_text=True), (
            demo_user.username
        )
        browser.logout()


@pytest.mark.asvs("V6.3.2", "V15.2.3")
def test_seed_demo_refused_in_production():
    app = create_app(dict(GOOD_PRODUCTION))
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code != 0 and "productie" in result.output


def test_language_switch_to_english_and_back(world, browser, clock):
    user = world.user(Role.LEVENSLOOPCOORDINATOR)
    browser.login(user)
    response = browser.post_form("/dashboard", {"lang": "en", "next": "/dashboard"}, action="/taal")
    assert response.headers["Location"] == "/dashboard"
    html = browser.get("/dashboard").get_data(as_text=True)
    assert '<html lang="en"' in html and "My caseload" in html
    browser.post_form("/dashboard", {"lang": "nl", "next": "//evil.example"}, action="/taal")
    html = browser.get("/dashboard").get_data(as_text=True)
    assert '<html lang="nl"' in html and "Mijn caseload" in html


def test_anonymous_language_switch(browser):
    browser.post_form("/inloggen", {"lang": "en", "next": "/inloggen"}, action="/taal")
    html = browser.get("/inloggen").get_data(as_text=True)
    assert '<html lang="en"' in html and "Log in to Levensloop" in html


def test_dashboard_empty_states_per_role(world, browser, clock):
    browser.login(world.user(Role.PRIVACY_OFFICER, Role.LANDELIJK_ANALIST))
    html = browser.get("/dashboard").get_data(as_text=True)
    assert "Privacy" in html and "Landelijke cijfers" in html
    assert "Mijn caseload" not in html


def test_create_admin_command_bootstraps_a_region(app, runner):
    assert runner.invoke(args=["regions", "create", "zvh-x", "ZVH X"]).exit_code == 0
    result = runner.invoke(
        args=[
            "users",
            "create-admin",
            "--region",
            "zvh-x",
            "--organisation",
            "ZVH X",
            "--username",
            "beheer@zvh-x.example",
            "--name",
            "Beheerder X",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(sa.select(User).where(User.username == "beheer@zvh-x.example"))
    assert user.must_change_password and {a.role for a in user.roles} == {
        Role.FUNCTIONEEL_BEHEERDER
    }
