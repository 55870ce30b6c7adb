"""`flask backup create|restore`, and the restore drill: seed, back up, wipe, restore, then the
audit chain verifies, every person decrypts and a person shredded before the backup stays
unreadable. On PostgreSQL the drill uses a database of its own, created and dropped here."""

from __future__ import annotations

import base64
import contextvars
import hashlib
import json
import re
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from tests.conftest import ENV, _truthy, make_app

OTHER_KEYS = (
    "1:"
    + base64.b64encode(b"\x21" * 32).decode()
    + ",index:"
    + base64.b64encode(b"\x02" * 32).decode()
)


# ---------------------------------------------------------------- helpers


def _invoke(app, *args, **kwargs):
    """Run a command as its own process would: in a fresh context with this app only."""
    return contextvars.Context().run(app.test_cli_runner().invoke, args=list(args), **kwargs)


def _in_app(app, fn):
    """Call fn inside `app`'s context, in a fresh contextvars context."""

    def run():
        from levensloop.extensions import db

        with app.app_context():
            try:
                return fn()
            finally:
                db.session.remove()

    return contextvars.Context().run(run)


def _dispose(app) -> None:
    from levensloop.extensions import db

    _in_app(app, lambda: db.engine.dispose())


def _upgrade() -> None:
    from flask_migrate import upgrade

    upgrade(revision="heads")


@pytest.fixture
def pg_tools(backend):
    """pg_dump and pg_restore on PATH for the PostgreSQL variants (a failure when required)."""
    if backend != "postgresql":
        return
    missing = [tool for tool in ("pg_dump", "pg_restore") if shutil.which(tool) is None]
    if missing:
        reason = f"{', '.join(missing)} niet gevonden op het PATH"
        if _truthy(ENV["require_postgres"]):
            pytest.fail(reason + " terwijl LEVENSLOOP_REQUIRE_POSTGRES=1", pytrace=False)
        pytest.skip(reason)


@dataclass
class FreshDatabase:
    url: str
    wipe: object  # () -> None: delete the file, or drop and recreate the database
    is_empty: object  # () -> bool


@pytest.fixture
def fresh_database(backend, request, tmp_path, pg_tools):
    """A database of this test only, migrated to the heads."""
    if backend == "sqlite":
        path = tmp_path / "drill.db"

        def is_empty() -> bool:
            return not path.exists()

        yield FreshDatabase(f"sqlite:///{path}", lambda: path.unlink(), is_empty)
        return
    server = request.getfixturevalue("postgres_server_url")
    name = f"levensloop_backup_{secrets.token_hex(4)}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = make_url(server).set(database=name, drivername="postgresql+psycopg")

    def wipe() -> None:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))

    def is_empty() -> bool:
        engine = sa.create_engine(url)
        try:
            return not sa.inspect(engine).get_table_names()
        finally:
            engine.dispose()

    try:
        yield FreshDatabase(url.render_as_string(hide_password=False), wipe, is_empty)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def drill_app(fresh_database):
    apps = []

    def build(**overrides):
        app = make_app(fresh_database.url, **overrides)
        apps.append(app)
        return app

    app = build()
    _in_app(app, _upgrade)
    yield app, build
    for each in apps:
        _dispose(each)


@dataclass
class Snapshot:
    names: dict  # person id -> decrypted identity fields, for persons not shredded
    shredded: set
    audit_count: int
    audit_head: str
    tables: dict


def _snapshot() -> Snapshot:
    from levensloop.audit.chain import verify
    from levensloop.extensions import db
    from levensloop.keys.services import preload_data_keys
    from levensloop.persons.models import Person

    persons = list(db.session.scalars(sa.select(Person).order_by(Person.id)))
    preload_data_keys([p.id for p in persons if not p.is_shredded])
    names = {
        p.id: (p.voornamen, p.tussenvoegsel, p.achternaam, p.bsn, p.geboortedatum, p.adres)
        for p in persons
        if not p.is_shredded
    }
    result = verify(db.session)
    assert result.ok, result.reason
    tables = {
        name: db.session.scalar(sa.select(sa.func.count()).select_from(sa.table(name)))
        for name in sa.inspect(db.engine).get_table_names()
    }
    shredded = {p.id for p in persons if p.is_shredded}
    return Snapshot(names, shredded, result.count, result.head_hash, tables)


def _shred_a_person_with_plans():
    """Shred a person whose plans stay behind as ciphertext under the destroyed key."""
    from levensloop.extensions import db
    from levensloop.persons.models import Person
    from levensloop.persons.services import shred_person
    from levensloop.plans.models import Plan

    person_id = db.session.scalar(sa.select(Plan.person_id).order_by(Plan.person_id).limit(1))
    assert person_id is not None, "de demodata heeft geen plannen"
    assert shred_person(None, db.session.get(Person, person_id), reason="retentie")
    return person_id


def _encrypted_rows_of(person_id) -> tuple[int, int]:
    """Over every table that encrypts under the person's key: (ciphertexts left, readable)."""
    from levensloop.extensions import db

    present = set(sa.inspect(db.engine).get_table_names())
    blobs = readable = 0
    for mapper in db.Model.registry.mappers:
        cls = mapper.class_
        fields = [
            name
            for name in getattr(cls, "__encrypted_fields__", ())
            if getattr(cls.__dict__.get(name), "subject", None) == "person_id"
        ]
        if not fields or cls.__tablename__ not in present:
            continue
        for row in db.session.scalars(sa.select(cls).where(cls.person_id == person_id)):
            for name in fields:
                if getattr(row, f"{name}_enc") is not None:
                    blobs += 1
                    readable += getattr(row, name) is not None
    return blobs, readable


def _assert_shredded_unreadable(person_id) -> None:
    from levensloop.crypto.orm import ShreddedError
    from levensloop.extensions import db
    from levensloop.keys import services as keys
    from levensloop.keys.models import DataKey
    from levensloop.persons.models import PERSON_FIELDS, Person

    person = db.session.get(Person, person_id)
    assert person is not None and person.status == "vernietigd"
    assert all(getattr(person, f"{name}_enc") is None for name in PERSON_FIELDS)
    assert person.achternaam is None and person.bsn_bidx is None
    assert db.session.get(DataKey, person_id).wrapped_key is None
    with pytest.raises(ShreddedError):
        keys.source().data_key(person_id)
    blobs, readable = _encrypted_rows_of(person_id)
    assert blobs > 0, "geen versleutelde rijen meer van deze persoon: de proef bewijst niets"
    assert readable == 0


def _chain_event(seq: int):
    from levensloop.audit.models import AuditEvent
    from levensloop.extensions import db

    return db.session.scalar(sa.select(AuditEvent).where(AuditEvent.chain_seq == seq))


def _personal_words(before: Snapshot) -> set[str]:
    from levensloop import demo

    words = set(demo.DEMO_SURNAMES) | {d.display_name for d in demo.USERS}
    for values in before.names.values():
        words |= {str(v) for v in values if v is not None and not isinstance(v, bool)}
    return {w for w in words if len(w) > 2}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---------------------------------------------------------------- the drill


def test_restore_drill_keeps_audit_chain_names_and_shredding(
    backend, drill_app, fresh_database, tmp_path
):
    app, _build = drill_app
    seeded = _invoke(app, "seed-demo")
    assert seeded.exit_code == 0, seeded.output
    shredded_id = _in_app(app, _shred_a_person_with_plans)
    before = _in_app(app, _snapshot)
    assert len(before.names) >= 40 and before.shredded == {shredded_id}

    backup = tmp_path / "backups" / "levensloop.backup"
    backup.parent.mkdir()
    created = _invoke(app, "backup", "create", str(backup))
    assert created.exit_code == 0, created.output
    assert f"kop {before.audit_head}" in created.output

    manifest_text = (tmp_path / "backups" / "levensloop.backup.json").read_text()
    manifest = json.loads(manifest_text)
    assert manifest["database"] == backend and manifest["keys_included"] is False
    assert manifest["audit"] == {
        "ok": True,
        "count": before.audit_count,
        "head_hash": before.audit_head,
        "broken_seq": None,
        "reason": None,
    }
    assert manifest["tables"] == before.tables
    assert manifest["persons"] == {"total": len(before.names) + 1, "shredded": 1}
    assert manifest["sha256"] == _sha(backup)
    for word in _personal_words(before):  # no personal data in the manifest
        assert not re.search(rf"\b{re.escape(word)}\b", manifest_text, re.IGNORECASE), word
    secret = app.config["MASTER_KEYS"]
    key_material = [part.partition(":")[2] for part in secret.split(",")]
    content = backup.read_bytes()
    for key in key_material:  # no keys in the backup or the manifest
        assert key not in manifest_text and key.encode() not in content
        assert base64.b64decode(key) not in content
    if backend == "sqlite":  # an uncompressed copy: the names are there only as ciphertext
        from levensloop.demo import DEMO_SURNAMES, ORGANISATIONS

        organisations = " ".join(name for _region, name, _type in ORGANISATIONS)
        for surname in DEMO_SURNAMES:
            if surname not in organisations and surname != "Denkbeeld":  # also a demo provider
                assert surname.encode() not in content, surname

    _dispose(app)
    fresh_database.wipe()
    assert fresh_database.is_empty()

    restored = _invoke(app, "backup", "restore", str(backup), "--yes")
    assert restored.exit_code == 0, restored.output
    assert f"OK: {before.audit_count} records, kop {before.audit_head}" in restored.output
    assert "Herstel gecontroleerd" in restored.output

    after = _in_app(app, _snapshot)
    assert after.names == before.names  # every person decrypts to the same values
    assert after.shredded == {shredded_id}
    _in_app(app, lambda: _assert_shredded_unreadable(shredded_id))
    # The same rows, plus one audit record: the restore itself.
    expected_tables = dict(before.tables, audit_events=before.tables["audit_events"] + 1)
    assert after.tables == expected_tables
    assert after.audit_count == before.audit_count + 1
    assert _in_app(app, lambda: _chain_event(before.audit_count).hash) == before.audit_head
    last = _in_app(app, lambda: _chain_event(after.audit_count))
    assert (last.event_type, last.outcome) == ("backup_restored", "success")

    verified = _invoke(app, "audit", "verify")
    assert verified.exit_code == 0, verified.output
    assert f"OK: {after.audit_count} records, kop {after.audit_head}" in verified.output


# ---------------------------------------------------------------- refusals and bad files


def _region_codes() -> set[str]:
    from levensloop.extensions import db
    from levensloop.organisations.models import Region

    return set(db.session.scalars(sa.select(Region.code)))


def _add_region(code: str) -> None:
    from levensloop.extensions import db
    from levensloop.organisations.models import Region

    db.session.add(Region(code=code, name=f"Regio {code} (demo)"))
    db.session.commit()


def test_create_refuses_to_overwrite_without_force(app, world, pg_tools, tmp_path):
    backup = tmp_path / "levensloop.backup"
    first = _invoke(app, "backup", "create", str(backup))
    assert first.exit_code == 0, first.output
    checksum = _sha(backup)

    again = _invoke(app, "backup", "create", str(backup))
    assert again.exit_code != 0
    assert "bestaat al" in again.output and "--force" in again.output
    assert _sha(backup) == checksum

    backup.unlink()  # the manifest alone also blocks
    assert _invoke(app, "backup", "create", str(backup)).exit_code != 0
    assert not backup.exists()

    forced = _invoke(app, "backup", "create", str(backup), "--force")
    assert forced.exit_code == 0, forced.output
    manifest = json.loads((tmp_path / "levensloop.backup.json").read_text())
    assert manifest["sha256"] == _sha(backup)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_create_into_missing_directory_is_refused(app, tmp_path):
    result = _invoke(app, "backup", "create", str(tmp_path / "nergens" / "levensloop.backup"))
    assert result.exit_code != 0 and "bestaat niet" in result.output


@pytest.mark.parametrize("answer", ["n\n", None], ids=["nee", "geen-invoer"])
def test_restore_asks_for_confirmation(app, world, pg_tools, tmp_path, answer):
    backup = tmp_path / "levensloop.backup"
    assert _invoke(app, "backup", "create", str(backup)).exit_code == 0
    _add_region("na-de-back-up")

    refused = _invoke(app, "backup", "restore", str(backup), input=answer)
    assert refused.exit_code != 0
    assert "Dit overschrijft de database" in refused.output
    assert "er is niets gewijzigd" in refused.output
    assert "na-de-back-up" in _region_codes()


def _bad_backup(case: str, backend: str, app, tmp_path) -> Path:
    path = tmp_path / "levensloop.backup"
    if case == "ontbreekt":
        return path
    if case == "geen-back-up":
        path.write_bytes(b"dit is geen back-up\n")
    elif case == "beschadigd":
        header = b"SQLite format 3\x00" if backend == "sqlite" else b"PGDMP"
        path.write_bytes(header + secrets.token_bytes(8192))
    else:
        assert _invoke(app, "backup", "create", str(path)).exit_code == 0
        if case == "gewijzigd":
            content = bytearray(path.read_bytes())
            content[len(content) // 2] ^= 0xFF
            path.write_bytes(bytes(content))
        elif case == "manifest-onleesbaar":
            (tmp_path / "levensloop.backup.json").write_text("{niet af")
    return path


BAD_FILES = {
    "ontbreekt": "bestaat niet",
    "geen-back-up": "geen ",
    "beschadigd": "",
    "gewijzigd": "controlesom",
    "manifest-onleesbaar": "onleesbaar",
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_backup_file_gives_dutch_error_and_changes_nothing(
    app, world, pg_tools, backend, tmp_path, case
):
    path = _bad_backup(case, backend, app, tmp_path)
    _add_region("blijft-staan")
    before = _region_codes()

    result = _invoke(app, "backup", "restore", str(path), "--yes")
    assert result.exit_code != 0
    assert "Fout:" in result.output and BAD_FILES[case] in result.output
    assert "Traceback" not in result.output
    assert _region_codes() == before


def test_restore_with_other_master_keys_reports_unreadable_data_keys(drill_app, tmp_path):
    from levensloop.persons.services import PersonInput, create_person
    from tests import factories

    app, build = drill_app

    def seed():
        world = factories.World.build()
        for n in range(3):
            create_person(None, world.west, PersonInput(achternaam=f"Sleutelproef{n} (demo)"))

    _in_app(app, seed)
    backup = tmp_path / "levensloop.backup"
    assert _invoke(app, "backup", "create", str(backup)).exit_code == 0
    _dispose(app)

    other = build(MASTER_KEYS=OTHER_KEYS)
    wrong = _invoke(other, "backup", "restore", str(backup), "--yes")
    assert wrong.exit_code != 0
    assert "datasleutels zijn niet te openen met de geconfigureerde hoofdsleutels" in wrong.output
    _dispose(other)

    right = _invoke(app, "backup", "restore", str(backup), "--yes")
    assert right.exit_code == 0, right.output
    assert "Datasleutels gecontroleerd: 3" in right.output


def test_schema_status_names_what_to_do(app):
    from levensloop.backup.services import _script, schema_status

    heads = sorted(_script().get_heads())
    assert schema_status(heads) is None
    behind = schema_status(["f28387a44fda"])
    assert "loopt achter" in behind and "db upgrade" in behind
    assert "niet (helemaal) kent" in schema_status(["0123456789ab"])
    assert "geen schemaversie" in schema_status([])
