"""`flask persons ...`: operator commands (crypto-shredding)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from levensloop.db import parse_uuid
from levensloop.extensions import db
from levensloop.persons import services
from levensloop.persons.models import Person

persons_cli = AppGroup("persons", help="Personen.")
REASONS = ("retentie", "verzoek_wissing", "beheer")


@persons_cli.command("shred")
@click.argument("person_id")
@click.option(
    "--reason", type=click.Choice(REASONS), required=True, help="Grond voor vernietiging."
)
@click.confirmation_option(
    prompt="De gegevens worden onherroepelijk onleesbaar, ook in back-ups. Doorgaan?"
)
def shred(person_id: str, reason: str) -> None:
    """Vernietig de gegevens van een persoon (crypto-shredding); de telrij blijft bestaan."""
    person = db.session.get(Person, parse_uuid(person_id)) if parse_uuid(person_id) else None
    if person is None:
        raise click.ClickException("Onbekende persoon.")
    if services.shred_person(None, person, reason=reason):
        click.echo("Gegevens vernietigd.")
    else:
        click.echo("De gegevens waren al vernietigd; niets gewijzigd.")
