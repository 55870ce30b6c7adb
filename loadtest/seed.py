"""The load test's database: a fresh PostgreSQL database with the demo data, national-style
benchmark data (bench/generate.py) and enough fictional accounts for every simulated user.

Everything is plainly fictional. The data is encrypted under master keys made for this run only
(`new_master_keys()`), the same keys the gunicorn workers get, and passwords are hashed with the
production argon2id parameters, so logging in costs what it costs in a real installation.

Regions: the two demo regions, `bench-01` .. `bench-04` for the simulated users, and `bench-05`
reserved for the concurrent-edit run (its accounts and persons are never touched by the
simulated users, so the edit counts there are exact).
"""

from __future__ import annotations

import base64
import math
import os
import random
import secrets
import time
from dataclasses import asdict, dataclass, field
from types import SimpleNamespace

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from bench import generate as gen

DATABASE_PREFIX = "levensloop_load_"
USER_REGIONS = 4  # bench regions the simulated users work in
EDIT_REGION = USER_REGIONS + 1  # the region reserved for the concurrent-edit run
MIN_PERSONS_PER_REGION = 60  # so that the region overview has a later page (25 per page)

# The mix of simulated users per role (shares of the total), largest remainder rounding.
ROLE_SHARES = (
    ("coordinator", 0.50),
    ("procesregisseur", 0.20),
    ("ketenpartner", 0.16),
    ("privacy_officer", 0.07),
    ("analyst", 0.07),
)
ROLES = tuple(role for role, _share in ROLE_SHARES)


@dataclass
class Account:
    username: str
    password: str
    totp_secret: str
    role: str
    region: str
    # Fictional BSNs of persons in the account's region (for search and the privacy lookup).
    bsns: list[str] = field(default_factory=list)


@dataclass
class EditTarget:
    """The person, concept plan, domain, action and goal the concurrent-edit run works on."""

    person_id: str
    plan_id: str
    domain: str
    action_id: str
    goal_id: str
    owner_organisation_id: str


@dataclass
class Seeded:
    accounts: dict[str, list[Account]]
    editors: list[Account]
    target: EditTarget
    persons: int
    seconds: float

    def as_json(self) -> dict:
        return {
            "accounts": {role: [asdict(a) for a in items] for role, items in self.accounts.items()},
            "editors": [asdict(a) for a in self.editors],
            "target": asdict(self.target),
            "persons": self.persons,
            "seconds": self.seconds,
        }


def role_counts(users: int) -> dict[str, int]:
    """How many simulated users each role gets: the shares of ROLE_SHARES, at least one each."""
    if users < len(ROLE_SHARES):
        raise ValueError(f"minstens {len(ROLE_SHARES)} gebruikers, één per rol")
    exact = {role: users * share for role, share in ROLE_SHARES}
    counts = {role: max(1, math.floor(value)) for role, value in exact.items()}
    by_remainder = sorted(ROLES, key=lambda r: exact[r] - math.floor(exact[r]), reverse=True)
    i = 0
    while sum(counts.values()) < users:
        counts[by_remainder[i % len(by_remainder)]] += 1
        i += 1
    while sum(counts.values()) > users:
        largest = max(counts, key=counts.get)
        counts[largest] -= 1
    return counts


# ---------------------------------------------------------------- database and keys


def new_master_keys() -> str:
    """A master key (version 1) and an index key made for this run only."""

    def key() -> str:
        return base64.b64encode(os.urandom(32)).decode()

    return f"1:{key()},index:{key()}"


def create_database(server_url: str) -> str:
    """A fresh, empty database on the server; returns its URL."""
    name = f"{DATABASE_PREFIX}{secrets.token_hex(4)}"
    server = make_url(server_url)
    if server.drivername in ("postgresql", "postgres"):
        server = server.set(drivername="postgresql+psycopg")
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return server.set(database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    """Drop a database this module created (never another one)."""
    parsed = make_url(url)
    name = parsed.database or ""
    if not name.startswith(DATABASE_PREFIX):
        raise ValueError(f"weigert database {name!r}: niet door de belastingstest gemaakt")
    server_db = "postgres" if name != "postgres" else "template1"
    admin = sa.create_engine(parsed.set(database=server_db), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def seeding_app(url: str, master_keys: str):
    """The application for seeding: the run's keys and production argon2id parameters."""
    from config.default import DefaultConfig
    from levensloop import create_app

    return create_app(
        {
            "CONFIG_NAME": "testing",
            "SQLALCHEMY_DATABASE_URI": url,
            "TESTING": False,
            "MASTER_KEYS": master_keys,
            "RATELIMIT_ENABLED": False,
            "MAIL_ENABLED": False,
            "ARGON2_TIME_COST": DefaultConfig.ARGON2_TIME_COST,
            "ARGON2_MEMORY_COST": DefaultConfig.ARGON2_MEMORY_COST,
            "ARGON2_PARALLELISM": DefaultConfig.ARGON2_PARALLELISM,
        }
    )


# ---------------------------------------------------------------- seeding


def persons_per_region(counts: dict[str, int]) -> int:
    """Enough persons per bench region for the coördinators' caseloads (20 each)."""
    bench_coordinators = max(1, counts["coordinator"] - 1)  # one is the demo coördinator
    per_region = gen.CASELOAD * math.ceil(bench_coordinators / USER_REGIONS)
    return max(per_region, MIN_PERSONS_PER_REGION)


def seed(url: str, master_keys: str, users: int, editors: int = 20, log=print) -> Seeded:
    """Migrate the empty database at `url` and fill it; returns the accounts to log in with."""
    started = time.perf_counter()
    counts = role_counts(users)
    app = seeding_app(url, master_keys)
    gen.migrate(app)
    with app.app_context():
        from levensloop import demo
        from levensloop.auth.services import _seal_totp
        from levensloop.extensions import db

        demo.seed(lambda user, secret: _seal_totp(user, "totp_secret", secret))
        log("  demodata aangemaakt (ZVH Demo West en Demo Oost)")
        per_region = persons_per_region(counts)
        regions = EDIT_REGION
        scale = per_region * regions
        rnd = random.Random(8)
        plan, region_users, analyst = gen.create_people(app, scale, regions, rnd)
        bsns = _bench_persons(app, plan, scale, rnd)
        gen.freeze_reports()
        log(f"  {scale} fictieve personen in {regions} benchregio's, maandcijfers vastgelegd")
        accounts = _accounts(plan, region_users, analyst, bsns, counts)
        editor_accounts = _extra_users(
            plan[EDIT_REGION - 1], "procesregisseur", editors, bsns, start=2
        )
        target = _edit_target(plan[EDIT_REGION - 1])
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
        db.session.remove()
        db.engine.dispose()
    seconds = round(time.perf_counter() - started, 1)
    total = sum(len(v) for v in accounts.values())
    log(f"  {total} accounts voor gesimuleerde gebruikers, {len(editor_accounts)} bewerkers")
    return Seeded(accounts, editor_accounts, target, scale, seconds)


def _bench_persons(app, plan, scale: int, rnd) -> dict[str, list[str]]:
    """The persons of every bench region, with their history, written as bench/generate.py
    writes them (same encryption, same audit chain). Returns sample BSNs per region."""
    from levensloop.audit.models import AuditChainHead
    from levensloop.db import local_today
    from levensloop.extensions import db

    ring = app.extensions["levensloop_keyring"]
    ctx = SimpleNamespace(
        ring=ring,
        today=local_today(),
        index_keys={
            c: ring.index_key_for("persons", c)
            for c in ("bsn", "achternaam", "achternaam_geboortedatum")
        },
    )
    all_bsns = gen.fictional_bsns(scale)
    tables = {name: db.metadata.tables[name] for name in gen.TABLE_ORDER}
    head_row = db.session.get(AuditChainHead, 1)
    head = [head_row.seq, head_row.hash]
    db.session.commit()
    samples: dict[str, list[str]] = {}
    n_global = 0
    for region in plan:
        region_bsns = all_bsns[n_global : n_global + region.persons]
        rows = {name: [] for name in gen.TABLE_ORDER}
        for n_local in range(region.persons):
            gen._person_rows(ctx, region, n_global, n_local, region_bsns[n_local], rnd, rows)
            n_global += 1
        gen._chain(rows["audit_events"], head)
        with db.engine.begin() as conn:
            for name in gen.TABLE_ORDER:
                if rows[name]:
                    conn.execute(tables[name].insert(), rows[name])
            conn.execute(
                sa.update(AuditChainHead.__table__)
                .where(AuditChainHead.__table__.c.id == 1)
                .values(seq=head[0], hash=head[1])
            )
        samples[region.code] = region_bsns[:: max(1, region.persons // 10)]
    return samples


def _account(username: str, role: str, region: str, bsns=(), demo_secret: str | None = None):
    from levensloop import demo

    if demo_secret:
        return Account(username, demo.DEMO_PASSWORD, demo_secret, role, region, list(bsns))
    return Account(username, gen.BENCH_PASSWORD, gen.BENCH_TOTP_SECRET, role, region, list(bsns))


def _accounts(plan, region_users, analyst, bsns, counts) -> dict[str, list[Account]]:
    """Demo accounts first (they have the richest demo history), then bench accounts, then
    extra accounts in the bench regions until every role has enough."""
    from levensloop import demo

    demo_secrets = {u.username: u.totp_secret for u in demo.USERS}
    demo_bsns = demo.demo_bsns(5)
    west = "demo-west"

    def from_demo(username, role, bsns=()):
        return _account(username, role, west, bsns, demo_secrets[username])

    pools: dict[str, list[Account]] = {
        "coordinator": [from_demo("coordinator@zvh-demo.example", "coordinator")],
        "procesregisseur": [from_demo("procesregisseur@zvh-demo.example", "procesregisseur")],
        "ketenpartner": [from_demo("ketenpartner@zvh-demo.example", "ketenpartner")],
        # The demo procesregisseur works in two regions: no BSN search (it depends on the
        # region chosen); the demo privacy officer only in Demo West, with its BSNs.
        "privacy_officer": [from_demo("privacy@zvh-demo.example", "privacy_officer", demo_bsns)],
        "analyst": [
            from_demo("analist@zvh-demo.example", "analyst"),
            _account(analyst, "analyst", plan[0].code),
        ],
    }
    for region in plan[:USER_REGIONS]:
        users = region_users[region.code]
        code, sample = region.code, bsns[region.code]
        pools["procesregisseur"].append(
            _account(users["procesregisseur"], "procesregisseur", code, sample)
        )
        pools["coordinator"].extend(
            _account(name, "coordinator", code, sample) for name in users["coordinators"]
        )
        pools["ketenpartner"].append(_account(f"kp@{code}.bench.example", "ketenpartner", code))
        pools["privacy_officer"].append(
            _account(f"po@{code}.bench.example", "privacy_officer", code, sample)
        )
    for role in ("procesregisseur", "ketenpartner", "privacy_officer", "analyst"):
        missing = counts[role] - len(pools[role])
        k = 2
        while missing > 0:
            region = plan[(k - 2) % USER_REGIONS]
            batch = min(missing, 1)
            pools[role].extend(_extra_users(region, role, batch, bsns, start=k))
            missing -= batch
            k += 1
    if len(pools["coordinator"]) < counts["coordinator"]:
        raise RuntimeError("te weinig coördinatoren met een caseload")
    return pools


EXTRA_ROLE = {
    "procesregisseur": ("pr", "zvh", "Procesregisseur"),
    "ketenpartner": ("kp", "reclassering", "Ketenpartner"),
    "privacy_officer": ("po", "zvh", "Privacy officer"),
    "analyst": ("analist", "landelijk", "Landelijk analist"),
}


def _extra_users(region, role: str, count: int, bsns, *, start: int) -> list[Account]:
    """More accounts of one role in a bench region (numbered from `start`), as
    bench/generate.py makes its own: production-strength password hash, sealed TOTP seed."""
    from levensloop.auth import passwords
    from levensloop.auth.models import Role, RoleAssignment, User
    from levensloop.auth.services import _seal_totp
    from levensloop.db import utcnow
    from levensloop.extensions import db

    prefix, org, label = EXTRA_ROLE[role]
    app_role = {
        "procesregisseur": Role.PROCESREGISSEUR,
        "ketenpartner": Role.KETENPARTNER,
        "privacy_officer": Role.PRIVACY_OFFICER,
        "analyst": Role.LANDELIJK_ANALIST,
    }[role]
    organisation_id = region.orgs.get(org) or region.orgs["zvh"]
    password_hash = passwords.hash_password(gen.BENCH_PASSWORD)
    now = utcnow()
    made, accounts = [], []
    for k in range(start, start + count):
        # Region-bound usernames, so extra accounts of different regions never collide.
        username = f"{prefix}{k:02d}@{region.code}.bench.example"
        user = User(
            username=username,
            display_name=f"{label} {k} (load)",
            organisation_id=organisation_id,
            password_hash=password_hash,
            password_changed_at=now,
            totp_enrolled_at=now,
        )
        user.roles = [RoleAssignment(region_id=region.id, role=app_role)]
        db.session.add(user)
        made.append(user)
        accounts.append(_account(username, role, region.code, bsns.get(region.code, ())))
    db.session.flush()
    for user in made:
        user.totp_secret = _seal_totp(user, "totp_secret", gen.BENCH_TOTP_SECRET)
    db.session.commit()
    return accounts


def _edit_target(region) -> EditTarget:
    """A running trajectory in the reserved region with a concept plan (a new version of its
    adopted plan, made through the plan service), a goal with actions, and the organisations
    taking part."""
    from levensloop.auth.models import User
    from levensloop.extensions import db
    from levensloop.inclusion import states
    from levensloop.inclusion.models import Trajectory
    from levensloop.organisations.models import Region
    from levensloop.persons.models import Person
    from levensloop.plans import services as plans
    from levensloop.plans.domains import CONCEPT

    regisseur = db.session.get(User, region.pr)
    region_row = db.session.get(Region, region.id)
    trajectory = db.session.scalar(
        sa.select(Trajectory)
        .where(Trajectory.region_id == region.id, Trajectory.status == states.IN_UITVOERING)
        .order_by(Trajectory.included_on)
        .limit(1)
    )
    person = db.session.get(Person, trajectory.person_id)
    plan = plans.working_plan(trajectory)
    if plan is None or plan.status != CONCEPT:
        plan = plans.start_version(regisseur, region_row, person, trajectory)
    goal = next(g for g in plan.goals if g.actions)
    action = goal.actions[0]
    domain = next(s.domain for s in plan.sections if s.domain == goal.domain)
    return EditTarget(
        person_id=str(person.id),
        plan_id=str(plan.id),
        domain=domain,
        action_id=str(action.id),
        goal_id=str(goal.id),
        owner_organisation_id=str(action.owner_organisation_id),
    )
