"""Every form, fuzzed: for each POST route of the URL map, a user who may use it posts
hypothesis-generated values (very long strings, control characters including NUL, lone
surrogates and other unicode, numbers, dates and ids of the wrong type or out of range,
repeated, missing and extra fields) into the fields the page renders.

Nothing may give a 5xx or an unhandled exception, no body a stack trace, no error page a
sentinel person's data and no log record a sentinel or a fuzzed value. Extra fields (role,
organisation_id, region_id, id, created_by, ...) change nothing: after every route the users'
organisations, roles and status and the regions of persons, organisations, referrals and
trajectories are as before. Every route refuses a post without or with a forged CSRF token.
A POST route that appears in the URL map without a way to fuzz it here fails the first test.
"""

from __future__ import annotations

import gc
import importlib
import logging
from collections import Counter
from time import perf_counter

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings

from levensloop.auth.models import Role
from levensloop.handovers.states import KINDS as HANDOVER_KINDS
from tests.conftest import Browser, csrf_from, make_app
from tests.fuzz.conftest import endpoint_of, parse_forms
from tests.fuzz.strategies import FieldSpec, Submission, multipart, submissions, urlencoded
from tests.security.test_permission_matrix import (
    CR,
    EXPECTED,
    FB,
    FORBIDDEN,
    KP,
    LA,
    LC,
    PO,
    PR,
)

pytestmark = [pytest.mark.fuzz, pytest.mark.slow]

# Routes with ids take the first role the permission matrix lets act (own region, taking part).
PREFERENCE = (PR, LC, FB, PO, KP, CR, LA)
# Routes without ids: who uses them.
NO_ID_ROLES = {
    "api_tokens.create": FB,
    "core.set_language": LC,
    "core.set_region": PR,
    "escalations.settings": FB,
    "handovers.caseload": PR,
    "handovers.known_elsewhere": PR,
    "inclusion.criteria": FB,
    "inclusion.meetings": PR,
    "notifications.mark_all_read": LC,
    "organisations.create": FB,
    "persons.create": PR,
    "persons.index": LC,
    "privacy.lookup": PO,
    "privacy.request_new": PO,
    "referrals.create": KP,
    "reports.correct": PR,
    "reports.freeze": PR,
    "retention.draft": PO,
    "review_settings.edit": FB,
    "users.create": FB,
    "users.index": FB,
}
ROLE_OVERRIDES = {
    # The coördinator's own notification (the matrix uses someone else's: 404 for all).
    "notifications.mark_read": LC,
    # Break-glass is for a person outside one's caseload.
    "persons.break_glass": LC,
}
# Routes of the login and the own session: a fresh user (and client) per example.
# anonymous: nobody logged in; code: password given, TOTP code asked; enrol: password given,
# TOTP not yet linked; mfa: both factors given, a new password still to choose; fresh: a new
# logged-in user (the route may end the session).
AUTH_STATES = {
    "auth.login": "anonymous",
    "auth.verify": "code",
    "auth.enrol": "enrol",
    "auth.new_password": "mfa",
    "auth.recovery_codes_saved": "mfa",
    "auth.logout": "fresh",
    "auth.logout_everywhere": "fresh",
    "auth.change_password": "fresh",
}
STATE_PAGES = {
    "anonymous": "/inloggen",
    "code": "/inloggen/code",
    "enrol": "/inloggen/koppelen",
    "mfa": "/inloggen/nieuw-wachtwoord",
    "fresh": "/account",
}
# POST routes deliberately not fuzzed here, with the reason. Empty: every form is covered.
EXCLUDED: dict[str, str] = {}
# Routes of the demo data that belong to one person; the rest use the main demo person or
# the sentinel person.
PLAN_ROUTES = {"plans.new_version", "plans.start_execution"}
SENTINEL_ROUTES = {
    "persons.edit",
    "persons.shared",
    "persons.end_participation",
    "persons.network_tab",
    "persons.information",
}
MAIN_ARGUMENTS = {
    "title_id",
    "placement_id",
    "document_id",
    "handover_id",
    "escalation_id",
    "contact_id",
}
ANCHORED = MAIN_ARGUMENTS | {"plan_id", "action_id", "notification_id"}

# Forms the demo data never renders in the state the fuzz finds them in (only after another
# step): their fields come from the form class.
FORM_CLASSES = {
    "auth.recovery_codes_saved": "levensloop.auth.forms:ContinueForm",
    "escalations.escalate": "levensloop.escalations.forms:EscalateForm",
    "escalations.resolve": "levensloop.escalations.forms:ResolveForm",
    "handovers.complete": "levensloop.handovers.forms:StepForm",
    "handovers.offer": "levensloop.handovers.forms:StepForm",
    "plans.new_version": [],
    "referrals.triage": "levensloop.inclusion.forms:TriageForm",
    "retention.approve": "levensloop.retention.forms:ApproveForm",
    "retention.lift_hold": "levensloop.retention.forms:LiftForm",
    "titles.end_placement": "levensloop.titles.forms:EndPlacementForm",
}
# The form of a new handover comes after choosing its kind (a GET form).
EXTRA_PAGES = {"handovers.new": [f"?soort={kind}" for kind in HANDOVER_KINDS]}
# Generated examples per route and backend (derandomized: the same ones every run), on top of
# the explicit classics per field.
EXAMPLES = 6
EXAMPLES_PER_STATE = {"anonymous": 5, "code": 3, "enrol": 3, "mfa": 3, "fresh": 3}
# NUL (PostgreSQL refuses it in text), "²" (str.isdigit() yes, int() no) and six
# Arabic-Indic digits (int() yes, secrets.compare_digest() no).
CLASSICS = ("Naam\x00met nul", "\u00b2", "\u0661\u0662\u0663\u0664\u0665\u0666")
FUZZ_SETTINGS = {
    "derandomize": True,
    "deadline": None,
    "database": None,
    "suppress_health_check": list(HealthCheck),
    "phases": (Phase.explicit, Phase.generate),
    "print_blob": False,
}


def _post_rules(app) -> dict:
    return {r.endpoint: r for r in app.url_map.iter_rules() if "POST" in r.methods}


def role_for(endpoint: str, rule) -> Role:
    if endpoint in ROLE_OVERRIDES:
        return ROLE_OVERRIDES[endpoint]
    if endpoint in AUTH_STATES:
        return LC
    if rule.arguments:
        cells = EXPECTED[(endpoint, "POST")]
        return next(r for r in PREFERENCE if cells[r]["deelnemer"] != FORBIDDEN)
    return NO_ID_ROLES[endpoint]


def test_every_post_route_has_a_fuzz_plan():
    """A new POST route fails here until it has a role (or an auth state), or a reason to be
    left out."""
    app = make_app("sqlite://")
    missing = []
    for endpoint, rule in sorted(_post_rules(app).items()):
        if endpoint in EXCLUDED:
            continue
        try:
            role_for(endpoint, rule)
        except (KeyError, StopIteration):
            missing.append(endpoint)
    assert not missing, f"POST-routes zonder fuzzplan: {missing}"
    assert set(EXCLUDED) <= set(_post_rules(app)), "verouderde uitzondering"
    assert len(_post_rules(app)) - len(EXCLUDED) >= 80


# ---------------------------------------------------------------- per route


def _url_values(scene, endpoint: str, rule) -> dict:
    values = dict(scene.values)
    anchors = scene.anchors
    for key in ANCHORED:
        values[key] = anchors[key]
    arguments = set(rule.arguments)
    if arguments & {"plan_id", "action_id"} or endpoint in PLAN_ROUTES:
        values["person_id"] = anchors["plan"]
    elif endpoint == "persons.break_glass":
        values["person_id"] = anchors["outside"]
    elif endpoint in SENTINEL_ROUTES or "participant_id" in arguments:
        values["person_id"] = anchors["sentinel"]
    else:
        values["person_id"] = anchors["main"]
    return {k: v for k, v in values.items() if k in arguments}


def _candidate_pages(app, rule, url: str) -> list[str]:
    """The page itself (GET on the same URL), then its parents that answer GET."""
    adapter = app.url_map.bind("localhost")
    pages = []
    path = url.rstrip("/")
    for candidate in (url, path):
        try:
            adapter.match(candidate, method="GET")
        except Exception:  # no GET route on the same URL
            continue
        pages.append(candidate)
    while path:
        path = path.rsplit("/", 1)[0]
        for candidate in (path + "/", path) if path else ("/",):
            try:
                adapter.match(candidate, method="GET")
            except Exception:  # no GET route here (or only a redirect to one)
                continue
            pages.append(candidate)
            break
    return [*dict.fromkeys(pages), "/dashboard"]


def _fields_from(app, html: str, page: str, endpoint: str, url: str):
    forms = [f for f in parse_forms(html, page) if endpoint_of(app, f.action)[0] == endpoint]
    forms.sort(key=lambda f: endpoint_of(app, f.action)[1] != url)
    fields: dict[str, FieldSpec] = {}
    for form in forms:
        for name, spec in form.fields.items():
            if not name.endswith("csrf_token"):
                fields.setdefault(name, spec)
    multipart_form = any("multipart" in f.enctype for f in forms)
    # A form with a prefix names its token "<prefix>-csrf_token": the real form sends both.
    csrf_names = sorted({n for f in forms for n in f.fields if n.endswith("csrf_token")})
    return (list(fields.values()), multipart_form, csrf_names) if forms else None


def _fields_of_class(app, path) -> list[FieldSpec]:
    if isinstance(path, list):
        return [FieldSpec(name) for name in path]
    module, name = path.split(":")
    form_class = getattr(importlib.import_module(module), name)
    with app.test_request_context():
        form = form_class()
        return [
            FieldSpec(
                f.name, f.type.lower(), [str(v) for v, *_ in getattr(f, "choices", None) or []]
            )
            for f in form
            if not f.name.endswith("csrf_token")
        ]


class Target:
    """One POST route: who posts, where, in which state, and which fields the page has."""

    def __init__(self, scene, endpoint: str, rule) -> None:
        self.scene = scene
        self.endpoint = endpoint
        self.rule = rule
        self.role = role_for(endpoint, rule)
        self.state = AUTH_STATES.get(endpoint, "session")
        self.url = rule.build(_url_values(scene, endpoint, rule), append_unknown=False)[1]
        self.fields: list[FieldSpec] = []
        self.multipart = False
        self.csrf_names = ["csrf_token"]
        self.form_found = False
        self.examples = EXAMPLES_PER_STATE.get(self.state, EXAMPLES)

    # -- the state a request starts from

    def prepare(self):
        """(client, csrf token) in the state this route needs."""
        scene = self.scene
        if self.state == "session":
            scene.browser(self.role)
            return scene.browsers[self.role].client, scene.tokens[self.role]
        world = scene.world
        browser = Browser(scene.app.test_client())
        if self.state == "anonymous":
            page = browser.get("/inloggen")
        elif self.state == "fresh":
            browser.login(world.user(self.role))
            page = browser.get("/account")
        else:
            user = world.user(
                self.role,
                enrolled=self.state != "enrol",
                must_change_password=self.state == "mfa",
            )
            step = browser.post_form(
                "/inloggen", {"username": user.username, "password": user.password}
            )
            assert step.status_code == 302, f"{self.endpoint}: wachtwoordstap mislukt"
            if self.state == "mfa":
                step = browser.post_form("/inloggen/code", {"code": user.current_code()})
                assert "/inloggen/nieuw-wachtwoord" in step.headers.get("Location", "")
            page = browser.get(STATE_PAGES[self.state])
        assert page.status_code == 200, f"{self.endpoint}: begintoestand {page.status_code}"
        return browser.client, csrf_from(page.get_data(as_text=True))

    def discover(self) -> None:
        """Read the form's fields from the page that renders it."""
        if self.state == "session":
            client = self.scene.browser(self.role).client
            pages = _candidate_pages(self.scene.app, self.rule, self.url)
            pages[:0] = [self.url + extra for extra in EXTRA_PAGES.get(self.endpoint, [])]
        else:
            client, _token = self.prepare()
            pages = [STATE_PAGES[self.state], "/account", "/dashboard"]
        cache = self.scene.pages.setdefault(self.role if self.state == "session" else None, {})
        for page in pages:
            if page not in cache or self.state != "session":
                cache[page] = client.get(page, follow_redirects=True).get_data(as_text=True)
            html = cache[page]
            found = _fields_from(self.scene.app, html, page, self.endpoint, self.url)
            if found is not None:
                self.fields, self.multipart, names = found
                self.csrf_names = sorted({"csrf_token", *names})
                self.form_found = True
                return
        if self.endpoint in FORM_CLASSES:
            self.fields = _fields_of_class(self.scene.app, FORM_CLASSES[self.endpoint])
            self.form_found = True

    # -- sending

    def send(self, client, pairs, token):
        if token is not None:
            pairs = [*((name, token) for name in self.csrf_names), *pairs]
        if self.multipart:
            body, content_type = multipart(pairs)
        else:
            body, content_type = urlencoded(pairs), "application/x-www-form-urlencoded"
        return client.post(self.url, data=body, content_type=content_type)

    def plausible_pairs(self):
        pairs = []
        for spec in self.fields:
            if spec.kind == "file":
                pairs.append((spec.name, ("notitie.txt", b"Een korte notitie.\n")))
            else:
                pairs.append((spec.name, spec.values[0] if spec.values else "x"))
        return pairs


# ---------------------------------------------------------------- checks


def _problems(scene, target, response, submission, records) -> list[str]:
    problems = []
    status = response.status_code
    text = response.get_data().decode("utf-8", "replace")
    if status >= 500:
        problems.append(f"status {status}")
    if "Traceback (most recent call last)" in text or 'File "/' in text:
        problems.append("stack trace in de respons")
    if status >= 400 and status != 409:
        # A 409 shows the page the user was on (with the newest state), which may show the
        # person to a user who may see them; every other 4xx is an error page.
        shown = [s for s in scene.sentinels if s in text]
        if shown:
            problems.append(f"persoonsgegevens op een foutpagina ({status}): {len(shown)}x")
    if (
        target.state in ("session", "fresh")
        and status in (301, 302, 303)
        and "/inloggen" in response.headers.get("Location", "")
        and target.endpoint not in ("auth.logout", "auth.logout_everywhere")
    ):
        problems.append("sessie beëindigd")
    watched = list(scene.sentinels)
    if submission is not None:
        watched += [v for v in submission.hostile if len(v.strip()) >= 8]
    for record in records:
        message = record.getMessage()
        if record.exc_info:
            message += " " + logging.Formatter().formatException(record.exc_info)
        if record.levelno >= logging.ERROR:
            kind = record.exc_info[0].__name__ if record.exc_info else record.levelname
            problems.append(f"logregel {record.levelname} ({kind}): {record.getMessage()[:120]}")
        if any(value in message for value in watched):
            problems.append(f"persoonsgegevens of invoer in logregel {record.name}")
    return problems


def _compare(before: dict, after: dict, ignore_users: set) -> list[str]:
    changed = []
    for table, rows in before.items():
        if table == "roles":
            old, new = {}, {}
            for user_id, region_id, role in rows:
                old.setdefault(user_id, set()).add((region_id, role))
            for user_id, region_id, role in after[table]:
                new.setdefault(user_id, set()).add((region_id, role))
            for user_id, assignments in old.items():
                if user_id not in ignore_users and new.get(user_id) != assignments:
                    changed.append(f"rollen van gebruiker {user_id}")
            continue
        now = {row[0]: row for row in after[table]}
        for row in rows:
            if row[0] in ignore_users:
                continue
            if now.get(row[0], row) != row:
                changed.append(f"{table} {row[0]}")
    return changed


def _fuzzer(scene, target, statuses, log_capture, counter):
    @settings(max_examples=target.examples, **FUZZ_SETTINGS)
    @given(submission=submissions(target.fields, scene.mass_values))
    def fuzz(submission):
        client, token = target.prepare()
        log_capture.clear()
        response = target.send(client, submission.pairs, token)
        counter["requests"] += 1
        statuses[response.status_code] += 1
        problems = _problems(scene, target, response, submission, log_capture.records)
        assert not problems, f"{target.endpoint} {target.url}: {problems}\n{submission!r}"

    for submission in _classics(target):
        fuzz = example(submission=submission)(fuzz)
    return fuzz


def _classics(target) -> list[Submission]:
    """Explicit examples on top of the generated ones: each field in turn gets a classic
    (NUL, a digit int() refuses) while the others keep a plausible value."""
    plausible = target.plausible_pairs()
    found = []
    for index, (name, value) in enumerate(plausible):
        if isinstance(value, tuple):
            continue
        for classic in CLASSICS:
            pairs = list(plausible)
            pairs[index] = (name, classic)
            found.append(Submission(pairs, [classic], []))
    found.append(Submission([*plausible, ("role", "functioneel_beheerder\x00")], [], ["role"]))
    return found


# Werkzeug's multipart parser drops the temporary file of an upload when the body turns out
# to be malformed or too large halfway; the garbage collector closes it with this warning.
@pytest.mark.filterwarnings("ignore:unclosed file <tempfile.SpooledTemporaryFile:ResourceWarning")
@pytest.mark.asvs("V2.2.1", "V15.3.3", "V16.5.1", "V16.2.5", "V3.5.1")
def test_every_form_survives_hostile_input(fuzz_scene, log_capture, backend):
    scene = fuzz_scene
    app = scene.app
    rules = _post_rules(app)
    # Destructive routes last, so the others meet the objects as the demo made them.
    order = sorted(
        (e for e in rules if e not in EXCLUDED),
        key=lambda e: (e in ("retention.approve", "users.confirm_action"), e),
    )
    target_user = scene.values.get("user_id")
    ignore_users = {target_user}
    failures: list[str] = []
    stats: dict[str, Counter] = {}
    started = perf_counter()
    counter = Counter()
    # Read every form before posting anything: a post may change what a page shows.
    targets = {}
    for endpoint in order:
        targets[endpoint] = Target(scene, endpoint, rules[endpoint])
        targets[endpoint].discover()
        if not targets[endpoint].form_found:
            failures.append(f"{endpoint}: geen formulier gevonden op de pagina's")
    print(f"\nformulieren gelezen in {perf_counter() - started:.1f} s")
    before = scene.snapshot()
    for endpoint in order:
        target = targets[endpoint]
        statuses = stats.setdefault(endpoint, Counter())
        route_started = perf_counter()

        try:
            _fuzzer(scene, target, statuses, log_capture, counter)()
        except Exception as error:  # collect every route's failure, then fail once
            failures.append(str(error)[:3000])
        # CSRF: without a token and with a forged one, the same plausible values are refused.
        for token in (None, "vervalst"):
            client, _real = target.prepare()
            log_capture.clear()
            response = target.send(client, target.plausible_pairs(), token)
            counter["requests"] += 1
            if response.status_code != 400:
                failures.append(f"{endpoint}: CSRF-token {token!r} gaf {response.status_code}")
            problems = _problems(scene, target, response, None, log_capture.records)
            failures.extend(f"{endpoint} (CSRF): {p}" for p in problems)
        statuses["s"] = round(perf_counter() - route_started, 1)
        reached = sum(n for code, n in statuses.items() if code not in (403, "s"))
        if not reached:
            failures.append(f"{endpoint}: alleen 403 als {target.role}: de fuzz bereikt niets")
        if target.state == "session":
            alive = scene.browsers[target.role].get("/account")
            if alive.status_code != 200:
                failures.append(f"{endpoint}: sessie van {target.role} beëindigd")
                scene.relogin(target.role)
            scene.choose_west(target.role)  # a fuzzed region switch may have chosen Oost
        changed = _compare(before, scene.snapshot(), ignore_users)
        if changed:
            failures.append(f"{endpoint}: extra velden veranderden {changed[:5]}")
            before = scene.snapshot()
    gc.collect()  # files of a multipart body the parser gave up on (see the marker)
    elapsed = perf_counter() - started
    print(
        f"\nfuzz {backend}: {len(order)} routes, {counter['requests']} verzoeken, {elapsed:.1f} s"
    )
    for endpoint, counter in sorted(stats.items()):
        print(f"  {endpoint}: {dict(counter)}")
    assert not failures, "\n".join(failures)
