"""Flask commands: demo data, bootstrap of the first administrator, translations."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import click
import pyotp
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from levensloop.extensions import db


def register_commands(app: Flask) -> None:
    app.cli.add_command(seed_demo)
    app.cli.add_command(demo_totp)
    app.cli.add_command(regions_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(translate_cli)
    from levensloop.audit.cli import audit_cli
    from levensloop.backup.cli import backup_cli
    from levensloop.keys.cli import keys_cli
    from levensloop.persons.cli import persons_cli
    from levensloop.reports.cli import reports_cli
    from levensloop.retention.cli import retention_cli
    from levensloop.scheduler.cli import scheduler_cli

    app.cli.add_command(scheduler_cli)
    app.cli.add_command(keys_cli)
    app.cli.add_command(audit_cli)
    app.cli.add_command(persons_cli)
    app.cli.add_command(reports_cli)
    app.cli.add_command(retention_cli)
    app.cli.add_command(backup_cli)


def _refuse_in_production() -> None:
    if not current_app.config.get("ALLOW_DEMO_SEED"):
        raise click.ClickException("Demodata is niet toegestaan onder de productieconfiguratie.")


@click.command("seed-demo")
@with_appcontext
@click.option("--if-empty", is_flag=True, help="Alleen als de database nog leeg is.")
def seed_demo(if_empty: bool) -> None:
    """Vul de database met fictieve demodata (nooit in productie)."""
    from levensloop import demo
    from levensloop.auth.services import _seal_totp

    _refuse_in_production()
    if not demo.database_is_empty():
        if if_empty:
            click.echo("De database bevat al gegevens; demodata niet opnieuw aangemaakt.")
            _print_demo_logins(demo)
            return
        raise click.ClickException(
            "De database is niet leeg. Demodata wordt alleen in een lege database gezet."
        )
    demo.seed(lambda user, secret: _seal_totp(user, "totp_secret", secret))
    click.echo(
        "Demodata aangemaakt: 2 regio's, "
        f"{len(demo.ORGANISATIONS)} organisaties, {len(demo.USERS)} gebruikers."
    )
    _print_demo_logins(demo)


def _print_demo_logins(demo) -> None:
    click.echo("")
    click.echo(
        f"Demologins (alleen voor demonstratie; wachtwoord voor iedereen: {demo.DEMO_PASSWORD})"
    )
    click.echo(
        f"{'gebruikersnaam':<36} {'rol':<24} TOTP-geheim (voeg toe aan uw authenticator-app)"
    )
    for user in demo.USERS:
        roles = ", ".join(sorted({str(role) for _code, role in user.roles}))
        click.echo(f"{user.username:<36} {roles:<24} {user.totp_secret}")
    click.echo("")
    click.echo("Huidige code zonder app: flask --app levensloop demo-totp GEBRUIKERSNAAM")


@click.command("demo-totp")
@with_appcontext
@click.argument("username")
def demo_totp(username: str) -> None:
    """Toon de huidige TOTP-code van een demogebruiker (nooit in productie)."""
    from levensloop import demo

    _refuse_in_production()
    match = next((u for u in demo.USERS if u.username == username.strip().lower()), None)
    if match is None:
        raise click.ClickException("Onbekende demogebruiker.")
    totp = pyotp.TOTP(match.totp_secret)
    now = datetime.now(UTC)
    remaining = 30 - int(now.timestamp()) % 30
    click.echo(f"{totp.now()}  (nog {remaining} seconden geldig)")


regions_cli = AppGroup("regions", help="Regio's (één per Zorg- en Veiligheidshuis).")


@regions_cli.command("create")
@click.argument("code")
@click.argument("name")
@click.option("--contactpunt", default=None, help="E-mailadres van het contactpunt.")
def create_region(code: str, name: str, contactpunt: str | None) -> None:
    """Maak een regio aan."""
    from levensloop.organisations.models import Region

    if db.session.scalar(sa.select(Region).where(Region.code == code)):
        raise click.ClickException("Er bestaat al een regio met deze code.")
    db.session.add(Region(code=code, name=name, contactpunt_email=contactpunt))
    db.session.commit()
    click.echo(f"Regio {code} aangemaakt.")


@regions_cli.command("list")
def list_regions() -> None:
    """Toon de regio's."""
    from levensloop.organisations.models import Region

    for region in db.session.scalars(sa.select(Region).order_by(Region.name)):
        click.echo(f"{region.code}\t{region.name}")


users_cli = AppGroup("users", help="Gebruikers.")


@users_cli.command("create-admin")
@click.option("--region", "region_code", required=True, help="Code van de regio.")
@click.option(
    "--organisation", "organisation_name", required=True, help="Naam van de organisatie (ZVH)."
)
@click.option("--username", required=True)
@click.option("--name", "display_name", required=True)
def create_admin(
    region_code: str, organisation_name: str, username: str, display_name: str
) -> None:
    """Maak de eerste functioneel beheerder van een regio aan, met een eenmalig wachtwoord."""
    from levensloop.audit.services import record
    from levensloop.auth import passwords
    from levensloop.auth.admin import temporary_password
    from levensloop.auth.models import Role, RoleAssignment, User
    from levensloop.auth.services import normalise_username
    from levensloop.organisations.models import Organisation, OrganisationType, Region

    region = db.session.scalar(sa.select(Region).where(Region.code == region_code))
    if region is None:
        raise click.ClickException("Onbekende regio; maak die eerst aan met 'regions create'.")
    username = normalise_username(username)
    if db.session.scalar(sa.select(User).where(User.username == username)):
        raise click.ClickException("Deze gebruikersnaam is al in gebruik.")
    organisation = db.session.scalar(
        sa.select(Organisation).where(
            Organisation.region_id == region.id, Organisation.name == organisation_name
        )
    )
    if organisation is None:
        organisation = Organisation(
            region_id=region.id, name=organisation_name, type=OrganisationType.ZVH
        )
        db.session.add(organisation)
        db.session.flush()
    password = temporary_password()
    user = User(
        username=username,
        display_name=display_name,
        organisation_id=organisation.id,
        password_hash=passwords.hash_password(password),
        must_change_password=True,
    )
    user.roles = [RoleAssignment(region_id=region.id, role=Role.FUNCTIONEEL_BEHEERDER)]
    db.session.add(user)
    db.session.flush()
    record(
        "user_created",
        region_id=region.id,
        object_type="user",
        object_id=user.id,
        details={"roles": [str(Role.FUNCTIONEEL_BEHEERDER)], "via": "cli"},
    )
    db.session.commit()
    click.echo(f"Beheerder aangemaakt. Eenmalig wachtwoord: {password}")
    click.echo(
        "Bij de eerste keer inloggen koppelt de beheerder de authenticator-app en kiest een "
        "eigen wachtwoord."
    )


translate_cli = AppGroup("translate", help="Vertalingen (Nederlands is de brontaal).")
ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = "levensloop/translations"
TEMPLATE = f"{TRANSLATIONS}/messages.pot"
# Keywords on top of pybabel's defaults (_, gettext, ngettext, ...): the lazy variants.
EXTRACT_KEYWORDS = ("_l", "lazy_gettext", "lazy_ngettext:1,2")


def _pybabel(*args: str) -> None:
    # `python -m` instead of the pybabel script: works with any interpreter that has Babel.
    command = [sys.executable, "-m", "babel.messages.frontend", "-q", *args]
    subprocess.run(command, check=True, cwd=ROOT)


def extract_messages(output: str | Path = TEMPLATE) -> None:
    """Extract every msgid into `output` (relative to the project root, or absolute).
    tests/test_i18n.py uses this too, so the check and the catalogue agree."""
    keywords = [arg for keyword in EXTRACT_KEYWORDS for arg in ("-k", keyword)]
    _pybabel(
        "extract",
        "-F",
        "babel.cfg",
        *keywords,
        "--no-location",
        "--sort-output",
        "--project",
        "Levensloop",
        "-o",
        str(output),
        ".",
    )


def _translated_languages() -> list[str]:
    source = current_app.config["BABEL_DEFAULT_LOCALE"]
    return [lang for lang in current_app.config["LANGUAGES"] if lang != source]


@translate_cli.command("update")
def translate_update() -> None:
    """Haal teksten uit de code en werk de catalogi bij (maakt een ontbrekende catalogus aan)."""
    extract_messages()
    for lang in _translated_languages():
        if (ROOT / TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").exists():
            _pybabel(
                "update", "-i", TEMPLATE, "-d", TRANSLATIONS, "-l", lang, "--no-fuzzy-matching"
            )
        else:
            _pybabel("init", "-i", TEMPLATE, "-d", TRANSLATIONS, "-l", lang)
            click.echo(f"Nieuwe catalogus aangemaakt voor '{lang}'.")
    click.echo("Vul de lege vertalingen in en draai daarna 'flask translate compile'.")


@translate_cli.command("compile")
def translate_compile() -> None:
    """Compileer de catalogi."""
    _pybabel("compile", "-d", TRANSLATIONS)
