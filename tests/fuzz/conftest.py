"""The world the fuzz tests attack: the demo data (every kind of object: plans, titles,
handovers, documents, escalations, referrals, retention entries), the objects of the
permission matrix for the ids it needs, and persons with sentinel values that must never
show up in an error page or a log line."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from levensloop import demo
from levensloop.auth.models import Role, RoleAssignment, User
from levensloop.auth.services import _seal_totp
from levensloop.extensions import db
from levensloop.organisations.models import Organisation, Region
from levensloop.persons.models import Person
from levensloop.persons.services import PersonInput, create_person
from levensloop.sharing.models import CaseAssignment
from tests.conftest import Browser, csrf_from
from tests.factories import TestUser, World
from tests.fuzz.strategies import FieldSpec
from tests.security.test_permission_matrix import _objects

DEMO_LOGIN = {
    Role.LEVENSLOOPCOORDINATOR: "coordinator@zvh-demo.example",
    Role.PROCESREGISSEUR: "procesregisseur@zvh-demo.example",
    Role.CASUSREGISSEUR: "casusregisseur@zvh-demo.example",
    Role.KETENPARTNER: "ketenpartner@zvh-demo.example",
    Role.PRIVACY_OFFICER: "privacy@zvh-demo.example",
    Role.FUNCTIONEEL_BEHEERDER: "beheerder@zvh-demo.example",
    Role.LANDELIJK_ANALIST: "analist@zvh-demo.example",
}

# Plainly fictional persons whose values must never reach an error page or a log record.
SENTINEL_PERSON = PersonInput(
    voornamen="Fuzzsentinelvoornaam",
    achternaam="Fuzzsentinelachternaam",
    bsn=demo.demo_bsns(1, start=999998000)[0],
    adres="Sentinelsteeg 99, 9999 ZZ Fuzzstad",
    telefoon="06-98765432",
    email="fuzzsentinel@voorbeeld.invalid",
    notities="Fuzzsentinelnotitie over niets",
)
FOREIGN_SENTINEL = PersonInput(
    voornamen="Fuzzoostvoornaam",
    achternaam="Fuzzoostachternaam",
    bsn=demo.demo_bsns(1, start=999998100)[0],
)
# Demo surnames that are also ordinary words or part of an organisation's name.
NOT_DISTINCTIVE = {"Denkbeeld", "Bedenker", "Plaatsvervanger", "Kunstmatig", "Verhaaltje"}


# ---------------------------------------------------------------- reading forms from a page


@dataclass
class ParsedForm:
    action: str
    method: str
    enctype: str
    fields: dict[str, FieldSpec] = field(default_factory=dict)


class _FormParser(HTMLParser):
    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[ParsedForm] = []
        self._form: ParsedForm | None = None
        self._select: FieldSpec | None = None
        self._option_value: str | None = None
        self._option_text: list[str] | None = None
        self._textarea: FieldSpec | None = None

    def _field(self, name: str, kind: str) -> FieldSpec:
        assert self._form is not None
        return self._form.fields.setdefault(name, FieldSpec(name, kind))

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = ParsedForm(
                action=a.get("action") or self.page_url,
                method=(a.get("method") or "get").lower(),
                enctype=a.get("enctype") or "application/x-www-form-urlencoded",
            )
            self.forms.append(self._form)
            return
        if self._form is None or not a.get("name"):
            if tag == "option" and self._select is not None:
                self._option_value = a.get("value")
                self._option_text = []
            return
        name = a["name"]
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset") and name:
                spec = self._field(name, "submit")
                spec.values.append(a.get("value", ""))
                return
            spec = self._field(name, kind)
            if kind in ("checkbox", "radio"):
                spec.values.append(a.get("value", "on"))
            elif a.get("value"):
                spec.values.append(a["value"])
        elif tag == "select":
            self._select = self._field(name, "select")
        elif tag == "textarea":
            self._textarea = self._field(name, "textarea")
        elif tag == "button":
            spec = self._field(name, "submit")
            spec.values.append(a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "option" and self._select is not None and self._option_text is not None:
            value = self._option_value
            if value is None:
                value = "".join(self._option_text).strip()
            self._select.values.append(value)
            self._option_text = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._option_text is not None:
            self._option_text.append(data)
        elif self._textarea is not None and data.strip():
            self._textarea.values.append(data)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)


def parse_forms(html: str, page_url: str) -> list[ParsedForm]:
    parser = _FormParser(page_url)
    parser.feed(html)
    return [form for form in parser.forms if form.method == "post"]


def endpoint_of(app, action: str) -> tuple[str | None, str]:
    path = urlsplit(action).path
    adapter = app.url_map.bind("localhost")
    try:
        endpoint, _args = adapter.match(path, method="POST")
    except Exception:  # not a POST route of ours (or a redirect): not a form we fuzz
        return None, path
    return endpoint, path


# ---------------------------------------------------------------- the scene


@dataclass
class FuzzScene:
    app: object
    clock: object
    world: World
    values: dict
    anchors: dict
    sentinels: list[str]
    mass_values: dict[str, list[str]]
    browsers: dict = field(default_factory=dict)
    tokens: dict = field(default_factory=dict)
    pages: dict = field(default_factory=dict)

    def demo_user(self, role: Role) -> TestUser:
        username = DEMO_LOGIN[role]
        secret = next(u.totp_secret for u in demo.USERS if u.username == username)
        model = db.session.scalar(sa.select(User).where(User.username == username))
        return TestUser(model, demo.DEMO_PASSWORD, secret)

    def browser(self, role: Role) -> Browser:
        """A logged-in browser per role (one login per test: a TOTP code works once)."""
        if role not in self.browsers:
            browser = Browser(self.app.test_client())
            page = browser.login(self.demo_user(role))
            assert page.status_code == 200, f"inloggen als {role} mislukt"
            self.browsers[role] = browser
            self.tokens[role] = csrf_from(browser.get("/account").get_data(as_text=True))
            self.choose_west(role)
        return self.browsers[role]

    def choose_west(self, role: Role) -> None:
        """Users with roles in both regions work in West, where the objects are."""
        chosen = self.browsers[role].client.post(
            "/regio", data={"region": str(self.world.west.id), "csrf_token": self.tokens[role]}
        )
        assert chosen.status_code == 302, f"regiokeuze als {role} mislukt"

    def relogin(self, role: Role) -> None:
        """After a route ended the session: a new login, with the next TOTP code."""
        self.browsers.pop(role, None)
        self.clock.advance(seconds=31)
        self.browser(role)

    def snapshot(self) -> dict:
        """What no request may change through extra fields: users' organisation, roles and
        status; the region of persons, organisations, referrals and trajectories."""
        from levensloop.inclusion.models import Referral, Trajectory

        rows = {
            "users": set(
                db.session.execute(sa.select(User.id, User.organisation_id, User.active)).all()
            ),
            "roles": set(
                db.session.execute(
                    sa.select(RoleAssignment.user_id, RoleAssignment.region_id, RoleAssignment.role)
                ).all()
            ),
        }
        for model in (Person, Organisation, Referral, Trajectory):
            rows[model.__tablename__] = set(
                db.session.execute(sa.select(model.id, model.region_id)).all()
            )
        db.session.commit()
        return rows


def _first(statement):
    found = db.session.scalars(statement.limit(1)).first()
    assert found is not None, f"geen object voor {statement}"
    return found


@pytest.fixture
def fuzz_scene(app, clock):
    from levensloop.documents.models import Document
    from levensloop.escalations.models import Escalation
    from levensloop.handovers.models import Handover
    from levensloop.notifications.models import Notification
    from levensloop.persons.network import NetworkContact
    from levensloop.plans.models import Action, Plan
    from levensloop.titles.models import LegalTitle, Placement

    demo.seed(lambda user, secret: _seal_totp(user, "totp_secret", secret))
    regions = {r.code: r for r in db.session.scalars(sa.select(Region))}
    organisations = {o.name: o for o in db.session.scalars(sa.select(Organisation))}
    world = World(
        west=regions["demo-west"],
        oost=regions["demo-oost"],
        west_zvh=organisations["Zorg- en Veiligheidshuis Demo West"],
        west_ggz=organisations["GGZ Voorbeeld (FACT)"],
        oost_zvh=organisations["Zorg- en Veiligheidshuis Demo Oost"],
    )
    sentinel = create_person(None, world.west, SENTINEL_PERSON)
    foreign = create_person(None, world.oost, FOREIGN_SENTINEL)
    coordinator = db.session.scalar(
        sa.select(User).where(User.username == DEMO_LOGIN[Role.LEVENSLOOPCOORDINATOR])
    )
    db.session.add(
        CaseAssignment(
            person_id=sentinel.id,
            user_id=coordinator.id,
            role="coordinator",
            start_date=clock.now.date(),
        )
    )
    db.session.commit()
    other_user = world.user(Role.KETENPARTNER, region=world.oost)
    values = _objects(
        world, {"persons": {"deelnemer": sentinel}, "other_user": other_user}, "deelnemer"
    )

    # Real objects where the matrix uses random ids, each with the person it belongs to.
    document = _first(sa.select(Document).order_by(Document.id))
    main = document.person_id
    concept = _first(sa.select(Plan).where(Plan.status == "concept").order_by(Plan.id))
    anchors = {
        "main": main,
        "plan": concept.person_id,
        "document_id": document.id,
        "handover_id": _first(sa.select(Handover).where(Handover.person_id == main)).id,
        "escalation_id": _first(
            sa.select(Escalation).where(Escalation.person_id == main, Escalation.status == "open")
        ).id,
        "title_id": _first(
            sa.select(LegalTitle).where(LegalTitle.person_id == main, LegalTitle.status == "actief")
        ).id,
        "placement_id": _first(sa.select(Placement).where(Placement.person_id == main)).id,
        "contact_id": _first(sa.select(NetworkContact).where(NetworkContact.person_id == main)).id,
        "plan_id": concept.id,
        "action_id": _first(
            sa.select(Action).where(Action.person_id == concept.person_id).order_by(Action.id)
        ).id,
        "notification_id": _first(
            sa.select(Notification).where(Notification.user_id == coordinator.id)
        ).id,
        "sentinel": sentinel.id,
        "outside": _first(
            sa.select(Person)
            .where(
                Person.region_id == world.west.id,
                Person.id.not_in(
                    sa.select(CaseAssignment.person_id).where(
                        CaseAssignment.user_id == coordinator.id
                    )
                ),
            )
            .order_by(Person.id)
        ).id,
    }

    sentinels = [
        SENTINEL_PERSON.voornamen,
        SENTINEL_PERSON.achternaam,
        SENTINEL_PERSON.bsn,
        SENTINEL_PERSON.adres,
        SENTINEL_PERSON.telefoon,
        SENTINEL_PERSON.email,
        SENTINEL_PERSON.notities,
        FOREIGN_SENTINEL.achternaam,
        FOREIGN_SENTINEL.bsn,
    ]
    for person in db.session.scalars(sa.select(Person)):
        if person.bsn and person.bsn not in sentinels:
            sentinels.append(person.bsn)
        name = person.achternaam or ""
        if len(name) >= 6 and name not in NOT_DISTINCTIVE and name not in sentinels:
            sentinels.append(name)

    # Values an attacker would put in extra fields: someone else's region, organisation,
    # person or user, or a stronger role.
    mass_values = {
        "role": [Role.FUNCTIONEEL_BEHEERDER.value, "admin"],
        "roles": [Role.PROCESREGISSEUR.value, Role.PRIVACY_OFFICER.value],
        "organisation_id": [str(world.oost_zvh.id), str(world.west_zvh.id)],
        "region_id": [str(world.oost.id)],
        "region": [str(world.oost.id)],
        "id": [str(uuid.uuid4()), str(foreign.id)],
        "created_by": [str(other_user.id)],
        "created_by_id": [str(other_user.id)],
        "user_id": [str(other_user.id)],
        "person_id": [str(foreign.id)],
        "is_admin": ["1", "true"],
        "active": ["0", "1"],
        "must_change_password": ["0"],
        "password_hash": ["$argon2id$v=19$m=8,t=1,p=1$bm9wZQ$bm9wZQ"],
        "totp_secret": ["JBSWY3DPEHPK3PXP"],
    }
    db.session.commit()
    return FuzzScene(app, clock, world, values, anchors, sentinels, mass_values)


@pytest.fixture
def log_capture(caplog):
    """Every record of our own loggers, all levels, and warnings of any library."""
    caplog.set_level(logging.DEBUG, logger="levensloop")
    return caplog
