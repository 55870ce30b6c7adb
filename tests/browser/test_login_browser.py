"""A new user enrols TOTP in Chromium, logs in and reaches the dashboard; axe checks each page."""

from __future__ import annotations

import re

import pyotp
import pytest

from levensloop.auth.models import Role
from tests.browser.conftest import assert_accessible
from tests.factories import World


@pytest.mark.asvs("V6.3.3")
def test_enrol_login_and_dashboard_are_accessible(page, live_app):
    world = World.build()
    user = world.user(Role.LEVENSLOOPCOORDINATOR, Role.FUNCTIONEEL_BEHEERDER, enrolled=False)

    page.goto("/inloggen")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert_accessible(page, "01-inloggen")

    # A wrong password shows the error summary, also accessible.
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill("Niet-het-goede-wachtwoord")
    page.get_by_role("button", name="Volgende").click()
    assert page.title().startswith("Fout:")
    assert "De combinatie van gebruikersnaam en wachtwoord is onjuist" in page.content()
    assert_accessible(page, "02-inloggen-fout")

    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(user.password)
    page.get_by_role("button", name="Volgende").click()
    page.wait_for_url("**/inloggen/koppelen")
    assert page.locator("img[src$='qr.svg']").evaluate("img => img.naturalWidth") > 0
    assert_accessible(page, "03-koppelen")

    secret = page.locator("code.levensloop-secret").inner_text().replace(" ", "")
    page.get_by_label("Code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Koppelen").click()
    codes = page.locator("ul.levensloop-codes code").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[A-Z2-9]{4}(-[A-Z2-9]{4}){5}", c) for c in codes)
    assert_accessible(page, "04-herstelcodes")

    page.get_by_role("button", name="Ik heb de codes bewaard, ga verder").click()
    page.wait_for_url("**/dashboard")
    assert "Mijn caseload" in page.content()
    assert user.model.display_name in page.content()
    assert_accessible(page, "05-dashboard")

    page.get_by_role("link", name="Gebruikers", exact=True).first.click()
    page.wait_for_url("**/beheer/gebruikers/")
    assert_accessible(page, "06-gebruikers")

    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url("**/inloggen")
    assert "U bent uitgelogd" in page.content()


def test_pages_work_without_javascript(playwright_browser, live_app):
    world = World.build()
    user = world.user(Role.PROCESREGISSEUR)
    context = playwright_browser.new_context(
        base_url=live_app.config["LIVE_URL"], java_script_enabled=False
    )
    page = context.new_page()
    page.goto("/inloggen")
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(user.password)
    page.get_by_role("button", name="Volgende").click()
    page.get_by_label("Code").fill(user.current_code())
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/dashboard")
    assert "Regio-overzicht" in page.content()
    context.close()
