"""`flask keys ...`: status, rotate, rewrap, retire."""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from levensloop.crypto.keyring import format_entry, parse_keys
from levensloop.keys import services

keys_cli = AppGroup("keys", help="Hoofdsleutels en datasleutels.")


def _key_file() -> Path | None:
    if current_app.config.get("MASTER_KEYS"):
        return None
    path = current_app.config.get("MASTER_KEY_FILE")
    return Path(path) if path else None


def _write_atomically(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".keys-")
    try:
        os.chmod(tmp, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@keys_cli.command("status")
def status() -> None:
    """Toon de hoofdsleutelversies en hoeveel datasleutels elke versie gebruikt."""
    st = services.status()
    source = f"sleutelbestand {_key_file()}" if _key_file() else "LEVENSLOOP_MASTER_KEYS"
    click.echo(f"Bron: {source}")
    click.echo(f"Indexsleutel aanwezig: {'ja' if st.has_index_key else 'NEE'}")
    click.echo(f"{'versie':<8}{'status':<10}datasleutels")
    for version in st.versions:
        label = "actief" if version == st.active_version else "oud"
        click.echo(f"{version:<8}{label:<10}{st.keys_per_version.get(version, 0)}")
    missing = sorted(set(st.keys_per_version) - set(st.versions))
    for version in missing:
        click.echo(f"{version:<8}{'ONTBREEKT':<10}{st.keys_per_version[version]}")
    click.echo(f"Vernietigde datasleutels (personen): {st.shredded}")
    behind = services.count_behind()
    if behind:
        click.echo(
            f"{behind} datasleutels staan nog niet onder de actieve versie: draai 'keys rewrap'."
        )


@keys_cli.command("rotate")
def rotate() -> None:
    """Maak een nieuwe hoofdsleutelversie aan; die wordt de actieve."""
    ring = services.keyring()
    version = ring.active_version + 1
    entry = format_entry(version, secrets.token_bytes(32))
    path = _key_file()
    if path is None:
        click.echo(
            "De sleutels komen uit LEVENSLOOP_MASTER_KEYS. Voeg deze regel toe (komma-gescheiden), "
            "herstart alle processen en draai daarna 'keys rewrap':"
        )
        click.echo(entry)
        return
    text = path.read_text()
    if not text.endswith("\n"):
        text += "\n"
    _write_atomically(path, text + entry + "\n")
    click.echo(
        f"Hoofdsleutel versie {version} toegevoegd aan {path} en actief voor nieuwe processen."
    )
    click.echo(
        "Herstart de webserver en de scheduler, draai dan 'keys rewrap'. Maak een nieuwe "
        "sleutelback-up, apart van de databaseback-up."
    )


@keys_cli.command("rewrap")
@click.option(
    "--batch",
    "batch_size",
    default=500,
    show_default=True,
    type=click.IntRange(1, 100000),
    help="Aantal datasleutels per transactie.",
)
def rewrap(batch_size: int) -> None:
    """Verpak alle datasleutels opnieuw met de actieve hoofdsleutel (hervatbaar)."""
    total = services.count_behind()
    if not total:
        click.echo("Alle datasleutels staan al onder de actieve hoofdsleutel.")
        return
    with click.progressbar(length=total, label="Datasleutels opnieuw verpakken") as bar:
        done = services.rewrap(batch_size=batch_size, on_batch=bar.update)
    click.echo(
        f"{done} datasleutels opnieuw verpakt onder versie {services.keyring().active_version}."
    )


@keys_cli.command("retire")
@click.argument("version", type=int)
def retire(version: int) -> None:
    """Verwijder een oude hoofdsleutelversie; geweigerd zolang datasleutels die nog gebruiken."""
    ring = services.keyring()
    if version not in ring.master_keys:
        raise click.ClickException(f"Versie {version} bestaat niet.")
    if version == ring.active_version:
        raise click.ClickException(
            "De actieve versie kan niet worden verwijderd. Draai eerst 'keys rotate'."
        )
    in_use = services.keys_on_version(version)
    if in_use:
        raise click.ClickException(
            f"Geweigerd: {in_use} datasleutels gebruiken versie {version} nog. "
            "Draai eerst 'keys rewrap'."
        )
    path = _key_file()
    if path is None:
        click.echo(
            f"Geen datasleutel gebruikt versie {version} meer. Verwijder '{version}:...' uit "
            "LEVENSLOOP_MASTER_KEYS en herstart alle processen."
        )
        return
    lines = path.read_text().splitlines()
    kept = [line for line in lines if line.strip().partition(":")[0].strip() != str(version)]
    parse_keys("\n".join(kept))  # still a valid key file
    _write_atomically(path, "\n".join(kept) + "\n")
    click.echo(f"Versie {version} verwijderd uit {path}. Vergeet de oude sleutelback-ups niet.")
