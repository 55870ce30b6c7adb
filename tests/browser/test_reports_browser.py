"""The monthly report in a real browser, with the demo data and twelve backfilled months: the
landelijk analist's national report (protected tables, the SVG trend next to its table), the
procesregisseur's region report and the beheerder's API tokens; axe finds no serious or
critical violations on any of them, also without JavaScript."""

from __future__ import annotations

import pyotp
import pytest

from levensloop import demo
from levensloop.auth.services import _seal_totp
from levensloop.db import local_today
from levensloop.reports.demo import seed_demo
from levensloop.reports.measures import Month
from tests.browser.conftest import assert_accessible

USERS = {u.username.split("@")[0]: u for u in demo.USERS}


@pytest.fixture
def demo_app(live_app):
    demo.seed(lambda user, secret: _seal_totp(user, "totp_secret", secret))
    seed_demo(local_today())
    return live_app


def _page(playwright_browser, app, *, javascript=True):
    context = playwright_browser.new_context(
        base_url=app.config["LIVE_URL"], locale="nl-NL", java_script_enabled=javascript
    )
    page = context.new_page()
    page.set_default_timeout(10000)
    return context, page


def _login(page, role):
    user = USERS[role]
    page.goto("/inloggen")
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Volgende").click()
    page.get_by_label("Code").fill(pyotp.TOTP(user.totp_secret).now())
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/dashboard")


def test_national_report_of_the_landelijk_analist(playwright_browser, demo_app):
    context, page = _page(playwright_browser, demo_app)
    _login(page, "analist")
    page.get_by_role("link", name="Maandcijfers").first.click()
    page.wait_for_url("**/rapportages/")
    assert page.locator("h1").inner_text() == "Landelijke maandcijfers"
    last = Month.of(local_today()).previous()
    assert page.get_by_label("Maand", exact=True).input_value() == str(last)
    # The trend as an image with a name, and the same numbers as a table.
    chart = page.get_by_role("img", name="Landelijke trend van de maandcijfers")
    assert chart.count() == 1
    trend = page.get_by_role("table", name="Landelijke totalen per maand")
    assert trend.locator("tbody tr").count() == 12
    overview = page.get_by_role("table", name="Overzicht per regio")
    assert overview.locator("tbody tr").count() == 3  # two regions and the national total
    body = page.locator("main").inner_text()
    assert "<5" in body and "<10" in body
    for name in demo.DEMO_SURNAMES:
        assert name not in body
    assert_accessible(page, "rapportages-landelijk")

    # Another month through the selector (a plain GET form).
    page.get_by_label("Maand", exact=True).select_option(str(last.previous()))
    page.get_by_role("button", name="Tonen").click()
    page.wait_for_url(f"**maand={last.previous()}")
    assert_accessible(page, "rapportages-landelijk-vorige-maand")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download als XLSX").click()
    assert download.value.suggested_filename == f"maandcijfers-landelijk-{last.previous()}.xlsx"

    page.goto("/rapportages/?maand=2000-13")
    assert "Kies een afgelopen maand uit de lijst." in page.locator("main").inner_text()
    assert page.title().startswith("Fout:")
    assert_accessible(page, "rapportages-landelijk-foute-maand")
    context.close()


def test_region_report_of_the_procesregisseur(playwright_browser, demo_app):
    context, page = _page(playwright_browser, demo_app)
    _login(page, "procesregisseur")
    # The demo procesregisseur works in both demo regions; West has the case history.
    page.get_by_label("Regio", exact=True).select_option(label="ZVH Demo West")
    page.get_by_role("button", name="Wissel regio").click()
    page.goto("/rapportages/")
    assert page.locator("h1").inner_text() == "Maandcijfers ZVH Demo West"
    assert page.get_by_role("img", name="Trend van de maandcijfers van ZVH Demo West").count() == 1
    assert page.get_by_role("table", name="Trend per maand").locator("tbody tr").count() == 12
    assert_accessible(page, "rapportages-regio")
    # A correction without changes is refused at the field.
    page.get_by_label("Reden van de correctie").fill("Controle na naregistratie (demo)")
    page.get_by_role("button", name="Correctie vastleggen").click()
    assert "niet veranderd" in page.locator("#correction_month-error").inner_text()
    assert page.title().startswith("Fout:")
    assert_accessible(page, "rapportages-regio-correctie-fout")

    # Without JavaScript (same session): a month long ago is frozen from the history.
    plain = playwright_browser.new_context(
        base_url=demo_app.config["LIVE_URL"],
        locale="nl-NL",
        java_script_enabled=False,
        storage_state=context.storage_state(),
    )
    no_js = plain.new_page()
    no_js.set_default_timeout(10000)
    no_js.goto("/rapportages/")
    long_ago = Month.of(local_today()).shift(-20)
    no_js.get_by_label("Maand om vast te leggen").select_option(str(long_ago))
    no_js.get_by_role("button", name="Maand vastleggen").click()
    assert "De maand is vastgelegd (revisie 1)." in no_js.locator("main").inner_text()
    assert f"maand={long_ago}" in no_js.url
    plain.close()
    page.goto(f"/rapportages/?maand={long_ago}")
    assert "Revisie 1" in page.locator("main").inner_text()
    assert_accessible(page, "rapportages-regio-vastgelegd")
    context.close()


def test_api_tokens_of_the_beheerder(playwright_browser, demo_app):
    context, page = _page(playwright_browser, demo_app)
    _login(page, "beheerder")
    page.goto("/beheer/api-sleutels/")
    assert_accessible(page, "api-sleutels")
    page.get_by_role("button", name="Sleutel aanmaken").click()
    assert page.title().startswith("Fout:")
    assert_accessible(page, "api-sleutels-fout")
    page.get_by_label("Naam van de sleutel").fill("Dashboard (demo)")
    page.get_by_role("button", name="Sleutel aanmaken").click()
    secret = page.get_by_label("De sleutel").input_value()
    assert secret.startswith("llk_")
    assert_accessible(page, "api-sleutel-aangemaakt")
    response = page.request.get(
        "/api/v1/rapportages/maand",
        params={"maand": str(Month.of(local_today()).previous())},
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status == 200 and response.json()["regios"]
    page.goto("/beheer/api-sleutels/")
    page.get_by_role("button", name="Intrekken sleutel Dashboard (demo)").click()
    assert "Ingetrokken" in page.locator("main").inner_text()
    context.close()
