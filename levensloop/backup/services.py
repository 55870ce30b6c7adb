"""Backup and restore of the configured database.

SQLite goes through the online backup API (a consistent copy while the application runs);
PostgreSQL through `pg_dump --format=custom` and `pg_restore`. Each backup gets a manifest next
to it (PATH.json) that describes it without personal data or keys: when it was made, the kind
of database, the schema revision, the head of the audit chain and the row count per table.

A restore checks the file before it touches the database (kind, checksum against the manifest,
readable archive), and checks the result afterwards: schema revision against the code, the audit
chain, the row counts against the manifest, and that every data key opens with the configured
master keys. The master keys are never in a backup; they are backed up separately.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.script.revision import RevisionError
from alembic.util import CommandError
from flask import current_app
from sqlalchemy.engine import URL, Connection
from sqlalchemy.orm import Session

from levensloop.audit.chain import verify
from levensloop.audit.services import record
from levensloop.crypto import aead
from levensloop.db import utcnow
from levensloop.extensions import db
from levensloop.keys.models import DataKey

FORMAT = "levensloop-backup/1"
SQLITE_HEADER = b"SQLite format 3\x00"
PGDUMP_HEADER = b"PGDMP"
TOOL_TIMEOUT_SECONDS = 6 * 3600
KEY_CHECK_BATCH = 2000


class BackupError(Exception):
    """The backup or restore cannot go ahead; the (Dutch) message says why. Nothing changed."""


@dataclass
class BackupResult:
    path: Path
    manifest_path: Path
    manifest: dict


@dataclass
class RestoreResult:
    kind: str
    manifest: dict | None
    state: dict
    keys_checked: int = 0
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def manifest_path(path: Path) -> Path:
    return path.with_name(path.name + ".json")


# ---------------------------------------------------------------- create


def create_backup(path: Path, *, force: bool = False) -> BackupResult:
    """Write a consistent backup of the configured database to `path` and its manifest to
    `path`.json. Refuses to overwrite either file unless `force`. Records `backup_created` in
    the audit log (after the copy, so the copy ends at the head the manifest names)."""
    path = Path(path)
    url = db.engine.url
    kind = _kind(url)
    manifest_file = manifest_path(path)
    if path.is_dir():
        raise BackupError(f"{path} is een map; geef de naam van een back-upbestand.")
    if not path.parent.is_dir():
        raise BackupError(f"De map {path.parent} bestaat niet.")
    if not force:
        for existing in (path, manifest_file):
            if existing.exists():
                raise BackupError(
                    f"{existing} bestaat al. Kies een ander pad, of overschrijf met --force."
                )
    db.session.rollback()  # no transaction of this process stays open during the copy
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)  # mkstemp creates the file with mode 0600; the copy keeps it
    tmp = Path(tmp_name)
    try:
        if kind == "sqlite":
            state = _create_sqlite(url, tmp)
        else:
            state = _create_postgresql(url, tmp)
        manifest = {
            "format": FORMAT,
            "created_at": utcnow().strftime("%Y-%m-%dT%H:%M:%SZ"),
            "database": kind,
            "file": path.name,
            "size": tmp.stat().st_size,
            "sha256": _sha256(tmp),
            "keys_included": False,
            **state,
        }
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _write_json(manifest_file, manifest)
    audit = manifest["audit"] or {}
    record(
        "backup_created",
        object_type="backup",
        details={
            "database": kind,
            "sha256": manifest["sha256"],
            "audit_count": audit.get("count"),
            "audit_head": audit.get("head_hash"),
        },
    )
    db.session.commit()
    return BackupResult(path, manifest_file, manifest)


def _create_sqlite(url: URL, tmp: Path) -> dict:
    source_path = _sqlite_file(url)
    if not source_path.is_file():
        raise BackupError(f"Het databasebestand {source_path} bestaat niet.")
    try:
        source = sqlite3.connect(_readonly_uri(source_path), uri=True)
        try:
            target = sqlite3.connect(tmp)
            try:
                source.backup(target)  # all pages in one step: one consistent snapshot
            finally:
                target.close()
        finally:
            source.close()
    except sqlite3.Error as exc:
        raise BackupError(f"De SQLite-back-up is mislukt ({_sqlite_reason(exc)}).") from exc
    # The manifest describes the copy itself, not the live database that moves on.
    engine = sa.create_engine(URL.create("sqlite", database=str(tmp)))
    try:
        with engine.connect() as conn:
            return _describe(conn)
    finally:
        engine.dispose()


def _create_postgresql(url: URL, tmp: Path) -> dict:
    pg_dump = _tool("pg_dump")
    conninfo, env = _libpq(url)
    # pg_dump reads the snapshot this transaction exported, so the manifest (counts, audit
    # head, revision) describes exactly what the dump contains, even while the app runs.
    with db.engine.connect() as conn:
        conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            conn.execute(sa.text("SET TRANSACTION READ ONLY"))
            snapshot = conn.scalar(sa.text("SELECT pg_export_snapshot()"))
            state = _describe(conn)
            _run(
                [
                    pg_dump,
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    f"--file={tmp}",
                    f"--dbname={conninfo}",
                ],
                env,
                "pg_dump",
            )
    return state


# ---------------------------------------------------------------- restore


def check_backup(path: Path) -> tuple[str, dict | None]:
    """Check a backup file before anything is overwritten: it exists, belongs to the configured
    kind of database, matches its manifest (when there is one) and is a readable archive.
    Returns the database kind and the manifest (None without one)."""
    path = Path(path)
    kind = _kind(db.engine.url)
    if not path.exists():
        raise BackupError(f"Het back-upbestand {path} bestaat niet.")
    if not path.is_file():
        raise BackupError(f"{path} is geen bestand.")
    manifest = _read_manifest(path)
    if manifest is not None:
        if manifest.get("database") != kind:
            raise BackupError(
                f"Deze back-up is van een {manifest.get('database')}-database; de "
                f"geconfigureerde database is {kind}."
            )
        if manifest.get("sha256") != _sha256(path):
            raise BackupError(
                "Het back-upbestand komt niet overeen met het manifest (de controlesom wijkt "
                "af): het is beschadigd of vervangen. Er is niets hersteld."
            )
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if kind == "sqlite":
        if header != SQLITE_HEADER:
            raise BackupError(f"{path} is geen SQLite-back-up. Er is niets hersteld.")
        _check_sqlite_file(path)
    else:
        if not header.startswith(PGDUMP_HEADER):
            raise BackupError(
                f"{path} is geen pg_dump-archief (--format=custom). Er is niets hersteld."
            )
        listing = _run(
            [_tool("pg_restore"), "--list", str(path)],
            None,
            "pg_restore --list",
            note="Het bestand is beschadigd of geen back-up; er is niets hersteld.",
        )
        if " alembic_version " not in listing.stdout:
            raise BackupError(
                f"{path} bevat geen Levensloop-database (geen alembic_version). Er is niets "
                "hersteld."
            )
    return kind, manifest


def restore_backup(path: Path) -> RestoreResult:
    """Overwrite the configured database with the backup at `path`, then check the result.

    The web server and the scheduler must be stopped. On PostgreSQL the restore runs in one
    transaction (all or nothing). Problems found afterwards are in `problems`; the restore
    itself is recorded in the audit log when the schema matches the code."""
    path = Path(path)
    kind, manifest = check_backup(path)
    url = db.engine.url
    db.session.remove()
    db.engine.dispose()  # no pooled connection may keep the old database open
    if kind == "sqlite":
        _restore_sqlite(path, url)
    else:
        _restore_postgresql(path, url)
    with db.engine.connect() as conn:
        state = _describe(conn)
    result = RestoreResult(kind, manifest, state)
    if manifest is None:
        result.warnings.append(
            f"Geen manifest gevonden ({manifest_path(path).name}); de vergelijking met het "
            "manifest is overgeslagen."
        )
    schema_problem = schema_status(state["alembic_revisions"])
    if schema_problem:
        result.problems.append(schema_problem)
    audit = state["audit"]
    if audit is None:
        result.problems.append("De herstelde database heeft geen auditlogboek.")
    elif not audit["ok"]:
        result.problems.append(
            f"De auditketen is gebroken bij record {audit['broken_seq']}: {audit['reason']}."
        )
    if manifest is not None:
        _compare_with_manifest(manifest, state, result)
    if schema_problem is None:
        result.keys_checked, unreadable = _check_data_keys()
        if unreadable:
            result.problems.append(
                f"{unreadable} van de {result.keys_checked} datasleutels zijn niet te openen met "
                "de geconfigureerde hoofdsleutels. Zet de sleutelback-up terug die bij deze "
                "databaseback-up hoort (LEVENSLOOP_MASTER_KEY_FILE of LEVENSLOOP_MASTER_KEYS)."
            )
        record(
            "backup_restored",
            outcome="success" if result.ok else "failure",
            object_type="backup",
            details={
                "database": kind,
                "sha256": manifest.get("sha256") if manifest else None,
                "audit_count": audit["count"] if audit else None,
                "audit_head": audit["head_hash"] if audit else None,
                "problems": len(result.problems),
            },
        )
        db.session.commit()
    return result


def _restore_sqlite(path: Path, url: URL) -> None:
    target = _sqlite_file(url)
    if not target.parent.is_dir():
        raise BackupError(f"De map {target.parent} van de database bestaat niet.")
    try:
        source = sqlite3.connect(_readonly_uri(path), uri=True)
        try:
            destination = sqlite3.connect(target, timeout=5)
            try:
                source.backup(destination)  # replaces every page of the target
            finally:
                destination.close()
        finally:
            source.close()
    except sqlite3.OperationalError as exc:
        raise BackupError(
            f"Het herstel is mislukt ({_sqlite_reason(exc)}). Is de database nog in gebruik? "
            "Stop de webserver en de scheduler en probeer het opnieuw."
        ) from exc
    except sqlite3.Error as exc:
        raise BackupError(f"Het herstel is mislukt ({_sqlite_reason(exc)}).") from exc


def _restore_postgresql(path: Path, url: URL) -> None:
    conninfo, env = _libpq(url)
    _run(
        [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={conninfo}",
            str(path),
        ],
        env,
        "pg_restore",
        note="De database is ongewijzigd (het herstel loopt in één transactie).",
    )


def _compare_with_manifest(manifest: dict, state: dict, result: RestoreResult) -> None:
    expected, actual = manifest.get("audit") or {}, state["audit"] or {}
    if (expected.get("count"), expected.get("head_hash")) != (
        actual.get("count"),
        actual.get("head_hash"),
    ):
        result.problems.append(
            f"De auditketen wijkt af van het manifest: verwacht {expected.get('count')} records "
            f"met kop {expected.get('head_hash')}, gevonden {actual.get('count')} met kop "
            f"{actual.get('head_hash')}."
        )
    expected_tables, actual_tables = manifest.get("tables") or {}, state["tables"]
    for name, count in sorted(expected_tables.items()):
        if name not in actual_tables:
            result.problems.append(f"Tabel {name} ontbreekt na het herstel.")
        elif actual_tables[name] != count:
            result.problems.append(
                f"Tabel {name}: {actual_tables[name]} rijen, het manifest noemt er {count}."
            )
    extra = sorted(set(actual_tables) - set(expected_tables))
    if extra:
        result.warnings.append(
            "Tabellen die niet in de back-up staan (uit een nieuwere versie?): " + ", ".join(extra)
        )


def _check_data_keys() -> tuple[int, int]:
    """Unwrap every data key that still exists with the configured master keys (a decrypt smoke
    test; the keys themselves are not kept). Returns (checked, unreadable)."""
    ring = current_app.extensions["levensloop_keyring"]
    checked = unreadable = 0
    rows = db.session.execute(
        sa.select(DataKey.id, DataKey.wrapped_key, DataKey.master_version)
        .where(DataKey.wrapped_key.is_not(None))
        .order_by(DataKey.id)
        .execution_options(yield_per=KEY_CHECK_BATCH)
    )
    for subject_id, wrapped, version in rows:
        checked += 1
        try:
            ring.unwrap(wrapped, str(subject_id), version)
        except aead.DecryptionError:
            unreadable += 1
    return checked, unreadable


# ---------------------------------------------------------------- state, schema


def _describe(conn: Connection) -> dict:
    """What a database holds, without personal data: schema revision, audit chain, counts."""
    tables = sorted(sa.inspect(conn).get_table_names())
    counts = {
        name: conn.scalar(sa.select(sa.func.count()).select_from(sa.table(name))) for name in tables
    }
    revisions = []
    if "alembic_version" in tables:
        revisions = sorted(conn.scalars(sa.text("SELECT version_num FROM alembic_version")))
    audit = None
    if "audit_events" in tables and "audit_chain_head" in tables:
        with Session(bind=conn) as session:
            checked = verify(session)
        audit = {
            "ok": checked.ok,
            "count": checked.count,
            "head_hash": checked.head_hash,
            "broken_seq": checked.broken_seq,
            "reason": checked.reason,
        }
    shredded = 0
    if "data_keys" in tables:
        shredded = conn.scalar(
            sa.select(sa.func.count())
            .select_from(DataKey)
            .where(DataKey.kind == "person", DataKey.wrapped_key.is_(None))
        )
    return {
        "alembic_revisions": revisions,
        "audit": audit,
        "persons": {"total": counts.get("persons", 0), "shredded": shredded},
        "tables": counts,
    }


def _script() -> ScriptDirectory:
    config = Config()
    config.set_main_option("script_location", str(current_app.extensions["migrate"].directory))
    return ScriptDirectory.from_config(config)


def schema_status(revisions: list[str]) -> str | None:
    """None when the database is at the code's migration heads, else what the operator should do."""
    script = _script()
    if not revisions:
        return "De herstelde database heeft geen schemaversie (alembic_version is leeg)."
    try:
        applied = _lineage(script, revisions)
    except (CommandError, RevisionError, KeyError):
        applied = None
    if applied is None or not set(revisions) <= applied:
        return (
            f"De back-up heeft schemaversie {', '.join(sorted(revisions))}, die deze versie van "
            "Levensloop niet (helemaal) kent: gemaakt met een nieuwere versie? Herstel met de "
            "versie waarmee de back-up is gemaakt."
        )
    heads = set(script.get_heads())
    if heads <= applied:
        return None
    return (
        f"De schemaversie van de back-up ({', '.join(sorted(revisions))}) loopt achter op de "
        f"code ({', '.join(sorted(heads))}). De gegevens zijn hersteld; draai "
        "'flask --app levensloop db upgrade' voordat u de toepassing start."
    )


def _lineage(script: ScriptDirectory, revisions: list[str]) -> set[str]:
    """Every revision applied when the database stands at `revisions`: those and all their
    ancestors, dependencies included (alembic_version lists only the tips)."""
    seen: set[str] = set()
    todo = list(revisions)
    while todo:
        revision = script.get_revision(todo.pop())
        if revision is None:
            raise KeyError("onbekende revisie")
        if revision.revision in seen:
            continue
        seen.add(revision.revision)
        for parents in (revision.down_revision, revision.dependencies):
            if isinstance(parents, str):
                todo.append(parents)
            elif parents:
                todo.extend(parents)
    return seen


# ---------------------------------------------------------------- helpers


def _kind(url: URL) -> str:
    name = url.get_backend_name()
    if name not in ("sqlite", "postgresql"):
        raise BackupError(f"Back-up en herstel worden niet ondersteund voor database '{name}'.")
    return name


def _sqlite_file(url: URL) -> Path:
    database = url.database or ""
    if not database or database == ":memory:" or database.startswith("file:"):
        raise BackupError(
            "De geconfigureerde SQLite-database is geen gewoon bestand (bijvoorbeeld een "
            "database in het geheugen); daarvan maakt of herstelt Levensloop geen back-up."
        )
    return Path(database)


def _readonly_uri(path: Path) -> str:
    return path.resolve().as_uri() + "?mode=ro"


def _check_sqlite_file(path: Path) -> None:
    try:
        conn = sqlite3.connect(_readonly_uri(path), uri=True)
        try:
            verdict = conn.execute("PRAGMA integrity_check").fetchone()[0]
            has_version = conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                "AND name = 'alembic_version'"
            ).fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise BackupError(
            f"{path} is beschadigd of geen SQLite-database ({_sqlite_reason(exc)}). Er is niets "
            "hersteld."
        ) from exc
    if verdict != "ok":
        raise BackupError(f"{path} is beschadigd (integriteitscontrole). Er is niets hersteld.")
    if not has_version:
        raise BackupError(
            f"{path} bevat geen Levensloop-database (geen alembic_version). Er is niets hersteld."
        )


def _sqlite_reason(exc: sqlite3.Error) -> str:
    return str(exc.args[0]) if exc.args else type(exc).__name__


def _read_manifest(path: Path) -> dict | None:
    file = manifest_path(path)
    if not file.exists():
        return None
    try:
        manifest = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise BackupError(f"Het manifest {file} is onleesbaar. Er is niets hersteld.") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(
            f"Het manifest {file} is geen Levensloop-back-upmanifest. Er is niets hersteld."
        )
    return manifest


def _write_json(path: Path, content: dict) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(content, handle, indent=2, sort_keys=True)
            handle.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(
            f"{name} is niet gevonden op het PATH. Installeer de PostgreSQL-clientprogramma's "
            "(bijvoorbeeld het pakket postgresql-client) van dezelfde of een nieuwere "
            "hoofdversie dan de server."
        )
    return found


def _libpq(url: URL) -> tuple[str, dict | None]:
    """A libpq connection URI without the password, and the environment that carries the
    password (PGPASSWORD), so the password never appears on a command line (`ps`)."""
    conninfo = URL.create(
        "postgresql",
        username=url.username,
        host=url.host,
        port=url.port,
        database=url.database,
        query=url.query,
    ).render_as_string(hide_password=False)
    if not url.password:
        return conninfo, None  # trust, peer or ~/.pgpass
    return conninfo, {**os.environ, "PGPASSWORD": str(url.password)}


def _run(
    command: list[str], env: dict | None, name: str, note: str = ""
) -> subprocess.CompletedProcess:
    try:
        done = subprocess.run(
            command,
            env=env,
            capture_output=True,
            text=True,
            timeout=TOOL_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BackupError(f"{name} kon niet worden uitgevoerd ({type(exc).__name__}).") from exc
    if done.returncode != 0:
        lines = [line for line in (done.stderr or "").strip().splitlines() if line.strip()]
        detail = " / ".join(lines[-3:]) or "geen melding"
        message = f"{name} is mislukt (exitcode {done.returncode}): {detail}"
        raise BackupError(f"{message} {note}".rstrip())
    return done
