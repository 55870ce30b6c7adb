"""`flask --app levensloop reports ...`: freeze, correct and print the monthly counts.

    reports snapshot --month 2026-10 [--region CODE]     freeze (all regions without one)
    reports correct --month 2026-10 --region CODE --reason "..."
    reports monthly --month 2026-10 --format csv|json [--region CODE]

`monthly` prints the exact numbers of one region, for that region's own use (CSV as RFC 4180:
UTF-8, comma separated, with codes; text cells neutralised against formula injection).
"""

from __future__ import annotations

import csv
import json
import sys

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from levensloop.db import local_today
from levensloop.errors import DomainError
from levensloop.exports import safe_cell
from levensloop.extensions import db
from levensloop.organisations.models import Region
from levensloop.reports import measures as m
from levensloop.reports import services
from levensloop.reports.measures import Month

reports_cli = AppGroup("reports", help="Maandcijfers: vastleggen, corrigeren en tonen.")


def _month(value: str) -> Month:
    month = Month.parse(value)
    if month is None:
        raise click.BadParameter("gebruik JJJJ-MM, bijvoorbeeld 2026-10", param_hint="--month")
    if not month.is_complete(local_today()):
        raise click.BadParameter("die maand is nog niet voorbij", param_hint="--month")
    return month


def _region(code: str | None, *, required: bool) -> Region | None:
    if code:
        region = db.session.scalar(sa.select(Region).where(Region.code == code))
        if region is None:
            raise click.ClickException("Onbekende regio; zie 'flask regions list'.")
        return region
    if not required:
        return None
    regions = list(db.session.scalars(sa.select(Region).where(Region.active)))
    if len(regions) != 1:
        raise click.ClickException("Kies een regio met --region CODE.")
    return regions[0]


@reports_cli.command("snapshot")
@click.option("--month", "month_text", required=True, help="De maand, JJJJ-MM.")
@click.option("--region", "region_code", default=None, help="Alleen deze regio (code).")
def snapshot(month_text: str, region_code: str | None) -> None:
    """Leg een afgelopen maand vast voor elke regio die hem nog niet heeft (of één regio)."""
    month = _month(month_text)
    region = _region(region_code, required=False)
    frozen = services.freeze_missing(
        month, source=services.CLI, regions=[region] if region else None
    )
    for done in frozen:
        click.echo(f"{done.code}: {month} vastgelegd (revisie 1).")
    if not frozen:
        click.echo(f"Niets te doen: {month} was al vastgelegd.")


@reports_cli.command("correct")
@click.option("--month", "month_text", required=True, help="De maand, JJJJ-MM.")
@click.option("--region", "region_code", required=True, help="De regio (code).")
@click.option("--reason", required=True, help="Waarom de cijfers veranderen (geen namen).")
def correct(month_text: str, region_code: str, reason: str) -> None:
    """Bereken een vastgelegde maand opnieuw en leg hem vast als nieuwe revisie."""
    month = _month(month_text)
    region = _region(region_code, required=True)
    try:
        result = services.correct_month(None, region, month, reason=reason, source=services.CLI)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"{region.code}: {month} gecorrigeerd (revisie {result.revision}).")


@reports_cli.command("monthly")
@click.option("--month", "month_text", required=True, help="De maand, JJJJ-MM.")
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True
)
@click.option("--region", "region_code", default=None, help="De regio (code).")
def monthly(month_text: str, fmt: str, region_code: str | None) -> None:
    """Toon de exacte maandcijfers van één regio (voor eigen gebruik van de regio)."""
    month = _month(month_text)
    region = _region(region_code, required=True)
    snapshot, cells = services.region_numbers(region, month)
    revision = snapshot.revision if snapshot else None
    rows = []
    for measure in m.measures():
        keys = [key for key, _label in measure.dimensions]
        keys += sorted(d for (code, d) in cells if code == measure.code and d not in keys)
        for key in keys:
            rows.append((measure.code, key, cells.get((measure.code, key), 0)))
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "maand": str(month),
                    "regio": region.code,
                    "vastgelegd": snapshot is not None,
                    "revisie": revision,
                    "cijfers": [
                        {
                            "maatregel": code,
                            "uitsplitsing": key,
                            # No median over no inclusions.
                            "waarde": None
                            if (code, key) == (m.DAYS, m.MEDIAN)
                            and not cells.get((m.DAYS, m.COUNT))
                            else value,
                        }
                        for code, key, value in rows
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["maand", "regio", "revisie", "maatregel", "uitsplitsing", "waarde"])
        for code, key, value in rows:
            writer.writerow([str(month), safe_cell(region.code), revision or "", code, key, value])
    if snapshot is None:
        click.echo(
            "Let op: deze maand is nog niet vastgelegd; de cijfers zijn nu berekend.", err=True
        )
    services.record_cli_export(region, month, fmt, snapshot)
