"""National-scale benchmark data: 31 regions, N persons with a realistic history.

Everything is plainly fictional (names made up from syllables, "(bench)" in every text, BSNs
that pass the elfproef in a range chosen for the benchmark only). Each person gets, as the
product would build them: a data key wrapped by the master key, encrypted identity fields and
blind indexes, a coördinator (caseloads of about 20), two case participants, a referral, a
trajectory with a plan (five domains plus veiligheid and juridisch, five goals, fifteen
actions), two legal titles, two placements and about 30 audit events on the hash chain.

Rows are built directly and written with bulk inserts (one transaction per region), but every
ciphertext comes from the same functions the ORM field uses (`levensloop.crypto.fields`,
`Keyring.wrap`) and every audit event is sealed with `levensloop.audit.chain.compute_hash`, so
`flask audit verify` holds afterwards. Regions, organisations and users go through the ORM.

    .venv/bin/python -m bench.generate --scale 4000 --db sqlite
    .venv/bin/python -m bench.generate --scale 40000 --db postgresql
"""

from __future__ import annotations

import argparse
import json
import math
import random
import time
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from levensloop.db import local_today

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "instance" / "bench"
POSTGRES_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"

REGIONS = 31
CASELOAD = 20
BATCH = 250  # persons per insert batch
AUDIT_PER_PERSON = 30
BENCH_PASSWORD = "Bench-Levensloop-2026!"
# One TOTP seed for every benchmark user (replay protection is per user). Benchmark only.
BENCH_TOTP_SECRET = "BENCHLEVENSLOOPAAAAAAAAAAAAAAAAA"
BSN_START = 100000000

SURNAME_HEADS = (
    "Verzon", "Denk", "Proef", "Oefen", "Fictief", "Tester", "Bedacht", "Voorbeel", "Schijn",
    "Demo", "Nep", "Droom", "Papier", "Spel", "Versier", "Fabel", "Kunst", "Bedenk", "Verhaal",
    "Plaats", "Onwerk", "Maaksel", "Verbeeld", "Gedicht", "Sprook", "Hersen", "Schets", "Ontwerp",
    "Model", "Proto", "Kladder", "Concept", "Bouwsel", "Maquet", "Dummy", "Placebo", "Pseudo",
    "Simul", "Imitat", "Replica",
)  # fmt: skip
SURNAME_TAILS = (
    "nen", "beeld", "mans", "aar", "sma", "huis", "veld", "ink", "hout", "stra", "man", "berg",
    "ertje", "kamp", "dijk", "horst", "broek", "hoven", "land", "weg", "ma", "stein", "bosch",
    "meer", "wijk", "rode", "inga", "ens", "ing", "sen", "dorp", "gaard", "heim", "laar",
    "molen", "vliet", "zand", "akker", "hof", "straat",
)  # fmt: skip
FIRST_NAMES = (
    "Anna", "Bram", "Cas", "Dewi", "Eline", "Fedde", "Gijs", "Hanna", "Ilse", "Jurre", "Kiki",
    "Lars", "Mila", "Noud", "Olga", "Pim", "Quinty", "Ruben", "Sanne", "Tijn", "Uma", "Vince",
    "Wessel", "Xander", "Yara", "Zeger", "Amir", "Bo", "Chantal", "Dirk", "Esra", "Fatima",
)  # fmt: skip
ORGANISATIONS = (
    ("Zorg- en Veiligheidshuis", "zvh"),
    ("Gemeente", "gemeente"),
    ("Politie-eenheid", "politie"),
    ("Reclassering", "reclassering"),
    ("GGZ-team", "ggz"),
    ("Forensische zorg", "forensische_zorg"),
    ("Verslavingszorg", "verslavingszorg"),
    ("Woonstichting", "woningcorporatie"),
)
DOMAINS = ("wonen", "werk", "inkomen", "zorg", "netwerk", "veiligheid", "juridisch")
GOAL_DOMAINS = ("wonen", "werk", "inkomen", "zorg", "veiligheid")
TITLE_CODES = (
    "tbs_voorwaarden", "voorwaardelijke_veroordeling", "wvggz_zorgmachtiging",
    "wzd_rechterlijke_machtiging", "gvm", "voorwaardelijke_invrijheidstelling",
    "wmo_beschermd_wonen", "wlz_indicatie",
)  # fmt: skip
AVE = ("groen", "geel", "rood", "donkerrood")
ACTION_STATES = ("open", "loopt", "gereed", "gestagneerd")
AUDIT_EVENTS = (
    ("read", "person", "identiteit,proces"),
    ("read", "person", "contact,identiteit,proces,sociaal,veiligheid,zorg"),
    ("read", "plan", "sociaal,veiligheid,zorg"),
    ("update", "plan", "sociaal"),
    ("update", "action", "sociaal"),
    ("read", "title", "justitie"),
    ("read", "timeline", "identiteit,proces"),
    ("update", "person", "contact"),
)


@dataclass
class Manifest:
    """What the runner needs to know about a generated database (no personal data besides the
    fictional BSNs it searches for)."""

    db: str
    url: str
    scale: int
    regions: int
    password: str = BENCH_PASSWORD
    totp_secret: str = BENCH_TOTP_SECRET
    analyst: str = ""
    # Per region code: procesregisseur, coördinators, a sample of person ids and BSNs.
    region_users: dict = field(default_factory=dict)
    sample_persons: dict = field(default_factory=dict)
    sample_bsns: dict = field(default_factory=dict)
    stages: dict = field(default_factory=dict)
    rows: dict = field(default_factory=dict)
    seconds: float = 0.0
    generated_at: str = ""

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(asdict(self), indent=1))

    @classmethod
    def load(cls, path: Path) -> Manifest:
        return cls(**json.loads(path.read_text()))


# ---------------------------------------------------------------- databases


def database_url(db: str, scale: int, url: str | None = None) -> str:
    if url:
        return url
    if db == "sqlite":
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{DATA_DIR / f'levensloop-bench-{scale}.db'}"
    return (
        make_url(POSTGRES_SERVER)
        .set(database=f"levensloop_bench_{scale}")
        .render_as_string(hide_password=False)
    )


def manifest_path(url: str) -> Path:
    parsed = make_url(url)
    name = Path(parsed.database or "memory").stem
    return DATA_DIR / f"{parsed.get_backend_name()}-{name}.json"


def recreate_database(url: str) -> None:
    """A fresh, empty database: the SQLite file removed, or the PostgreSQL database dropped and
    created again (never a database the benchmark did not name itself)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        return
    name = parsed.database
    if not name or not name.startswith("levensloop_bench"):
        raise SystemExit(f"Weigert database {name!r}: de naam moet met levensloop_bench beginnen.")
    admin = sa.create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def drop_database(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{parsed.database}{suffix}").unlink(missing_ok=True)
        return
    name = parsed.database
    if not name or not name.startswith("levensloop_bench"):
        return
    admin = sa.create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def build_app(url: str):
    """The real application on the benchmark database. The testing configuration supplies fixed,
    publicly known keys (fine for fictional data) and turns rate limits off; everything else
    (sessions, CSRF, policy, audit, encryption) is as in production."""
    from levensloop import create_app

    return create_app(
        {
            "CONFIG_NAME": "testing",
            "SQLALCHEMY_DATABASE_URI": url,
            "TESTING": False,
            "RATELIMIT_ENABLED": False,
            "MAIL_ENABLED": False,
        }
    )


# ---------------------------------------------------------------- helpers


def fictional_bsns(count: int, start: int = BSN_START) -> list[str]:
    from levensloop.persons.validation import is_valid_bsn

    found, number = [], start
    while len(found) < count:
        number += 1
        text = str(number)
        if is_valid_bsn(text):
            found.append(text)
    return found


def surname(n: int) -> str:
    heads, tails = len(SURNAME_HEADS), len(SURNAME_TAILS)
    return SURNAME_HEADS[n % heads] + SURNAME_TAILS[(n // heads) % tails]


def _at(day: date, rnd: random.Random) -> datetime:
    return datetime(day.year, day.month, day.day, 8, 0, tzinfo=UTC) + timedelta(
        seconds=rnd.randrange(0, 10 * 3600)
    )


class Stages:
    def __init__(self, log) -> None:
        self.log = log
        self.seconds: dict[str, float] = {}
        self.rows: dict[str, int] = {}

    def add(self, stage: str, seconds: float, rows: int = 0) -> None:
        self.seconds[stage] = round(self.seconds.get(stage, 0.0) + seconds, 2)
        if rows:
            self.rows[stage] = self.rows.get(stage, 0) + rows

    def report(self, stage: str) -> None:
        seconds = self.seconds.get(stage, 0.0)
        rows = self.rows.get(stage, 0)
        rate = f", {rows / seconds:,.0f} rijen/s" if rows and seconds else ""
        self.log(f"  {stage:<28}{seconds:>8.1f} s{f'  {rows:,} rijen' if rows else ''}{rate}")


# ---------------------------------------------------------------- generation


def migrate(app) -> None:
    from flask_migrate import upgrade

    with app.app_context():
        upgrade(revision="heads")
        from levensloop.extensions import db

        db.engine.dispose()


def create_people(app, scale: int, regions: int, rnd: random.Random) -> tuple[list, dict, str]:
    """Regions, organisations and users through the ORM; returns the region plan."""
    from levensloop.auth import passwords
    from levensloop.auth.models import Role, RoleAssignment, User
    from levensloop.auth.services import _seal_totp
    from levensloop.db import utcnow
    from levensloop.extensions import db
    from levensloop.organisations.models import Organisation, OrganisationType, Region

    per_region = [scale // regions + (1 if r < scale % regions else 0) for r in range(regions)]
    password_hash = passwords.hash_password(BENCH_PASSWORD)
    now = utcnow()
    plan, users_by_region = [], {}
    new_users: list[User] = []

    def user(username, name, org, roles):
        u = User(
            id=uuid.uuid4(),
            username=username,
            display_name=name,
            organisation_id=org.id,
            password_hash=password_hash,
            password_changed_at=now,
            totp_enrolled_at=now,
        )
        u.roles = [RoleAssignment(region_id=region_id, role=role) for region_id, role in roles]
        db.session.add(u)
        new_users.append(u)
        return u

    analyst = None
    for r in range(regions):
        code = f"bench-{r + 1:02d}"
        region = Region(
            id=uuid.uuid4(),
            code=code,
            name=f"ZVH Benchregio {r + 1:02d} (fictief)",
            contactpunt_email=f"contactpunt@{code}.bench.example",
        )
        db.session.add(region)
        orgs = {}
        for name, type_ in ORGANISATIONS:
            orgs[type_] = Organisation(
                id=uuid.uuid4(),
                region_id=region.id,
                name=f"{name} Benchregio {r + 1:02d} (fictief)",
                type=OrganisationType(type_),
            )
            db.session.add(orgs[type_])
        if r == 0:
            orgs["landelijk"] = Organisation(
                id=uuid.uuid4(),
                region_id=region.id,
                name="Landelijk coördinatiepunt (bench)",
                type=OrganisationType.LANDELIJK,
            )
            db.session.add(orgs["landelijk"])
        db.session.flush()
        rid = region.id
        pr = user(f"pr@{code}.bench.example", "Procesregisseur (bench)", orgs["zvh"],
                  [(rid, Role.PROCESREGISSEUR)])  # fmt: skip
        coordinators = [
            user(
                f"lc{k + 1:03d}@{code}.bench.example",
                f"Coördinator {k + 1} (bench)",
                orgs["ggz"],
                [(rid, Role.LEVENSLOOPCOORDINATOR)],
            )
            for k in range(max(1, math.ceil(per_region[r] / CASELOAD)))
        ]
        cr = user(f"cr@{code}.bench.example", "Casusregisseur (bench)", orgs["gemeente"],
                  [(rid, Role.CASUSREGISSEUR)])  # fmt: skip
        kp = user(f"kp@{code}.bench.example", "Ketenpartner (bench)", orgs["reclassering"],
                  [(rid, Role.KETENPARTNER)])  # fmt: skip
        user(f"po@{code}.bench.example", "Privacy officer (bench)", orgs["zvh"],
             [(rid, Role.PRIVACY_OFFICER)])  # fmt: skip
        user(f"fb@{code}.bench.example", "Beheerder (bench)", orgs["zvh"],
             [(rid, Role.FUNCTIONEEL_BEHEERDER)])  # fmt: skip
        if r == 0:
            analyst = user("analist@bench.example", "Landelijk analist (bench)",
                           orgs["landelijk"], [(rid, Role.LANDELIJK_ANALIST)])  # fmt: skip
        plan.append(
            SimpleNamespace(
                code=code,
                id=rid,
                persons=per_region[r],
                orgs={k: o.id for k, o in orgs.items()},
                pr=pr.id,
                cr=cr.id,
                kp=kp.id,
                coordinators=[c.id for c in coordinators],
            )
        )
        users_by_region[code] = {
            "procesregisseur": pr.username,
            "coordinators": [c.username for c in coordinators],
        }
    db.session.flush()
    for u in new_users:
        u.totp_secret = _seal_totp(u, "totp_secret", BENCH_TOTP_SECRET)
    db.session.commit()
    return plan, users_by_region, analyst.username


def _person_rows(ctx, region, n_global: int, n_local: int, bsn: str, rnd, rows) -> None:
    """All rows of one person, appended to `rows` (table name -> list of dicts)."""
    from levensloop.crypto import blind_index, fields
    from levensloop.crypto.keyring import new_data_key

    ring, today, idx = ctx.ring, ctx.today, ctx.index_keys
    pid = uuid.uuid4()
    dek = new_data_key()

    def enc(table, column, row_id, text):
        return fields.encrypt(dek, 1, table, column, row_id, text)

    version, wrapped = ring.wrap(dek, str(pid))
    included_on = today - timedelta(days=rnd.randrange(30, 3 * 365))
    referred_on = included_on - timedelta(days=rnd.randrange(14, 90))
    created = _at(referred_on, rnd)
    rows["data_keys"].append(
        dict(id=pid, kind="person", generation=1, master_version=version, wrapped_key=wrapped,
             created_at=created)
    )  # fmt: skip
    last = surname(rnd.randrange(len(SURNAME_HEADS) * len(SURNAME_TAILS)))
    first = FIRST_NAMES[n_global % len(FIRST_NAMES)]
    born = date(1955 + rnd.randrange(45), 1 + rnd.randrange(12), 1 + rnd.randrange(28))
    tussen = "van" if n_global % 9 == 4 else None
    values = {
        "voornamen": f"{first} Bench",
        "roepnaam": first if n_global % 5 == 0 else None,
        "tussenvoegsel": tussen,
        "achternaam": last,
        "bsn": bsn,
        "geboortedatum": born.isoformat(),
        "geslacht": ("vrouw", "man", "onbekend")[n_global % 3],
        "adres": f"Benchstraat {n_local + 1}, 1234 AB Verzinstad (fictief)",
        "briefadres": "1" if n_global % 11 == 0 else "0",
        "telefoon": f"06-0{n_global:07d}"[:11],
        "email": None,
        "notities": "Fictieve benchmarkpersoon; alle gegevens zijn verzonnen (bench).",
    }
    person = dict(
        id=pid, region_id=region.id, created_by_id=region.pr, status="actief", version=1,
        created_at=created, updated_at=created, shredded_at=None,
    )  # fmt: skip
    for name, text in values.items():
        person[f"{name}_enc"] = enc("persons", name, pid, text) if text is not None else None
    norm = blind_index.normalise_name(last)
    person["bsn_bidx"] = blind_index.compute(idx["bsn"], bsn, blind_index.BITS["bsn"])
    person["achternaam_bidx"] = blind_index.compute(
        idx["achternaam"], norm, blind_index.BITS["achternaam"]
    )
    person["achternaam_geboortedatum_bidx"] = blind_index.compute(
        idx["achternaam_geboortedatum"],
        f"{norm}|{born.isoformat()}",
        blind_index.BITS["achternaam_geboortedatum"],
    )
    rows["persons"].append(person)

    coordinator = region.coordinators[min(n_local // CASELOAD, len(region.coordinators) - 1)]
    rows["case_assignments"].append(
        dict(id=uuid.uuid4(), person_id=pid, user_id=coordinator, role="coordinator",
             start_date=included_on, end_date=None, created_at=_at(included_on, rnd))
    )  # fmt: skip
    if n_local % 10 == 0:
        rows["case_assignments"].append(
            dict(id=uuid.uuid4(), person_id=pid, user_id=region.cr, role="casusregisseur",
                 start_date=included_on, end_date=None, created_at=_at(included_on, rnd))
        )  # fmt: skip
    for org in ("ggz", "reclassering"):
        part_id = uuid.uuid4()
        rows["case_participants"].append(
            dict(id=part_id, person_id=pid, organisation_id=region.orgs[org], legal_basis="wgs",
                 legal_basis_article=None, start_date=included_on, end_date=None,
                 added_by_id=region.pr, ended_by_id=None, version=1,
                 created_at=_at(included_on, rnd), updated_at=_at(included_on, rnd),
                 purpose_enc=enc("case_participants", "purpose", part_id,
                                 "Afstemming over begeleiding en toezicht (bench)"))
        )  # fmt: skip
    ref_id = uuid.uuid4()
    rows["referrals"].append(
        dict(id=ref_id, region_id=region.id, person_id=pid, referrer_user_id=region.kp,
             referrer_organisation_id=region.orgs["reclassering"], status="naar_inclusietafel",
             status_changed_at=_at(referred_on + timedelta(days=7), rnd),
             status_changed_by_id=region.pr, version=1, created_at=created, updated_at=created,
             reason_enc=enc("referrals", "reason", ref_id,
                            "Zorgen op meerdere leefgebieden en veiligheid (bench)"),
             criteria_enc=enc("referrals", "criteria", ref_id,
                              "meerdere_leefgebieden,veiligheid"))
    )  # fmt: skip
    roll = rnd.random()
    status = "in_uitvoering" if roll < 0.8 else "plan_in_opstelling" if roll < 0.9 else None
    exited_on = None
    if status is None:
        status = "uitgestroomd"
        exited_on = min(today - timedelta(days=1), included_on + timedelta(days=300))
    traj_id = uuid.uuid4()
    rows["trajectories"].append(
        dict(id=traj_id, region_id=region.id, person_id=pid, decision_id=None, status=status,
             status_changed_at=_at(included_on, rnd), status_changed_by_id=region.pr,
             included_on=included_on, exited_on=exited_on,
             exit_reason="stabiel" if exited_on else None, ave_phase=rnd.choice(AVE),
             provider_organisation_id=region.orgs["ggz"], coordinator_id=coordinator,
             casusregisseur_id=region.cr if n_local % 10 == 0 else None,
             procesregisseur_id=region.pr, version=1, created_at=_at(included_on, rnd),
             updated_at=_at(included_on, rnd))
    )  # fmt: skip
    plan_id = uuid.uuid4()
    adopted = status != "plan_in_opstelling"
    plan_day = included_on + timedelta(days=21)
    rows["plans"].append(
        dict(id=plan_id, trajectory_id=traj_id, person_id=pid, region_id=region.id, version_no=1,
             status="vastgesteld" if adopted else "concept",
             status_changed_at=_at(plan_day, rnd) if adopted else None,
             status_changed_by_id=region.pr if adopted else None,
             adopted_on=plan_day if adopted else None, created_at=_at(included_on, rnd),
             updated_at=_at(plan_day, rnd))
    )  # fmt: skip
    for domain in DOMAINS:
        sid = uuid.uuid4()
        score = 1 + rnd.randrange(5)
        rows["plan_sections"].append(
            dict(id=sid, plan_id=plan_id, person_id=pid, domain=domain, score=score, version=1,
                 updated_at=_at(plan_day, rnd),
                 situation_enc=enc("plan_sections", "situation", sid,
                                   f"Huidige situatie op {domain}, fictief (bench)."))
        )  # fmt: skip
        rows["score_changes"].append(
            dict(id=uuid.uuid4(), trajectory_id=traj_id, domain=domain, score=score,
                 changed_at=_at(plan_day, rnd), changed_by_id=coordinator)
        )  # fmt: skip
    for g, domain in enumerate(GOAL_DOMAINS):
        gid = uuid.uuid4()
        rows["goals"].append(
            dict(id=gid, plan_id=plan_id, person_id=pid, domain=domain,
                 target_date=today + timedelta(days=30 + 30 * g),
                 created_at=_at(plan_day, rnd) + timedelta(seconds=g),
                 text_enc=enc("goals", "text", gid, f"Doel voor {domain} (bench)."))
        )  # fmt: skip
        for a in range(3):
            aid = uuid.uuid4()
            rows["actions"].append(
                dict(id=aid, goal_id=gid, person_id=pid,
                     owner_organisation_id=region.orgs[("ggz", "gemeente", "reclassering")[a]],
                     due_date=today + timedelta(days=rnd.randrange(-60, 120)),
                     status=rnd.choice(ACTION_STATES), version=1,
                     text_enc=enc("actions", "text", aid, f"Actie {a + 1} voor {domain} (bench)"),
                     owner_person_enc=enc("actions", "owner_person", aid, "Begeleider (bench)"))
            )  # fmt: skip
    old_start = included_on - timedelta(days=rnd.randrange(400, 1200))
    for t, (start, state) in enumerate(((old_start, "beeindigd"), (included_on, "actief"))):
        tid = uuid.uuid4()
        running = state == "actief"
        expected = (
            start + timedelta(days=365)
            if not running
            else today + timedelta(days=rnd.randrange(10, 500))
        )
        rows["legal_titles"].append(
            dict(id=tid, person_id=pid, region_id=region.id,
                 type_code=TITLE_CODES[(n_global + t) % len(TITLE_CODES)], status=state,
                 status_changed_at=_at(start, rnd), status_changed_by_id=region.pr,
                 start_date=start, expected_end=expected, maximum_end=None,
                 conditionally_ended_on=None,
                 ended_on=None if running else start + timedelta(days=365),
                 executor_organisation_id=region.orgs["reclassering"], financier="dji",
                 supervisor="reclassering", created_by_id=region.pr, version=1,
                 created_at=_at(start, rnd), updated_at=_at(start, rnd),
                 conditions_enc=enc("legal_titles", "conditions", tid,
                                    "Meldplicht en behandelverplichting (bench)"),
                 legal_basis_note_enc=enc("legal_titles", "legal_basis_note", tid,
                                          "Vonnis van de rechtbank (bench)"))
        )  # fmt: skip
    for p, (start, end) in enumerate(
        ((old_start, included_on - timedelta(days=10)), (included_on, None))
    ):
        plid = uuid.uuid4()
        rows["placements"].append(
            dict(id=plid, person_id=pid, region_id=region.id,
                 provider_organisation_id=region.orgs[("forensische_zorg", "ggz")[p]],
                 setting=("klinisch", "beschermd_wonen")[p], security_level=(3, 1)[p],
                 start_date=start, end_date=end, created_at=_at(start, rnd),
                 created_by_id=region.pr, version=1,
                 provider_name_enc=enc("placements", "provider_name", plid,
                                       "Kliniek Verzinsel (bench)"),
                 end_reason_enc=enc("placements", "end_reason", plid, "Overplaatsing (bench)")
                 if end else None)
        )  # fmt: skip
    span = max(1, (today - referred_on).days)
    for e in range(AUDIT_PER_PERSON):
        event_type, object_type, categories = AUDIT_EVENTS[e % len(AUDIT_EVENTS)]
        actor = coordinator if e % 3 else region.pr
        moment = _at(referred_on + timedelta(days=span * e // AUDIT_PER_PERSON), rnd)
        rows["audit_events"].append(
            dict(id=uuid.uuid4(), occurred_at=moment, event_type=event_type, outcome="success",
                 actor_user_id=actor,
                 actor_organisation_id=region.orgs["ggz" if actor == coordinator else "zvh"],
                 actor_roles="levensloopcoordinator" if actor == coordinator
                 else "procesregisseur",
                 on_behalf_of_user_id=None, region_id=region.id, person_id=pid,
                 categories=categories, purpose=None, legal_basis=None, object_type=object_type,
                 object_id=str(pid), access_point="127.0.0.1",
                 details={"tab": object_type, "bench": True})
        )  # fmt: skip
    return pid


TABLE_ORDER = (
    "data_keys", "persons", "case_assignments", "case_participants", "referrals",
    "trajectories", "plans", "plan_sections", "score_changes", "goals", "actions",
    "legal_titles", "placements", "audit_events",
)  # fmt: skip


def _chain(events: list[dict], head: list) -> None:
    """Seal events on the global chain exactly as `levensloop.audit.chain._seal` does."""
    from levensloop.audit.chain import compute_hash

    seq, prev = head
    for event in events:
        seq += 1
        event["chain_seq"] = seq
        event["prev_hash"] = prev
        event["hash"] = prev = compute_hash(prev, SimpleNamespace(**event))
    head[0], head[1] = seq, prev


def generate(
    db: str, scale: int, *, url: str | None = None, regions: int = REGIONS, log=print, seed: int = 8
) -> Manifest:
    """Build a fresh benchmark database; returns (and saves) its manifest."""
    url = database_url(db, scale, url)
    regions = max(1, min(regions, scale))
    rnd = random.Random(seed)
    stages = Stages(log)
    started = time.perf_counter()
    log(f"Genereren: {scale:,} personen in {regions} regio's op {db} ({_safe(url)})")

    t = time.perf_counter()
    recreate_database(url)
    app = build_app(url)
    migrate(app)
    stages.add("schema (migraties)", time.perf_counter() - t)
    stages.report("schema (migraties)")

    manifest = Manifest(db=db, url=url, scale=scale, regions=regions)
    with app.app_context():
        from levensloop.audit.models import AuditChainHead
        from levensloop.extensions import db as database

        t = time.perf_counter()
        plan, users, manifest.analyst = create_people(app, scale, regions, rnd)
        manifest.region_users = users
        stages.add("regio's, organisaties, users", time.perf_counter() - t)
        stages.report("regio's, organisaties, users")

        ring = app.extensions["levensloop_keyring"]
        ctx = SimpleNamespace(
            ring=ring,
            today=local_today(),
            index_keys={
                c: ring.index_key_for("persons", c)
                for c in ("bsn", "achternaam", "achternaam_geboortedatum")
            },
        )
        t = time.perf_counter()
        bsns = fictional_bsns(scale)
        stages.add("BSN's (elfproef)", time.perf_counter() - t)
        tables = {name: database.metadata.tables[name] for name in TABLE_ORDER}
        head_row = database.session.get(AuditChainHead, 1)
        head = [head_row.seq, head_row.hash] if head_row else [0, "0" * 64]
        database.session.commit()
        engine = database.engine
        n_global = 0
        for region in plan:
            region_bsns = bsns[n_global : n_global + region.persons]
            sample_ids, sample_bsns = [], []
            with engine.begin() as conn:
                if engine.dialect.name == "sqlite":
                    conn.exec_driver_sql("PRAGMA synchronous=OFF")
                for start in range(0, region.persons, BATCH):
                    rows = {name: [] for name in TABLE_ORDER}
                    t = time.perf_counter()
                    for n_local in range(start, min(start + BATCH, region.persons)):
                        pid = _person_rows(
                            ctx, region, n_global, n_local, region_bsns[n_local], rnd, rows
                        )
                        if n_local % max(1, region.persons // 40) == 0:
                            sample_ids.append(str(pid))
                            sample_bsns.append(region_bsns[n_local])
                        n_global += 1
                    stages.add("rijen bouwen + versleutelen", time.perf_counter() - t)
                    t = time.perf_counter()
                    _chain(rows["audit_events"], head)
                    stages.add("audit-hashketen", time.perf_counter() - t)
                    t = time.perf_counter()
                    count = 0
                    for name in TABLE_ORDER:
                        if rows[name]:
                            conn.execute(tables[name].insert(), rows[name])
                            count += len(rows[name])
                    stages.add("bulk insert", time.perf_counter() - t, count)
                conn.execute(
                    sa.update(AuditChainHead.__table__)
                    .where(AuditChainHead.__table__.c.id == 1)
                    .values(seq=head[0], hash=head[1])
                )
            manifest.sample_persons[region.code] = sample_ids
            manifest.sample_bsns[region.code] = sample_bsns
            log(f"  {region.code}: {region.persons:,} personen ({n_global:,} totaal)")
        for stage in ("BSN's (elfproef)", "rijen bouwen + versleutelen", "audit-hashketen",
                      "bulk insert"):  # fmt: skip
            stages.report(stage)

        t = time.perf_counter()
        frozen = freeze_reports()
        stages.add("maandcijfers vastleggen", time.perf_counter() - t)
        stages.report("maandcijfers vastleggen")
        log(f"    ({frozen} regio-maanden vastgelegd)")

        t = time.perf_counter()
        if engine.dialect.name == "postgresql":
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM ANALYZE")
        else:
            with engine.begin() as conn:
                conn.exec_driver_sql("ANALYZE")
        stages.add("ANALYZE", time.perf_counter() - t)
        stages.report("ANALYZE")
        database.session.remove()
        engine.dispose()

    manifest.seconds = round(time.perf_counter() - started, 1)
    manifest.stages = stages.seconds
    manifest.rows = stages.rows
    manifest.generated_at = datetime.now(UTC).isoformat(timespec="seconds")
    manifest.save(manifest_path(url))
    total_rows = sum(stages.rows.values())
    log(f"Klaar in {manifest.seconds:.1f} s ({total_rows:,} rijen in bulk).")
    return manifest


def freeze_reports(months: int = 12) -> int:
    """Freeze the monthly figures of the last `months` complete months for every region,
    through the report service (as the monthly job does), so the national report has data."""
    from levensloop.reports import services as reports
    from levensloop.reports.measures import Month, last_months

    count = 0
    for month in last_months(Month.of(local_today()).previous(), months):
        count += len(reports.freeze_missing(month, source="taak"))
    return count


def _safe(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Genereer benchmarkdata op landelijke schaal.")
    parser.add_argument("--scale", type=int, default=4000, help="aantal personen")
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--url", help="database-URL (standaard: eigen bestand of database)")
    parser.add_argument("--regions", type=int, default=REGIONS)
    args = parser.parse_args(argv)
    generate(args.db, args.scale, url=args.url, regions=args.regions)


if __name__ == "__main__":
    main()
