"""The concurrent-edit run: many people change the same plan at the same moment, over real HTTP
against gunicorn, and nothing they saved may be lost.

Each editor is its own account (a procesregisseur of the region reserved for this run) with its
own session. Three rounds, each started by all editors at once (a barrier):

- `section`: every editor opens the plan, reads the version of one domain's text, and saves
  its own text with that version; it retries with a fresh page after a refusal.
- `action_status`: the same for the status of one action.
- `adds`: every editor adds an action to the same goal and a contact to the same person's
  network, at once.

What must hold (`check_*` below; a failed check is listed in `problems`):

- every response is the saved page, or the Dutch conflict message (409 or the redirect with
  that message), never a 500 or anything else;
- the accepted edits read distinct versions v0, v0+1, ..., v0+n-1: each accepted edit is the
  final state or was superseded by a later accepted edit that had read the version it wrote;
- the final version is v0 + n and the final content is that of the last accepted edit;
- the audit log has exactly one change record per accepted edit;
- every added action and contact exists exactly once.
"""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import asdict, dataclass, field

import requests
import sqlalchemy as sa

from loadtest import client as web

SECTION_CONFLICT = "Iemand anders heeft dit leefgebied intussen gewijzigd"
ACTION_CONFLICT = "Iemand anders heeft deze actie intussen gewijzigd"
SECTION_SAVED = "Het leefgebied is opgeslagen."
STATUS_SAVED = "De status van de actie is bijgewerkt."
ACTION_ADDED = "De actie is toegevoegd."
CONTACT_ADDED = "Het contact is aan het netwerk toegevoegd."
ACTION_STATES = ("open", "loopt", "gereed", "gestagneerd")


class EditError(Exception):
    pass


@dataclass
class Attempt:
    editor: int
    round: int
    version_read: int
    value: str
    outcome: str  # accepted | refused | error
    status: int
    detail: str = ""


@dataclass
class EditResult:
    editors: int = 0
    attempts: list[Attempt] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for a in self.attempts if a.outcome == outcome)


class Editor:
    """One person at a browser: its own session against the server."""

    def __init__(self, base_url: str, account: dict) -> None:
        self.base = base_url.rstrip("/")
        self.account = account
        self.session = requests.Session()
        self.last_page = "/dashboard"

    def request(self, method: str, path: str, form: dict | None = None):
        web.send_secure_cookies(self.session)
        referer = self.last_page if method == "POST" else None
        response = self.session.request(
            method,
            self.base + path,
            data=form,
            headers=web.headers(self.base, referer),
            allow_redirects=False,
            timeout=120,
        )
        if method == "GET" and response.status_code == 200:
            self.last_page = path
        return response

    def page(self, path: str) -> str:
        response = self.request("GET", path)
        if response.status_code != 200 or web.is_login_redirect(response):
            raise EditError(f"GET {path}: status {response.status_code}")
        return response.text

    def login(self) -> None:
        for _attempt in range(3):
            start = self.page("/inloggen")
            sent = self.request(
                "POST",
                "/inloggen",
                {
                    "csrf_token": web.csrf(start) or "",
                    "username": self.account["username"],
                    "password": self.account["password"],
                },
            )
            if sent.status_code != 302:
                raise EditError(f"inloggen: status {sent.status_code}")
            code_page = self.page("/inloggen/code")
            done = self.request(
                "POST",
                "/inloggen/code",
                {
                    "csrf_token": web.csrf(code_page) or "",
                    "code": web.totp_code(self.account["totp_secret"]),
                },
            )
            if done.status_code == 302:
                return
            time.sleep(web.seconds_to_next_code(self.account["totp_secret"]))
        raise EditError("inloggen mislukt")


def _in_parallel(editors, work) -> list:
    """Run work(index, editor, barrier) in one thread per editor; returns their results."""
    barrier = threading.Barrier(len(editors))
    results: list = [None] * len(editors)

    def run(i: int, editor: Editor) -> None:
        try:
            results[i] = work(i, editor, barrier)
        except Exception as exc:  # reported as a problem of the run
            barrier.abort()
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, e)) for i, e in enumerate(editors)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


# ---------------------------------------------------------------- the rounds


def _section_form(text: str, domain: str):
    form = web.form_ending(text, f"/leefgebied/{domain}")
    if form is None:
        raise EditError("het leefgebied staat niet als formulier op de plan-pagina")
    return form


def _status_form(text: str, action_id: str):
    form = web.form_ending(text, f"/plan/actie/{action_id}/status")
    if form is None:
        raise EditError("de actie staat niet als formulier op de plan-pagina")
    return form


def _classify(editor: Editor, response, saved: str, conflict: str) -> tuple[str, str]:
    """accepted / refused / error for the response of a save, following a redirect as the
    browser does (the flash message is on the page it leads to)."""
    if response.status_code == 409:
        ok = conflict in response.text
        return ("refused", "") if ok else ("error", "409 zonder de conflictmelding")
    if response.status_code != 302 or web.is_login_redirect(response):
        return "error", f"status {response.status_code}"
    follow = editor.page(response.headers["Location"])
    if saved in follow:
        return "accepted", ""
    if conflict in follow:
        return "refused", ""
    return "error", "doorverwezen zonder bevestiging of conflictmelding"


def edit_round(editors, target: dict, kind: str, attempts: int) -> EditResult:
    """All editors save the same thing at once, `attempts` times each (a fresh page after
    every response)."""
    plan_path = f"/personen/{target['person_id']}/plan"
    result = EditResult(editors=len(editors))

    def work(k: int, editor: Editor, barrier: threading.Barrier) -> list[Attempt]:
        done = []
        for r in range(attempts):
            text = editor.page(plan_path)
            if kind == "section":
                form = _section_form(text, target["domain"])
                value = f"Tekst van bewerker {k + 1}, poging {r + 1} ({uuid.uuid4().hex[:8]})"
                data = form.data(situation=value)
                saved, conflict = SECTION_SAVED, SECTION_CONFLICT
            else:
                form = _status_form(text, target["action_id"])
                current = form.fields.get("status")
                value = ACTION_STATES[(k + r + 1) % len(ACTION_STATES)]
                if value == current:
                    value = ACTION_STATES[(k + r + 2) % len(ACTION_STATES)]
                data = form.data(status=value)
                saved, conflict = STATUS_SAVED, ACTION_CONFLICT
            version = int(form.fields["version"])
            if r == 0:
                barrier.wait(timeout=300)  # everyone saves the same version at once
            response = editor.request("POST", form.action, data)
            outcome, detail = _classify(editor, response, saved, conflict)
            done.append(Attempt(k, r, version, value, outcome, response.status_code, detail))
        return done

    for item in _in_parallel(editors, work):
        if isinstance(item, Exception):
            result.attempts.append(Attempt(-1, -1, -1, "", "error", 0, repr(item)[:300]))
        else:
            result.attempts.extend(item)
    return result


def add_round(editors, target: dict) -> dict:
    """Every editor adds one action to the same goal and one contact to the same network."""
    person = target["person_id"]
    plan_path = f"/personen/{person}/plan"
    network_path = f"/personen/{person}/netwerk"

    def work(k: int, editor: Editor, barrier: threading.Barrier) -> dict:
        token = uuid.uuid4().hex[:10]
        plan_page = editor.page(plan_path)
        add = web.form_ending(plan_page, f"/plan/{target['plan_id']}/actie")
        if add is None:
            raise EditError("geen formulier om een actie toe te voegen")
        action_text = f"Gelijktijdige actie {k + 1} ({token})"
        action_form = add.data(
            goal=target["goal_id"],
            text=action_text,
            owner_organisation=target["owner_organisation_id"],
            owner_person="Begeleider (fictief)",
            due_date="",
        )
        network_page = editor.page(network_path)
        contact = web.form_with(network_page, "relation")
        if contact is None:
            raise EditError("geen formulier om een contact toe te voegen")
        contact_name = f"Gelijktijdig contact {k + 1} ({token})"
        contact_form = contact.data(
            name=contact_name, relation="overig", supportive="", reach="", since="", note=""
        )
        barrier.wait(timeout=300)
        editor.last_page = plan_path
        first = _classify(
            editor, editor.request("POST", add.action, action_form), ACTION_ADDED, "\x00"
        )
        editor.last_page = network_path
        second = _classify(
            editor, editor.request("POST", network_path, contact_form), CONTACT_ADDED, "\x00"
        )
        return {
            "action_text": action_text,
            "action": first[0],
            "action_detail": first[1],
            "contact_name": contact_name,
            "contact": second[0],
            "contact_detail": second[1],
        }

    rows = _in_parallel(editors, work)
    errors = [repr(r)[:300] for r in rows if isinstance(r, Exception)]
    rows = [r for r in rows if isinstance(r, dict)]
    reader = editors[0]
    plan_page = reader.page(plan_path)
    network_page = reader.page(network_path)
    return {
        "editors": len(editors),
        "errors": errors,
        "actions_accepted": sum(r["action"] == "accepted" for r in rows),
        "contacts_accepted": sum(r["contact"] == "accepted" for r in rows),
        "responses_not_accepted": [
            {k: r[k] for k in ("action", "action_detail", "contact", "contact_detail")}
            for r in rows
            if r["action"] != "accepted" or r["contact"] != "accepted"
        ],
        "actions_seen": {r["action_text"]: plan_page.count(r["action_text"]) for r in rows},
        "contacts_seen": {r["contact_name"]: network_page.count(r["contact_name"]) for r in rows},
    }


# ---------------------------------------------------------------- checks


def _current(editor: Editor, target: dict, kind: str) -> tuple[int, str]:
    text = editor.page(f"/personen/{target['person_id']}/plan")
    if kind == "section":
        form = _section_form(text, target["domain"])
        return int(form.fields["version"]), form.fields.get("situation", "").strip()
    form = _status_form(text, target["action_id"])
    return int(form.fields["version"]), form.fields.get("status", "")


def check_edits(result: EditResult, start: tuple, final: tuple, audited: int, kind: str) -> dict:
    """The no-lost-update checks for one edit round."""
    problems = []
    v0, _ = start
    final_version, final_value = final
    accepted = sorted(
        (a for a in result.attempts if a.outcome == "accepted"), key=lambda a: a.version_read
    )
    errors = [a for a in result.attempts if a.outcome == "error"]
    if errors:
        problems.append(
            f"{len(errors)} antwoorden waren geen opslag en geen conflictmelding: "
            + "; ".join(sorted({a.detail or str(a.status) for a in errors}))
        )
    read = [a.version_read for a in accepted]
    if read != list(range(v0, v0 + len(accepted))):
        problems.append(f"geaccepteerde bewerkingen lazen versies {read}, verwacht {v0}..")
    for earlier in accepted[:-1]:
        if not any(a.version_read == earlier.version_read + 1 for a in accepted):
            problems.append(f"bewerking op versie {earlier.version_read} is verloren gegaan")
    if final_version != v0 + len(accepted):
        problems.append(
            f"versie is {final_version}, verwacht {v0} + {len(accepted)} geaccepteerde bewerkingen"
        )
    if accepted and final_value != accepted[-1].value:
        problems.append("de eindstand is niet die van de laatste geaccepteerde bewerking")
    if audited != len(accepted):
        problems.append(f"{audited} auditrecords voor {len(accepted)} geaccepteerde bewerkingen")
    if not accepted:
        problems.append("geen enkele bewerking geaccepteerd")
    return {
        "kind": kind,
        "editors": result.editors,
        "attempts": len(result.attempts),
        "accepted": len(accepted),
        "refused_with_conflict_message": result.count("refused"),
        "errors": len(errors),
        "version_start": v0,
        "version_final": final_version,
        "audit_records": audited,
        "problems": problems,
        "error_details": [asdict(a) for a in errors][:10],
    }


def check_adds(adds: dict) -> dict:
    problems = list(adds["errors"])
    n = adds["editors"]
    if adds["actions_accepted"] != n or adds["contacts_accepted"] != n:
        problems.append(
            f"{adds['actions_accepted']}/{n} acties en {adds['contacts_accepted']}/{n} contacten "
            "opgeslagen"
        )
    for label, seen in (("actie", adds["actions_seen"]), ("contact", adds["contacts_seen"])):
        wrong = {k: v for k, v in seen.items() if v != 1}
        if wrong or len(seen) != n:
            problems.append(
                f"{label}: niet elk precies één keer zichtbaar ({len(wrong)} afwijkend)"
            )
    return {**adds, "problems": problems}


def _audit_count(database_url: str, event_type: str, object_type: str, object_id: str) -> int:
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as conn:
            return conn.execute(
                sa.text(
                    "SELECT count(*) FROM audit_events WHERE event_type = :e "
                    "AND object_type = :t AND object_id = :o"
                ),
                {"e": event_type, "t": object_type, "o": object_id},
            ).scalar_one()
    finally:
        engine.dispose()


def _rows(database_url: str, sql: str, **params) -> int:
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text(sql), params).scalar_one()
    finally:
        engine.dispose()


def run(base_url: str, accounts: list[dict], target: dict, database_url: str, *,
        attempts: int = 3, log=print) -> dict:  # fmt: skip
    """Log the editors in, run the three rounds, check. Returns the result with `ok`."""
    started = time.perf_counter()
    editors = [Editor(base_url, account) for account in accounts]
    failed = [r for r in _in_parallel(editors, lambda i, e, b: e.login()) if r is not None]
    if failed:
        return {"ok": False, "problems": [f"inloggen van bewerkers mislukt: {failed[0]!r}"]}
    log(f"  {len(editors)} bewerkers ingelogd")
    out: dict = {"editors": len(editors), "attempts_per_editor": attempts}

    section_audit = ("plan_section_updated", "levensloopplan", target["plan_id"])
    before_section = _audit_count(database_url, *section_audit)
    start = _current(editors[0], target, "section")
    result = edit_round(editors, target, "section", attempts)
    final = _current(editors[0], target, "section")
    audited = _audit_count(database_url, *section_audit) - before_section
    out["section"] = check_edits(result, start, final, audited, "section")

    status_audit = ("plan_action_status", "actie", target["action_id"])
    before_status = _audit_count(database_url, *status_audit)
    start = _current(editors[0], target, "action_status")
    result = edit_round(editors, target, "action_status", attempts)
    final = _current(editors[0], target, "action_status")
    audited = _audit_count(database_url, *status_audit) - before_status
    out["action_status"] = check_edits(result, start, final, audited, "action_status")

    count_actions = "SELECT count(*) FROM actions WHERE goal_id = :g"
    count_contacts = "SELECT count(*) FROM network_contacts WHERE person_id = :p"
    actions_before = _rows(database_url, count_actions, g=target["goal_id"])
    contacts_before = _rows(database_url, count_contacts, p=target["person_id"])
    adds = check_adds(add_round(editors, target))
    adds["action_rows_added"] = _rows(database_url, count_actions, g=target["goal_id"]) - (
        actions_before
    )
    adds["contact_rows_added"] = (
        _rows(database_url, count_contacts, p=target["person_id"]) - contacts_before
    )
    for key in ("action_rows_added", "contact_rows_added"):
        if adds[key] != len(editors):
            adds["problems"].append(f"{key} = {adds[key]}, verwacht {len(editors)}")
    out["adds"] = adds
    out["seconds"] = round(time.perf_counter() - started, 1)
    out["problems"] = [
        f"{part}: {p}"
        for part in ("section", "action_status", "adds")
        for p in out[part]["problems"]
    ]
    out["ok"] = not out["problems"]
    return out
