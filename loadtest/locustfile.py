"""Simulated users per role for `python -m loadtest` (run by locust in its own process).

    locust -f loadtest/locustfile.py --headless -u 50 -r 5 -t 300s --host http://127.0.0.1:PORT

LOADTEST_ACCOUNTS names the JSON file the runner wrote: accounts per role and how many users of
each role to start. Each simulated user takes its own account (TOTP codes work once per
account), logs in with password and TOTP once, then works like its role with 1-3 s think time.
A response fails when its status is not the expected one, when it sends the user to the login
page, when a page lacks the main menu of a logged-in user, or when a form that should save
shows an error instead.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
import uuid
from pathlib import Path

from locust import HttpUser, between, events, task
from locust.exception import StopUser

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from loadtest import client as web  # noqa: E402

CONFIG = json.loads(Path(os.environ["LOADTEST_ACCOUNTS"]).read_text())
ACCOUNTS = CONFIG["accounts"]
COUNTS = CONFIG["counts"]
_next_account = {role: iter(ACCOUNTS[role]) for role in ACCOUNTS}

# Every response time, for exact percentiles per role and without the login steps; written
# to LOADTEST_SAMPLES when locust stops (names and times only).
SAMPLES: list[dict] = []


@events.request.add_listener
def _sample(request_type, name, response_time, exception, **_kwargs) -> None:
    SAMPLES.append(
        {"method": request_type, "name": name, "ms": response_time, "ok": exception is None}
    )


@events.quitting.add_listener
def _write_samples(**_kwargs) -> None:
    if path := os.environ.get("LOADTEST_SAMPLES"):
        Path(path).write_text(json.dumps(SAMPLES))


CASELOAD_FILTERS = ("", "achterstallig", "evaluatie", "titels", "overdrachten", "escalaties")
ACTION_STATES = ("open", "loopt", "gereed", "gestagneerd")
RELATIONS = ("familie", "vriend", "buurt", "professional", "overig")
SAVED = {
    "section": "Het leefgebied is opgeslagen.",
    "action": "De actie is toegevoegd.",
    "status": "De status van de actie is bijgewerkt.",
    "version": "Er is een concept van het plan gemaakt.",
    "contact": "Het contact is aan het netwerk toegevoegd.",
}


class RoleUser(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    role = ""

    # ------------------------------------------------------------ requests

    def _name(self, what: str) -> str:
        return f"{self.role}: {what}"

    def page(
        self,
        path: str,
        what: str,
        *,
        expect: int = 200,
        logged_in: bool = True,
        must_contain: str | None = None,
    ):
        """GET a page; returns its text, or None when the response failed."""
        web.send_secure_cookies(self.client)
        with self.client.get(
            path,
            name=self._name(what),
            headers=web.headers(self.host),
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if web.is_login_redirect(response):
                response.failure("doorgestuurd naar de inlogpagina")
                return None
            if response.status_code != expect:
                response.failure(f"status {response.status_code}, verwacht {expect}")
                return None
            text = response.text
            if logged_in and expect == 200 and web.LOGGED_IN_MARK not in text:
                if "text/html" in response.headers.get("Content-Type", ""):
                    response.failure("geen pagina van een ingelogde gebruiker")
                    return None
            if must_contain and must_contain not in text:
                response.failure("de bevestiging ontbreekt: de wijziging is niet opgeslagen")
                return None
            response.success()
            self.last_page = path
            return text

    def submit(self, path: str, form: dict, what: str, *, saved: str | None = None):
        """POST a form as the browser does (CSRF token from the form, same-origin Referer),
        expect the redirect of a saved form, follow it; with `saved` the page it leads to must
        show that confirmation. Returns the page it leads to, or None."""
        web.send_secure_cookies(self.client)
        with self.client.post(
            path,
            data=form,
            name=self._name(what),
            headers=web.headers(self.host, getattr(self, "last_page", "/dashboard")),
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if web.is_login_redirect(response):
                response.failure("doorgestuurd naar de inlogpagina")
                return None
            if response.status_code != 302:
                detail = " (formulierfout)" if web.ERROR_SUMMARY_MARK in response.text else ""
                response.failure(f"status {response.status_code}, verwacht 302{detail}")
                return None
            response.success()
            target = response.headers["Location"]
        return self.page(target, f"{what} (vervolgpagina)", must_contain=saved)

    # ------------------------------------------------------------ login

    def on_start(self) -> None:
        self.account = next(_next_account[self.role])
        self.last_page = "/inloggen"
        for _attempt in range(3):
            if self.login():
                break
            # A code works once: the next try waits for the next code.
            time.sleep(web.seconds_to_next_code(self.account["totp_secret"]))
        else:
            raise StopUser()  # the failed login requests are counted as failures
        self.after_login()

    def login(self) -> bool:
        account = self.account
        start = self.page("/inloggen", "inloggen (formulier)", logged_in=False)
        if start is None:
            return False
        sent = self._login_post(
            "/inloggen",
            {
                "csrf_token": web.csrf(start) or "",
                "username": account["username"],
                "password": account["password"],
            },
            "inloggen (wachtwoord)",
            "/inloggen/code",
        )
        if not sent:
            return False
        code_page = self.page("/inloggen/code", "inloggen (codeformulier)", logged_in=False)
        if code_page is None:
            return False
        form = {
            "csrf_token": web.csrf(code_page) or "",
            "code": web.totp_code(account["totp_secret"]),
        }
        return self._login_post("/inloggen/code", form, "inloggen (code)", "/dashboard")

    def _login_post(self, path: str, form: dict, what: str, expect_location: str) -> bool:
        web.send_secure_cookies(self.client)
        with self.client.post(
            path,
            data=form,
            name=self._name(what),
            headers=web.headers(self.host, path),
            allow_redirects=False,
            catch_response=True,
        ) as response:
            location = response.headers.get("Location", "")
            if response.status_code == 302 and location.startswith(expect_location):
                response.success()
                return True
            response.failure(f"status {response.status_code}, doorverwijzing {location!r}")
            return False

    def after_login(self) -> None:
        pass

    # ------------------------------------------------------------ shared

    def open_person(self, person_id: str, prefix: str) -> None:
        """The person page, then one of the tabs this user sees."""
        text = self.page(f"/personen/{person_id}", f"{prefix} persoonspagina")
        if text is None:
            return
        tabs = [t for t in web.TAB_LINK_RE.findall(text) if t != f"/personen/{person_id}"]
        if tabs:
            tab = random.choice(tabs)
            self.page(tab, f"{prefix} tabblad {tab.rsplit('/', 1)[-1]}")

    @task(1)
    def dashboard(self) -> None:
        self.page("/dashboard", "dashboard")


# ---------------------------------------------------------------- roles


class Coordinator(RoleUser):
    role = "coordinator"
    fixed_count = COUNTS["coordinator"]

    def after_login(self) -> None:
        text = self.page("/caseload", "caseload")
        self.persons = web.person_links(text or "")

    def person(self) -> str | None:
        return random.choice(self.persons) if self.persons else None

    @task(4)
    def caseload(self) -> None:
        only = random.choice(CASELOAD_FILTERS)
        if only:
            self.page(f"/caseload?filter={only}", "caseload (filter)")
        else:
            text = self.page("/caseload", "caseload")
            if text:
                self.persons = web.person_links(text) or self.persons

    @task(6)
    def person_and_tab(self) -> None:
        if person := self.person():
            self.open_person(person, "caseload:")

    @task(3)
    def plan(self) -> None:
        if person := self.person():
            self.page(f"/personen/{person}/plan", "plan")

    @task(3)
    def plan_edit(self) -> None:
        """Open the plan and change it: in a concept a domain's text or a new action; in an
        adopted plan the status of an action, or now and then a new concept version."""
        person = self.person()
        if person is None:
            return
        path = f"/personen/{person}/plan"
        text = self.page(path, "plan")
        if text is None:
            return
        stamp = uuid.uuid4().hex[:8]
        sections = [f for f in web.forms(text) if "/leefgebied/" in f.action]
        add_action = web.form_ending(text, "/actie")
        statuses = [f for f in web.forms(text) if f.action.endswith("/status")]
        new_version = web.form_ending(text, "/plan/nieuw")
        if sections and (random.random() < 0.5 or add_action is None):
            form = random.choice(sections)
            situation = f"Situatie bijgewerkt in de belastingstest ({stamp}, fictief)."
            self.submit(
                form.action,
                form.data(situation=situation),
                "plan: leefgebied opslaan",
                saved=SAVED["section"],
            )
        elif add_action is not None and add_action.options.get("goal"):
            owners = [o for o in add_action.options.get("owner_organisation", []) if o]
            if not owners:
                return
            self.submit(
                add_action.action,
                add_action.data(
                    goal=random.choice(add_action.options["goal"]),
                    text=f"Actie uit de belastingstest ({stamp}, fictief)",
                    owner_organisation=random.choice(owners),
                    owner_person="Begeleider (fictief)",
                    due_date="",
                ),
                "plan: actie toevoegen",
                saved=SAVED["action"],
            )
        elif new_version is not None and random.random() < 0.2:
            self.submit(
                new_version.action,
                new_version.data(),
                "plan: nieuwe versie",
                saved=SAVED["version"],
            )
        elif statuses:
            form = random.choice(statuses)
            current = form.fields.get("status")
            choice = random.choice([s for s in ACTION_STATES if s != current])
            self.submit(
                form.action, form.data(status=choice), "plan: actiestatus", saved=SAVED["status"]
            )

    @task(1)
    def network_contact(self) -> None:
        """A new contact in the person's network (each change shows in the logboek)."""
        person = self.person()
        if person is None:
            return
        path = f"/personen/{person}/netwerk"
        text = self.page(path, "netwerk")
        form = web.form_with(text or "", "relation")
        if form is None:
            return
        self.submit(
            path,
            form.data(
                name=f"Contact {uuid.uuid4().hex[:6]} (fictief)",
                relation=random.choice(RELATIONS),
                supportive=random.choice(("", "ja", "nee")),
                reach="",
                since="",
                note="Toegevoegd in de belastingstest (fictief).",
            ),
            "netwerk: contact toevoegen",
            saved=SAVED["contact"],
        )

    @task(1)
    def logboek(self) -> None:
        if person := self.person():
            self.page(f"/personen/{person}/logboek", "logboek")

    @task(1)
    def inbox(self) -> None:
        self.page("/berichten/", "berichten")


class Procesregisseur(RoleUser):
    role = "procesregisseur"
    fixed_count = COUNTS["procesregisseur"]

    def after_login(self) -> None:
        text = self.page("/regio-overzicht?page=1", "regio-overzicht p. 1") or ""
        self.pages = web.page_count(text)
        self.persons = web.person_links(text)

    @task(4)
    def overview_first(self) -> None:
        text = self.page("/regio-overzicht?page=1", "regio-overzicht p. 1")
        if text:
            self.pages = web.page_count(text)
            self.persons = web.person_links(text) or self.persons

    @task(3)
    def overview_later(self) -> None:
        page = random.randint(2, self.pages) if self.pages > 1 else 1
        text = self.page(f"/regio-overzicht?page={page}", "regio-overzicht latere pagina")
        if text:
            self.persons = web.person_links(text) or self.persons

    @task(2)
    def overview_filtered(self) -> None:
        query = random.choice(
            ("status=in_uitvoering", "achterstallig=1", "ave=rood", "carrousel=1")
        )
        self.page(f"/regio-overzicht?{query}", "regio-overzicht (filter)")

    @task(2)
    def inclusion_table(self) -> None:
        text = self.page("/inclusietafel/", "inclusietafel")
        meetings = web.MEETING_LINK_RE.findall(text or "")
        if meetings:
            self.page(random.choice(meetings), "inclusietafel: vergadering")

    @task(2)
    def escalations(self) -> None:
        self.page("/escalaties/", "escalaties")

    @task(1)
    def referrals(self) -> None:
        self.page("/aanmeldingen/", "aanmeldingen")

    @task(1)
    def handovers(self) -> None:
        self.page("/overdrachten/", "overdrachten")

    @task(3)
    def person(self) -> None:
        if self.persons:
            self.open_person(random.choice(self.persons), "regio:")

    @task(1)
    def bsn_search(self) -> None:
        bsns = self.account.get("bsns") or []
        text = self.page("/personen/", "personen")
        if not bsns or text is None:
            return
        web.send_secure_cookies(self.client)
        with self.client.post(
            "/personen/",
            data={"csrf_token": web.csrf(text) or "", "bsn": random.choice(bsns)},
            name=self._name("zoeken op BSN"),
            headers=web.headers(self.host, "/personen/"),
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}, verwacht 200")
            elif not web.PERSON_LINK_RE.search(response.text):
                response.failure("zoeken op BSN vond niemand")
            else:
                response.success()

    @task(1)
    def reports(self) -> None:
        self.page("/rapportages/", "maandcijfers regio")


class Ketenpartner(RoleUser):
    role = "ketenpartner"
    fixed_count = COUNTS["ketenpartner"]

    def after_login(self) -> None:
        self.persons = web.person_links(self.page("/personen/", "gedeelde personen") or "")

    @task(2)
    def shared_list(self) -> None:
        text = self.page("/personen/", "gedeelde personen")
        if text:
            self.persons = web.person_links(text) or self.persons

    @task(6)
    def shared_person(self) -> None:
        if self.persons:
            self.open_person(random.choice(self.persons), "gedeeld:")

    @task(1)
    def handovers(self) -> None:
        self.page("/overdrachten/", "overdrachten")

    @task(1)
    def referrals(self) -> None:
        self.page("/aanmeldingen/", "aanmeldingen")


class PrivacyOfficer(RoleUser):
    role = "privacy_officer"
    fixed_count = COUNTS["privacy_officer"]

    @task(3)
    def index(self) -> None:
        self.page("/privacybeheer/", "privacy")

    @task(3)
    def audit_log(self) -> None:
        self.page("/privacybeheer/logboek", "auditlogboek")

    @task(1)
    def audit_log_later(self) -> None:
        self.page("/privacybeheer/logboek?page=2", "auditlogboek p. 2")

    @task(1)
    def break_glass(self) -> None:
        self.page("/privacybeheer/noodtoegang", "noodtoegang")

    @task(1)
    def requests(self) -> None:
        self.page("/privacybeheer/verzoeken", "verzoeken")

    @task(1)
    def notices(self) -> None:
        self.page("/privacybeheer/informatieplicht", "informatieplicht")

    @task(1)
    def retention(self) -> None:
        self.page("/privacybeheer/bewaren/", "bewaren en vernietigen")

    @task(2)
    def who_looked(self) -> None:
        """Who has seen this person's file: look up by BSN, then the access report."""
        bsns = self.account.get("bsns") or []
        text = self.page("/privacybeheer/", "privacy")
        if not bsns or text is None:
            return
        form = web.form_ending(text, "/privacybeheer/toegang")
        if form is None:
            return
        web.send_secure_cookies(self.client)
        with self.client.post(
            form.action,
            data=form.data(bsn=random.choice(bsns)),
            name=self._name("toegang zoeken op BSN"),
            headers=web.headers(self.host, "/privacybeheer/"),
            allow_redirects=False,
            catch_response=True,
        ) as response:
            target = response.headers.get("Location", "")
            if response.status_code != 302 or "/privacybeheer/toegang/" not in target:
                response.failure(f"status {response.status_code}, geen toegangsrapport")
                return
            response.success()
        self.page(target, "toegangsrapport")


class Analyst(RoleUser):
    role = "analyst"
    fixed_count = COUNTS["analyst"]

    def after_login(self) -> None:
        text = self.page("/rapportages/landelijk", "landelijke maandcijfers") or ""
        self.months = web.MONTH_OPTION_RE.findall(text)

    @task(4)
    def national(self) -> None:
        self.page("/rapportages/landelijk", "landelijke maandcijfers")

    @task(2)
    def national_month(self) -> None:
        if self.months:
            month = random.choice(self.months)
            self.page(f"/rapportages/landelijk?maand={month}", "landelijke maandcijfers (maand)")

    @task(1)
    def export(self) -> None:
        if self.months:
            self.page(
                f"/rapportages/landelijk/export?maand={self.months[0]}&formaat=csv",
                "landelijke export (CSV)",
                logged_in=False,
            )
