"""The demo users resolve a handover in the browser: the ketenpartner rejects an offered
handover, the coördinator opens an escalation from it and offers a new handover, the
ketenpartner accepts, the coördinator completes the checklist and the handover. axe checks
every page on the way (no serious or critical violations)."""

from __future__ import annotations

import re
from datetime import timedelta

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
    assert_accessible(page, f"handover-{name}")


def _main(page) -> str:
    return page.locator("main").inner_text()


def test_offer_reject_escalate_accept_complete(playwright_browser, demo_app):
    partner_context, partner = _session(playwright_browser, demo_app, "ketenpartner")
    coordinator_context, coordinator = _session(playwright_browser, demo_app, "coordinator")

    # 1. The ketenpartner finds the handover offered to the reclassering and rejects it.
    partner.get_by_role("link", name="Overdrachten", exact=True).click()
    _check(partner, "lijst-ketenpartner")
    partner.locator("table a[href*='/overdrachten/']").first.click()
    _check(partner, "aangeboden")
    partner.get_by_role("link", name="Afwijzen").click()
    _check(partner, "afwijzen")
    partner.get_by_role("button", name="Ja, overdracht afwijzen").click()
    _check(partner, "afwijzen-fout")
    assert "Geef de reden van de afwijzing" in _main(partner)
    partner.get_by_label("Reden van de afwijzing").fill(
        "Geen capaciteit voor toezicht op deze termijn (demo)."
    )
    partner.get_by_role("button", name="Ja, overdracht afwijzen").click()
    _check(partner, "afgewezen")
    assert "afgewezen" in _main(partner).lower()
    handover_url = partner.url

    # 2. The coördinator sees the rejection and opens an escalation from it.
    coordinator.goto(handover_url.replace(demo_app.config["LIVE_URL"], ""))
    _check(coordinator, "afgewezen-coordinator")
    coordinator.get_by_role("link", name="Escalatie openen").click()
    _check(coordinator, "escalatie-nieuw")
    coordinator.get_by_label("Stagnerende samenwerking").check()
    coordinator.get_by_label("Wat loopt er vast?").fill(
        "De reclassering kan het toezicht niet overnemen; de titel loopt af (demo)."
    )
    coordinator.get_by_role("button", name="Escalatie openen").click()
    _check(coordinator, "escalatie-geopend")
    assert "Open" in _main(coordinator)

    # 3. A new handover: the same person to another organisation, offered at once.
    person_path = re.search(r"/personen/[0-9a-f-]+", handover_url).group(0)
    coordinator.goto(f"{person_path}/overdrachten")
    _check(coordinator, "tab-overdrachten")
    coordinator.get_by_role("link", name="Nieuwe overdracht").click()
    _check(coordinator, "soort")
    coordinator.get_by_label("Andere organisatie").check()
    coordinator.get_by_role("button", name="Verder").click()
    _check(coordinator, "nieuw")
    coordinator.get_by_label("Ontvangende organisatie").select_option(label="Reclassering Demo")
    coordinator.get_by_label("Rond op").fill((local_today() + timedelta(days=20)).isoformat())
    coordinator.get_by_role("button", name="Plannen en aanbieden").click()
    _check(coordinator, "aangeboden-nieuw")
    new_url = coordinator.url

    # 4. The ketenpartner accepts: from now on both are responsible.
    partner.goto(new_url.replace(demo_app.config["LIVE_URL"], ""))
    _check(partner, "nieuw-aangeboden")
    partner.get_by_role("button", name="Overdracht accepteren").click()
    _check(partner, "geaccepteerd")
    assert "Overlap" in _main(partner)

    # 5. The coördinator completes the checklist and the handover.
    coordinator.goto(new_url.replace(demo_app.config["LIVE_URL"], ""))
    coordinator.get_by_role("button", name="Overdracht afronden").click()
    _check(coordinator, "afronden-onvolledig")
    checklist = coordinator.locator("form[action$='/checklist'] input[type=checkbox]")
    for n in range(checklist.count()):
        checklist.nth(n).check()
    coordinator.get_by_role("button", name="Checklist opslaan").click()
    _check(coordinator, "checklist")
    coordinator.get_by_role("button", name="Overdracht afronden").click()
    _check(coordinator, "afgerond")
    assert "Afgerond" in _main(coordinator)
    partner_context.close()
    coordinator_context.close()
