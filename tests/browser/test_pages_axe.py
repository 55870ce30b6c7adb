"""Every demo user logs in and walks the pages of their navigation, a person's file and the
privacy and administration screens; axe finds no serious or critical violations on any."""

from __future__ import annotations

import pyotp
import pytest

from levensloop import demo
from levensloop.auth.services import _seal_totp
from tests.browser.conftest import assert_accessible


@pytest.fixture
def demo_app(live_app):
    demo.seed(lambda user, secret: _seal_totp(user, "totp_secret", secret))
    return live_app


def _login(page, username, secret):
    page.goto("/inloggen")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Volgende").click()
    page.get_by_label("Code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/dashboard")


def _visit(page, name, url=None):
    if url:
        page.goto(url)
    assert page.locator("h1").count() == 1, f"{name}: niet precies één h1"
    assert_accessible(page, name)


@pytest.mark.parametrize(
    "demo_user", demo.USERS, ids=[u.username.split("@")[0] for u in demo.USERS]
)
def test_every_page_of_every_demo_role_is_accessible(playwright_browser, demo_app, demo_user):
    context = playwright_browser.new_context(base_url=demo_app.config["LIVE_URL"], locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(10000)
    role = demo_user.username.split("@")[0]
    _login(page, demo_user.username, demo_user.totp_secret)
    _visit(page, f"{role}-dashboard")
    _visit(page, f"{role}-berichten", "/berichten/")
    links = page.locator("nav[aria-label] a[href^='/']").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    )
    for href in dict.fromkeys(links):
        if href.startswith(("/static", "/inloggen")):
            continue
        _visit(page, f"{role}-{href.strip('/').replace('/', '-') or 'start'}", href)
    if role in ("coordinator", "procesregisseur", "ketenpartner", "casusregisseur"):
        page.goto("/personen/")
        person_links = page.locator("table a[href^='/personen/']")
        assert person_links.count() > 0, f"{role}: geen personen in de lijst"
        person_links.first.click()
        _visit(page, f"{role}-persoon")
        page.get_by_role("link", name="Gedeeld met").click()
        _visit(page, f"{role}-gedeeld-met")
    if role == "procesregisseur":
        page.goto("/personen/nieuw")
        page.get_by_role("button", name="Opslaan").click()
        _visit(page, "procesregisseur-persoon-fout")
    if role == "privacy":
        for href in (
            "/privacybeheer/verzoeken",
            "/privacybeheer/verzoeken/nieuw",
            "/privacybeheer/noodtoegang",
            "/privacybeheer/logboek",
            "/privacybeheer/informatieplicht",
        ):
            _visit(page, f"privacy-{href.rsplit('/', 1)[1]}", href)
    if role == "beheerder":
        for href in (
            "/beheer/deelmatrix/om",
            "/beheer/gebruikers/nieuw",
            "/beheer/organisaties/nieuw",
            "/account",
        ):
            _visit(page, f"beheerder-{href.strip('/').replace('/', '-')}", href)
    context.close()
