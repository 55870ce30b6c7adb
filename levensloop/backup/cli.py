"""`flask backup create|restore`: database backups without keys, and their restore."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from levensloop.backup import services
from levensloop.extensions import db

backup_cli = AppGroup(
    "backup", help="Back-up en herstel van de database (de hoofdsleutels zitten er niet in)."
)


def _fail(message: str) -> None:
    click.echo(f"Fout: {message}", err=True)
    sys.exit(1)


def _confirm(question: str) -> bool:
    try:
        return click.confirm(question, default=False)
    except click.Abort:  # no terminal, end of input, Ctrl-C
        click.echo("")
        return False


@backup_cli.command("create")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Overschrijf een bestaande back-up op PATH.")
def create(path: Path, force: bool) -> None:
    """Maak een consistente back-up van de database naar PATH, met een manifest PATH.json."""
    try:
        result = services.create_backup(path, force=force)
    except services.BackupError as exc:
        _fail(str(exc))
        return
    manifest = result.manifest
    audit = manifest["audit"]
    click.echo(f"Back-up gemaakt: {result.path} ({manifest['database']}, {manifest['size']} bytes)")
    click.echo(f"Manifest: {result.manifest_path}")
    click.echo(f"Schemaversie: {', '.join(manifest['alembic_revisions']) or 'onbekend'}")
    click.echo(
        f"Personen: {manifest['persons']['total']} "
        f"(waarvan {manifest['persons']['shredded']} vernietigd); "
        f"tabellen: {len(manifest['tables'])}"
    )
    if audit is not None:
        click.echo(f"Auditketen: {audit['count']} records, kop {audit['head_hash']}")
    click.echo(
        "Let op: de hoofdsleutels zitten niet in de back-up. Bewaar de sleutelback-up apart, "
        "nooit bij de databaseback-up."
    )
    if audit is None or not audit["ok"]:
        _fail(
            "de auditketen in de back-up is niet intact; de back-up is wel gemaakt. Draai "
            "'flask --app levensloop audit verify' voor het eerste kapotte record."
        )


@backup_cli.command("restore")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--yes", is_flag=True, help="Niet om bevestiging vragen.")
def restore(path: Path, yes: bool) -> None:
    """Overschrijf de geconfigureerde database met de back-up PATH en controleer het resultaat.

    Stop eerst de webserver en de scheduler. Daarna: de schemaversie, de auditketen, de
    aantallen rijen (tegen het manifest) en of elke datasleutel met de hoofdsleutels opengaat.
    """
    try:
        kind, manifest = services.check_backup(path)
    except services.BackupError as exc:
        _fail(str(exc))
        return
    database = db.engine.url.render_as_string(hide_password=True)
    if manifest is not None:
        click.echo(
            f"Back-up van {manifest.get('created_at')} ({kind}), "
            f"{(manifest.get('persons') or {}).get('total')} personen, "
            f"{(manifest.get('audit') or {}).get('count')} auditrecords."
        )
    if not yes and not _confirm(
        f"Dit overschrijft de database {database} met de back-up {path}. Alles wat na het maken "
        "van de back-up is vastgelegd, gaat verloren. Doorgaan?"
    ):
        _fail("herstel afgebroken; er is niets gewijzigd.")
        return
    try:
        result = services.restore_backup(path)
    except services.BackupError as exc:
        _fail(str(exc))
        return
    state = result.state
    click.echo(f"Database hersteld uit {path}.")
    click.echo(f"Schemaversie: {', '.join(state['alembic_revisions']) or 'onbekend'}")
    audit = state["audit"]
    if audit is not None and audit["ok"]:
        click.echo(f"Auditketen: OK: {audit['count']} records, kop {audit['head_hash']}")
    click.echo(
        f"Personen: {state['persons']['total']} (waarvan {state['persons']['shredded']} "
        f"vernietigd); tabellen: {len(state['tables'])}; "
        f"rijen: {sum(state['tables'].values())}"
    )
    if result.keys_checked:
        click.echo(f"Datasleutels gecontroleerd: {result.keys_checked}")
    for warning in result.warnings:
        click.echo(f"Let op: {warning}")
    if not result.ok:
        for problem in result.problems:
            click.echo(f"Fout: {problem}", err=True)
        sys.exit(1)
    click.echo("Herstel gecontroleerd: alles klopt.")
