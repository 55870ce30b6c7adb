"""The accessibility sweep, generated from the URL map.

Every GET rule (rules with URL arguments filled with ids of demo objects) is visited in Chromium
by every demo role. A page the role may not open must be refused the way the permission matrix
says (403 or 404); a page that opens must answer 200 with exactly one h1, a language on <html>,
a title and no serious or critical axe-core violations (WCAG 2.x A/AA). Non-HTML GETs are
excluded by name with a reason; a new GET rule that is neither swept nor excluded fails
`test_every_get_rule_is_swept_or_excluded`. The public pages are swept logged out, a few pages
in English, and a form after a failed submit. The key pages are saved as screenshots under
test-artifacts/screenshots/ and a summary per role under test-artifacts/a11y-sweep.json.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from levensloop import demo
from levensloop.auth.models import Role, User
from levensloop.auth.services import _seal_totp
from levensloop.extensions import db
from levensloop.organisations.models import Organisation, Region
from tests.browser.conftest import ARTIFACTS, assert_accessible
from tests.browser.test_pages_axe import _login
from tests.conftest import _empty_all_tables, make_app
from tests.factories import PASSWORD, World
from tests.security.test_permission_matrix import (
    CR,
    EXPECTED,
    FB,
    FORBIDDEN,
    KP,
    LA,
    LC,
    NOT_FOUND,
    OK,
    PO,
    PR,
    REDIRECT,
    _objects,
    _url,
)

# GET rules that do not answer with an HTML page, or only redirect: not swept, with the reason.
EXCLUDED = {
    "static": "static files (CSS, JavaScript, images, fonts)",
    "core.index": "only redirects, to the dashboard or to the login page",
    "core.healthz": "JSON health check for monitoring",
    "api.openapi": "JSON (the OpenAPI description of the API)",
    "api.monthly": "JSON for machines, with a bearer token instead of a session",
    "auth.enrol_qr": "SVG image (the QR code inside the enrolment page, which is swept)",
    "privacy.register": "CSV download of the processing register",
    "reports.national_export": "CSV/XLSX download of the national figures",
    "reports.region_export": "CSV/XLSX download of the region figures",
    "handovers.dossier_pdf": "PDF download of the handover file",
    "documents.download": "download of the stored document itself",
}

# The login flow only exists logged out: swept by test_public_pages_logged_out.
LOGIN_FLOW = {"auth.login", "auth.verify", "auth.enrol", "auth.new_password"}

ROLE_OF = {u.username.split("@")[0]: u.roles[0][1] for u in demo.USERS}
_EVERYONE = frozenset(Role)

# GET rules without URL arguments: the roles that may open each page (the others get 403).
# A new rule without arguments must be added here, or the completeness test fails.
_ADMIN = frozenset({FB})
_CASE_ROLES = frozenset({PR, LC, CR, KP})
NO_ARGUMENT_PAGES: dict[str, frozenset] = {
    "core.dashboard": _EVERYONE,
    "core.help": _EVERYONE,
    "core.privacy": _EVERYONE,
    "core.toegankelijkheid": _EVERYONE,
    "auth.account": _EVERYONE,
    "notifications.index": _EVERYONE,
    "overview.caseload": frozenset({LC}),
    "overview.region": frozenset({PR}),
    "persons.index": _CASE_ROLES,
    "persons.create": frozenset({PR, LC}),
    "referrals.index": _CASE_ROLES,
    "referrals.create": frozenset({PR, LC, CR, KP}),
    "inclusion.meetings": frozenset({PR}),
    "handovers.region_list": _CASE_ROLES,
    "handovers.caseload": frozenset({PR}),
    "handovers.known_elsewhere": frozenset({PR}),
    "escalations.index": frozenset({PR, LC}),
    "reports.index": frozenset({PR, LA}),
    "reports.national": frozenset({LA}),
    "privacy.index": frozenset({PO}),
    "privacy.log": frozenset({PO}),
    "privacy.notices_due": frozenset({PO}),
    "privacy.break_glass_list": frozenset({PO}),
    "privacy.requests_index": frozenset({PO}),
    "privacy.request_new": frozenset({PO}),
    "retention.index": frozenset({PO}),
    "retention.rules_page": frozenset({PO}),
    "retention.report": frozenset({PO}),
    "users.events": frozenset({PO, FB}),
    "users.index": _ADMIN,
    "users.create": _ADMIN,
    "organisations.index": _ADMIN,
    "organisations.create": _ADMIN,
    "sharing.index": _ADMIN,
    "inclusion.criteria": _ADMIN,
    "escalations.settings": _ADMIN,
    "review_settings.edit": _ADMIN,
    "api_tokens.index": _ADMIN,
}

# The permission matrix puts random ids in URLs for these objects (404 for who may reach them);
# the sweep uses real demo objects, which open, except where the object's state or the role's
# side in it refuses: only the receiving organisation rejects a handover, only the offering side
# withdraws it; the demo referral was made by the ketenpartner, who may read their own.
DEMO_OBJECT_ANSWERS = {
    ("handovers.reject", LC): FORBIDDEN,
    ("handovers.withdraw", KP): FORBIDDEN,
    ("referrals.detail", KP): OK,
}

# Key pages saved as screenshots: (demo user, endpoint) -> file name under screenshots/.
SCREENSHOTS = {
    ("coordinator", "core.dashboard"): "dashboard",
    ("coordinator", "overview.caseload"): "caseload",
    ("coordinator", "persons.detail"): "persoon",
    ("coordinator", "plans.show"): "plan",
    ("coordinator", "handovers.detail"): "overdracht",
    ("procesregisseur", "inclusion.meetings"): "inclusietafel",
    ("procesregisseur", "overview.region"): "regio-overzicht",
    ("procesregisseur", "escalations.index"): "escalaties",
    ("procesregisseur", "escalations.detail"): "escalatie",
    ("procesregisseur", "reports.index"): "maandcijfers-regio",
    ("analist", "reports.national"): "maandcijfers-landelijk",
    ("privacy", "privacy.log"): "auditlogboek",
}

# The URL arguments the sweep fills with demo ids (see _demo_values).
_FILLED_ARGUMENTS = {
    "person_id",
    "referral_id",
    "meeting_id",
    "trajectory_id",
    "handover_id",
    "escalation_id",
    "review_id",
    "title_id",
    "placement_id",
    "document_id",
    "request_id",
    "entry_id",
    "record_type",
    "user_id",
    "action",
    "organisation_id",
    "organisation_type",
}

REPORT: dict[str, dict] = {}


@dataclass
class Sweep:
    app: object
    url: str
    values: dict
    persons: dict
    participation: dict
    extra_users: dict = field(default_factory=dict)


def _one(statement):
    return db.session.scalars(statement).first()


def _demo_values():
    """Ids for every URL argument: real demo objects where the demo has them, the matrix test's
    `_objects` for the rest (a rights request, a meeting, a user to act on, ...)."""
    from levensloop.documents.models import Document
    from levensloop.escalations.models import Escalation
    from levensloop.handovers.models import Handover
    from levensloop.inclusion.models import Referral, Trajectory
    from levensloop.persons.services import PersonInput, create_person
    from levensloop.plans.models import Plan
    from levensloop.retention.models import DestructionEntry
    from levensloop.reviews.models import PlanReview
    from levensloop.sharing.models import CaseAssignment, CaseParticipant
    from levensloop.titles.models import LegalTitle, Placement

    regions = {r.code: r for r in db.session.scalars(sa.select(Region))}
    west, oost = regions["demo-west"], regions["demo-oost"]
    organisations = {o.name: o for o in db.session.scalars(sa.select(Organisation))}
    world = World(
        west=west,
        oost=oost,
        west_zvh=organisations["Zorg- en Veiligheidshuis Demo West"],
        west_ggz=organisations["GGZ Voorbeeld (FACT)"],
        oost_zvh=organisations["Zorg- en Veiligheidshuis Demo Oost"],
    )
    scratch = create_person(
        None, west, PersonInput(achternaam="Veegproef", voornamen="Vera Fictief")
    )
    scene = {
        "persons": {"deelnemer": scratch},
        "other_user": world.user(Role.KETENPARTNER, region=oost),
    }
    values = _objects(world, scene, "deelnemer")

    users = {u.username.split("@")[0]: u for u in db.session.scalars(sa.select(User))}
    coordinator = users["coordinator"]
    # The main person: on the coördinator's caseload, with a plan in execution.
    plan = _one(
        sa.select(Plan)
        .join(CaseAssignment, CaseAssignment.person_id == Plan.person_id)
        .where(CaseAssignment.user_id == coordinator.id, Plan.status == "vastgesteld")
        .order_by(CaseAssignment.start_date)
    )
    main = plan.person_id
    outside = _one(
        sa.select(CaseParticipant.person_id).where(
            CaseParticipant.person_id.not_in(
                sa.select(CaseAssignment.person_id).where(CaseAssignment.user_id == coordinator.id)
            ),
            CaseParticipant.organisation_id == organisations["Reclassering Demo"].id,
        )
    )
    handover = _one(sa.select(Handover).where(Handover.status == "aangeboden"))
    escalation = _one(sa.select(Escalation).where(Escalation.region_id == west.id))
    review = _one(sa.select(PlanReview))
    title = _one(sa.select(LegalTitle).where(LegalTitle.ended_on.is_(None)))
    placement = _one(sa.select(Placement).where(Placement.end_date.is_(None)))
    document = _one(sa.select(Document))
    referral = _one(
        sa.select(Referral).where(Referral.region_id == west.id).order_by(Referral.created_at)
    )
    trajectory = _one(sa.select(Trajectory).where(Trajectory.person_id == main))
    entry = _one(sa.select(DestructionEntry).where(DestructionEntry.region_id == west.id))
    values.update(
        person_id=main,
        referral_id=referral.id,
        trajectory_id=trajectory.id,
        entry_id=entry.id,
        user_id=coordinator.id,
        organisation_id=organisations["Reclassering Demo"].id,
    )
    # Objects that belong to one person: that person goes into the URL with them.
    persons = {
        "persons.break_glass": outside,
        "handovers.detail": handover.person_id,
        "handovers.reject": handover.person_id,
        "handovers.withdraw": handover.person_id,
        "escalations.detail": escalation.person_id,
        "escalations.withdraw": escalation.person_id,
        "reviews.detail": review.person_id,
        "titles.status": title.person_id,
        "titles.extend": title.person_id,
        "titles.end_placement": placement.person_id,
        "documents.delete": document.person_id,
    }
    values.update(
        handover_id=handover.id,
        escalation_id=escalation.id,
        review_id=review.id,
        title_id=title.id,
        placement_id=placement.id,
        document_id=document.id,
    )
    participation = _participation(users, organisations)
    extra_users = {
        "must_change": world.user(Role.LEVENSLOOPCOORDINATOR, must_change_password=True),
        "not_enrolled": world.user(Role.LEVENSLOOPCOORDINATOR, enrolled=False),
    }
    return values, persons, participation, extra_users


def _participation(users, organisations):
    """Per role: the persons whose case that demo user takes part in."""
    from levensloop.sharing.models import CaseAssignment, CaseParticipant

    def assigned(user):
        return set(
            db.session.scalars(
                sa.select(CaseAssignment.person_id).where(
                    CaseAssignment.user_id == user.id, CaseAssignment.end_date.is_(None)
                )
            )
        )

    return {
        LC: assigned(users["coordinator"]),
        CR: assigned(users["casusregisseur"]),
        KP: set(
            db.session.scalars(
                sa.select(CaseParticipant.person_id).where(
                    CaseParticipant.organisation_id == organisations["Reclassering Demo"].id,
                    CaseParticipant.end_date.is_(None),
                )
            )
        ),
    }


@pytest.fixture(scope="module")
def sweep(migrated, playwright_browser):
    app = make_app(migrated("sqlite"))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    app.config["LIVE_URL"] = url
    with app.app_context():
        demo.seed(lambda user, secret: _seal_totp(user, "totp_secret", secret))
        values, persons, participation, extra_users = _demo_values()
        assert _FILLED_ARGUMENTS <= set(values)
        (ARTIFACTS / "a11y").mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "screenshots").mkdir(parents=True, exist_ok=True)
        yield Sweep(app, url, values, persons, participation, extra_users)
        server.shutdown()
        db.session.remove()
        _empty_all_tables(db)
        db.engine.dispose()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "a11y-sweep.json").write_text(json.dumps(REPORT, indent=2, sort_keys=True))


def _get_rules(app):
    return sorted((r for r in app.url_map.iter_rules() if "GET" in r.methods), key=lambda r: r.rule)


def _expected(sweep, role, rule):
    """What the role should get: OK, FORBIDDEN, NOT_FOUND or REDIRECT."""
    if not rule.arguments:
        return OK if role in NO_ARGUMENT_PAGES[rule.endpoint] else FORBIDDEN
    if (rule.endpoint, role) in DEMO_OBJECT_ANSWERS:
        return DEMO_OBJECT_ANSWERS[(rule.endpoint, role)]
    person = sweep.persons.get(rule.endpoint, sweep.values["person_id"])
    taking_part = person in sweep.participation.get(role, {person})
    situation = "deelnemer" if taking_part else "niet_deelnemer"
    expected = EXPECTED[(rule.endpoint, "GET")][role][situation]
    return OK if expected == NOT_FOUND else expected


def _page_url(sweep, rule):
    values = dict(sweep.values)
    if rule.endpoint in sweep.persons:
        values["person_id"] = sweep.persons[rule.endpoint]
    return _url(sweep.app, rule.endpoint, values)


def _check(page, name) -> list[str]:
    """Structure (one h1, html[lang], a title) and axe; problems as text, so that one sweep
    reports every page that fails instead of stopping at the first."""
    problems = []
    h1_count = page.locator("h1").count()
    if h1_count != 1:
        problems.append(f"{h1_count} h1-koppen in plaats van 1")
    if (page.locator("html").get_attribute("lang") or "") not in ("nl", "en"):
        problems.append("html[lang] ontbreekt")
    if not page.title().replace("– Levensloop", "").strip():
        problems.append("geen paginatitel")
    try:
        assert_accessible(page, name)
    except AssertionError as exc:
        problems.append(str(exc).split("\n")[0])
    return [f"{name}: {p}" for p in problems]


def _login_as(page, short):
    user = next(u for u in demo.USERS if u.username.startswith(short + "@"))
    _login(page, user.username, user.totp_secret)
    if page.locator("#region-switch").count():
        # Users with roles in two regions work in Demo West, where the demo objects are.
        page.locator("#region-switch").select_option(label="ZVH Demo West")
        page.get_by_role("button", name="Wissel regio").click()
        page.wait_for_url("**/dashboard")


def _new_page(playwright_browser, sweep):
    context = playwright_browser.new_context(base_url=sweep.url, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(10000)
    return context, page


# The dev server logs a ResourceWarning when Chromium drops a pending static file (the favicon)
# because the next page is already loading; not something a page or the application does.
_IGNORE_DROPPED_STATIC = pytest.mark.filterwarnings(
    "ignore:Exception ignored in.*static:pytest.PytestUnraisableExceptionWarning"
)


@_IGNORE_DROPPED_STATIC
@pytest.mark.parametrize("short", list(ROLE_OF))
def test_every_get_page_for_every_demo_role(playwright_browser, sweep, short):
    started = time.monotonic()
    role = ROLE_OF[short]
    context, page = _new_page(playwright_browser, sweep)
    _login_as(page, short)
    report = {"swept": [], "refused": [], "redirected": [], "excluded": len(EXCLUDED)}
    failures, error_page_checked = [], False
    for rule in _get_rules(sweep.app):
        if rule.endpoint in EXCLUDED or rule.endpoint in LOGIN_FLOW:
            continue
        expected = _expected(sweep, role, rule)
        url = _page_url(sweep, rule)
        want = {OK: 200, REDIRECT: 302}.get(expected, expected)
        if want == 200 or not error_page_checked:
            response = page.goto(url)
            redirected = response.request.redirected_from is not None
            status = 302 if redirected else response.status
        else:
            # A refusal or redirect: the answer is enough (same session, no rendering).
            response = page.request.get(url, max_redirects=0)
            status = response.status
            response.dispose()
        if status != want:
            failures.append(f"{rule.endpoint}: verwacht {want}, kreeg {status}")
            continue
        if status == 302:
            report["redirected"].append(rule.endpoint)
        elif status in (403, 404):
            report["refused"].append(f"{rule.endpoint} ({status})")
            if not error_page_checked and want != 200:
                # The refusal page itself, once per role.
                failures += _check(page, f"a11y/{short}-geweigerd-{status}")
                error_page_checked = True
        else:
            report["swept"].append(rule.endpoint)
            key = SCREENSHOTS.get((short, rule.endpoint))
            name = f"screenshots/{key}" if key else f"a11y/{short}-{rule.endpoint}"
            failures += _check(page, name)
    context.close()
    report["runtime_s"] = round(time.monotonic() - started, 1)
    REPORT[short] = report
    assert report["swept"], f"{short}: geen enkele pagina geopend"
    assert not failures, "\n".join(failures)


@_IGNORE_DROPPED_STATIC
def test_pages_in_english(playwright_browser, sweep):
    """The language switch on every page (a POST form) turns the pages into English; they stay
    accessible and say so in html[lang]."""
    context, page = _new_page(playwright_browser, sweep)
    _login_as(page, "coordinator")
    page.get_by_role("button", name="English").click()
    failures = []
    person = sweep.values["person_id"]
    for name, url in (
        ("dashboard", "/dashboard"),
        ("persons", "/personen/"),
        ("person", f"/personen/{person}"),
        ("plan", f"/personen/{person}/plan"),
        ("account", "/account"),
        ("accessibility", "/toegankelijkheid"),
    ):
        response = page.goto(url)
        assert response.status == 200, f"{url}: {response.status}"
        assert page.locator("html").get_attribute("lang") == "en", url
        failures += _check(page, f"a11y/en-{name}")
    assert page.get_by_role("button", name="Nederlands").count() == 1
    assert page.get_by_role("link", name="Accessibility").count() >= 1
    page.get_by_role("button", name="Nederlands").click()
    assert page.locator("html").get_attribute("lang") == "nl"
    context.close()
    assert not failures, "\n".join(failures)


@_IGNORE_DROPPED_STATIC
def test_form_after_a_failed_submit_is_accessible(playwright_browser, sweep):
    """An empty "new person" form comes back with an error summary that has focus, links to
    each invalid field, and fields that carry their error (aria-invalid, aria-describedby)."""
    context, page = _new_page(playwright_browser, sweep)
    _login_as(page, "procesregisseur")
    page.goto("/personen/nieuw")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_load_state()
    assert page.title().startswith("Fout:"), page.title()
    summary = page.locator("#error-summary")
    assert summary.count() == 1
    assert summary.get_attribute("role") == "alert"
    assert page.evaluate("document.activeElement.id") == "error-summary"
    links = summary.locator("a[href^='#']").evaluate_all(
        "els => els.map(e => e.getAttribute('href').slice(1))"
    )
    assert links, "geen links in het foutoverzicht"
    for field_id in links:
        field = page.locator(f"[id='{field_id}']")
        assert field.count() == 1, f"foutlink naar #{field_id} zonder veld"
        assert field.get_attribute("aria-invalid") == "true", field_id
        described = (field.get_attribute("aria-describedby") or "").split()
        errors = [d for d in described if page.locator(f"[id='{d}']").count()]
        assert any(page.locator(f"[id='{d}']").inner_text().strip() for d in errors), (
            f"{field_id}: foutmelding niet gekoppeld"
        )
    failures = _check(page, "screenshots/formulier-met-fouten")
    summary.locator("a").first.click()
    assert page.evaluate("document.activeElement.id") == links[0]
    context.close()
    assert not failures, "\n".join(failures)


@_IGNORE_DROPPED_STATIC
def test_public_pages_logged_out(playwright_browser, sweep):
    """Login flow (every step, also after a wrong password), the public pages and an error page,
    without logging in; the login page and the statement also in English."""
    extra = sweep.extra_users
    context, page = _new_page(playwright_browser, sweep)
    failures = []

    def visit(url, name, status=200):
        response = page.goto(url)
        assert response.status == status, f"{url}: {response.status}"
        return _check(page, name)

    failures += visit("/inloggen", "screenshots/inloggen")
    failures += visit("/toegankelijkheid", "screenshots/toegankelijkheid")
    failures += visit("/privacy", "a11y/publiek-privacy")
    failures += visit("/help", "a11y/publiek-help")
    failures += visit("/bestaat-niet", "a11y/publiek-404", status=404)
    assert page.locator("h1").inner_text().strip()

    # A wrong password: the login form with its error.
    page.goto("/inloggen")
    page.get_by_label("Gebruikersnaam").fill("onbekend@zvh-demo.example")
    page.get_by_label("Wachtwoord").fill("Verkeerd-wachtwoord-voor-de-test")
    page.get_by_role("button", name="Volgende").click()
    page.wait_for_load_state()
    failures += _check(page, "a11y/publiek-inloggen-fout")

    # Step two (the code), step "link an app" and "choose a new password".
    def first_step(username):
        page.goto("/inloggen")
        page.get_by_label("Gebruikersnaam").fill(username)
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.get_by_role("button", name="Volgende").click()
        page.wait_for_load_state()

    first_step(extra["must_change"].username)
    assert page.url.endswith("/inloggen/code"), page.url
    failures += _check(page, "a11y/publiek-inloggen-code")
    page.get_by_label("Code").fill(extra["must_change"].current_code())
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/inloggen/nieuw-wachtwoord")
    failures += _check(page, "a11y/publiek-nieuw-wachtwoord")
    context.close()

    context, page = _new_page(playwright_browser, sweep)
    first_step(extra["not_enrolled"].username)
    assert page.url.endswith("/inloggen/koppelen"), page.url
    failures += _check(page, "a11y/publiek-koppelen")
    context.close()

    context, page = _new_page(playwright_browser, sweep)
    page.goto("/inloggen")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    failures += _check(page, "a11y/en-login")
    failures += visit("/toegankelijkheid", "a11y/en-accessibility-statement")
    assert page.locator("html").get_attribute("lang") == "en"
    context.close()
    assert not failures, "\n".join(failures)


def test_every_get_rule_is_swept_or_excluded(migrated):
    """A GET rule that is new must be swept (its role answers known, its URL arguments filled)
    or excluded with a reason; stale exclusions fail too."""
    app = make_app(migrated("sqlite"))
    endpoints = {r.endpoint: r for r in _get_rules(app)}
    problems = []
    for endpoint, rule in endpoints.items():
        if endpoint in EXCLUDED or endpoint in LOGIN_FLOW:
            continue
        if not rule.arguments:
            if endpoint not in NO_ARGUMENT_PAGES:
                problems.append(f"{endpoint}: niet in NO_ARGUMENT_PAGES en niet uitgesloten")
        elif (endpoint, "GET") not in EXPECTED:
            problems.append(f"{endpoint}: niet in de permissiematrix en niet uitgesloten")
        elif not set(rule.arguments) <= _FILLED_ARGUMENTS:
            problems.append(f"{endpoint}: geen demowaarde voor {set(rule.arguments)}")
    for name in (*EXCLUDED, *LOGIN_FLOW, *NO_ARGUMENT_PAGES):
        if name not in endpoints:
            problems.append(f"{name}: staat in de lijst maar is geen GET-route meer")
    assert not problems, "\n".join(problems)
