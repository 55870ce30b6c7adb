"""`flask retention draft`: the night job's work by hand, for operators."""

from __future__ import annotations

from datetime import date

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from levensloop.db import local_today
from levensloop.extensions import db
from levensloop.organisations.models import Region
from levensloop.retention import services

retention_cli = AppGroup("retention", help="Bewaartermijnen en de vernietigingslijst.")


@retention_cli.command("draft")
@click.option("--region", "region_code", default=None, help="Alleen deze regio (code).")
@click.option(
    "--date",
    "on",
    default=None,
    metavar="JJJJ-MM-DD",
    help="De dag waarvoor de lijst wordt opgesteld; standaard vandaag, nooit in de toekomst.",
)
def draft(region_code: str | None, on: str | None) -> None:
    """Stel de vernietigingslijst op (zonder iets te vernietigen)."""
    today = local_today()
    if on:
        try:
            chosen = date.fromisoformat(on.strip())
        except ValueError:
            raise click.ClickException("Ongeldige datum; gebruik de vorm 2026-11-23.") from None
        if chosen > today:
            raise click.ClickException(
                "Een datum in de toekomst kan niet; de lijst loopt niet vooruit."
            )
        today = chosen
    if region_code is None:
        click.echo(services.draft_all_regions(today).summary())
        return
    region = db.session.scalar(sa.select(Region).where(Region.code == region_code))
    if region is None:
        raise click.ClickException("Onbekende regio.")
    click.echo(services.draft_destruction_list(region, today).summary())
