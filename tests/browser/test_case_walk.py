"""The demo users walk the whole route in a real browser: a ketenpartner refers a person, the
procesregisseur triages and brings them to the inclusion table, includes them and fills the
roles, the coördinator draws up the plan, adopts it, starts execution and records the first
review. axe checks every page they pass (no serious or critical violations)."""

from __future__ import annotations

import re

import pyotp
import pytest

from levensloop import demo
from levensloop.auth.services import _seal_totp
from levensloop.db import local_today
from tests.browser.conftest import assert_accessible

USERS = {u.username.split("@")[0]: u for u in demo.USERS}


@pytest.fixture
def demo_app(live_app):
    demo.seed(lambda user, secret: _seal_totp(user, "totp_secret", secret))
    return live_app


def _session(playwright_browser, app, who: str):
    user = USERS[who]
    context = playwright_browser.new_context(base_url=app.config["LIVE_URL"], locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(10000)
    page.goto("/inloggen")
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Volgende").click()
    page.get_by_label("Code").fill(pyotp.TOTP(user.totp_secret).now())
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/dashboard")
    return context, page


def _check(page, name: str) -> None:
    assert page.locator("h1").count() == 1, f"{name}: niet precies één h1"
    assert_accessible(page, f"walk-{name}")


def _flash(page, text: str) -> None:
    assert text in page.locator("main").inner_text(), f"verwacht: {text}"


def test_referral_to_review_in_the_browser(playwright_browser, demo_app):
    # 1. A ketenpartner refers a person.
    partner_context, partner = _session(playwright_browser, demo_app, "ketenpartner")
    partner.goto("/aanmeldingen/nieuw")
    _check(partner, "aanmelden")
    partner.get_by_role("button", name="Aanmelding indienen").click()
    _check(partner, "aanmelden-fouten")
    assert partner.locator(".utrecht-form-field-error-message").count() >= 1
    partner.get_by_label("Voornamen").fill("Wim")
    partner.get_by_label("Achternaam").fill("Wandelaar")
    partner.get_by_label("Waarom meldt u deze persoon aan?").fill(
        "Demo: dakloos na ontslag uit de kliniek, dreigt buren, zorg en politie betrokken."
    )
    partner.get_by_label("Zorgen op meerdere leefgebieden").check()
    partner.get_by_label("De veiligheid is in het geding").check()
    partner.get_by_role("button", name="Aanmelding indienen").click()
    _check(partner, "aanmelding-ingediend")
    assert "Ingediend" in partner.locator("main").inner_text()
    partner_context.close()

    # 2. The procesregisseur triages it and sends it to the table.
    regisseur_context, regisseur = _session(playwright_browser, demo_app, "procesregisseur")
    regisseur.get_by_label("Regio", exact=True).select_option(label="ZVH Demo West")
    regisseur.get_by_role("button", name="Wissel regio").click()
    regisseur.goto("/aanmeldingen/?status=ingediend")
    _check(regisseur, "aanmeldingen")
    regisseur.get_by_role("link", name=re.compile("Wandelaar")).first.click()
    _check(regisseur, "aanmelding")
    regisseur.get_by_role("button", name="In triage nemen").click()
    regisseur.get_by_label("Datum van de triage").fill(local_today().isoformat())
    regisseur.get_by_label("Deelnemers aan de triage").fill("ZVH, GGZ, reclassering (demo)")
    regisseur.get_by_label("Uitkomst").select_option("naar_inclusietafel")
    regisseur.get_by_label("Motivering").fill("Voldoet aan de criteria; agenderen (demo).")
    regisseur.get_by_role("button", name="Triage vastleggen").click()
    _check(regisseur, "triage-vastgelegd")

    # 3. The inclusion table: a meeting, the decision as one act.
    regisseur.goto("/inclusietafel/")
    _check(regisseur, "inclusietafel")
    regisseur.get_by_label("Zorg- en Veiligheidshuis Demo West").check()
    regisseur.get_by_label("GGZ Voorbeeld (FACT)").check()
    regisseur.get_by_role("button", name="Tafel aanmaken").click()
    _check(regisseur, "tafel")
    regisseur.get_by_role("link", name=re.compile("Besluit vastleggen.*Wandelaar")).click()
    _check(regisseur, "besluit")
    for group in regisseur.locator("fieldset[role=radiogroup]").all():
        group.get_by_label("ja", exact=True).check()
    regisseur.locator("#evid_hoog_risico").fill("Dreigementen richting buren (demo).")
    regisseur.get_by_label("Uitkomst").select_option("geincludeerd")
    regisseur.get_by_label("Motivering").fill("Voldoet aan alle criteria (demo).")
    regisseur.get_by_role("button", name="Besluit vastleggen").click()
    _check(regisseur, "besluit-vastgelegd")
    regisseur.get_by_role("link", name="Naar het dossier").first.click()
    _check(regisseur, "dossier-na-inclusie")
    person_url = regisseur.url
    regisseur.get_by_role("link", name="Traject openen").click()
    _check(regisseur, "traject")
    regisseur.get_by_label("Levensloopaanbieder").select_option(label="GGZ Voorbeeld (FACT)")
    regisseur.get_by_label("Levensloopcoördinator").select_option(label="Demo Coördinator")
    regisseur.get_by_label("Gemeentelijke casusregisseur").select_option(
        label="Demo Casusregisseur"
    )
    regisseur.get_by_role("button", name="Rollen vastleggen").click()
    _check(regisseur, "traject-rollen")
    regisseur_context.close()

    # 4. The coördinator draws up the plan, adopts it and starts execution.
    coordinator_context, coordinator = _session(playwright_browser, demo_app, "coordinator")
    coordinator.goto(person_url.replace(demo_app.config["LIVE_URL"], "") + "/plan")
    _check(coordinator, "plan-leeg")
    coordinator.get_by_role("button", name="Plan opstellen").click()
    _check(coordinator, "plan-concept")
    coordinator.locator("#situation-wonen").fill("Slaapt in de nachtopvang (demo).")
    coordinator.locator("#score-wonen").select_option("2")
    coordinator.locator("#leefgebied-wonen").get_by_role(
        "button", name="Leefgebied opslaan"
    ).click()
    coordinator.get_by_label("Doel (SMART)").fill("Binnen drie maanden een vaste woonplek (demo).")
    coordinator.get_by_role("button", name="Doel toevoegen").click()
    coordinator.get_by_label("Actie", exact=True).fill("Aanmelding beschermd wonen (demo)")
    coordinator.get_by_label("Eigenaar (persoon of functie)").fill("Woonbegeleider")
    coordinator.get_by_role("button", name="Actie toevoegen").click()
    _check(coordinator, "plan-ingevuld")
    coordinator.get_by_role("button", name="Plan vaststellen").click()
    _check(coordinator, "plan-vastgesteld")
    coordinator.get_by_role("button", name="In uitvoering nemen").click()
    _check(coordinator, "plan-in-uitvoering")
    _flash(coordinator, "Het traject is in uitvoering.")

    # 5. The first review at the Levenslooptafel.
    coordinator.get_by_role("link", name="Evaluaties").click()
    _check(coordinator, "evaluaties")
    coordinator.get_by_role("link", name="Evaluatie vastleggen").click()
    _check(coordinator, "evaluatie-formulier")
    coordinator.get_by_role("button", name="Evaluatie vastleggen").click()
    _check(coordinator, "evaluatie-fouten")
    assert coordinator.locator(".utrecht-form-field-error-message").count() >= 1
    coordinator.get_by_label("Datum van de evaluatie").fill(local_today().isoformat())
    coordinator.get_by_label("GGZ Voorbeeld (FACT)").check()
    coordinator.get_by_label("Voortzetten").check()
    coordinator.get_by_label("Motivering van het besluit").fill(
        "Woonplek in zicht; plan voortzetten (demo)."
    )
    coordinator.get_by_role("button", name="Evaluatie vastleggen").click()
    _check(coordinator, "evaluatie-vastgelegd")
    _flash(coordinator, "De evaluatie is vastgelegd.")

    # 6. Titles and placements, network, documents and timeline of the new person.
    for tab in ("Titels en plaatsingen", "Netwerk", "Documenten", "Tijdlijn", "Logboek"):
        coordinator.get_by_role("navigation", name="Onderdelen van het dossier").get_by_role(
            "link", name=tab
        ).click()
        _check(coordinator, f"tab-{tab.split()[0].lower()}")
        if tab == "Tijdlijn":
            for event in (
                "Traject gestart",
                "Versie 1 vastgesteld",
                "Aangemeld door",
                "Evaluatie Levenslooptafel",
            ):
                assert event in coordinator.locator("main").inner_text(), event
    assert "ingezien" in coordinator.locator("main").inner_text()
    coordinator_context.close()
