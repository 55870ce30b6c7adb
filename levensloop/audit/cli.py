"""`flask audit verify`: check the hash chain of the audit log."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from levensloop.audit.chain import verify
from levensloop.audit.services import record
from levensloop.extensions import db

audit_cli = AppGroup("audit", help="Het auditlogboek (NEN 7513).")


@audit_cli.command("verify")
def verify_command() -> None:
    """Controleer de hashketen; exit 0 als die intact is, anders 1 met het eerste kapotte record."""
    result = verify(db.session)
    db.session.rollback()
    if result.ok:
        click.echo(f"OK: {result.count} records, kop {result.head_hash}")
        record("audit_verified", details={"count": result.count, "ok": True})
        db.session.commit()
        return
    click.echo(
        f"GEBROKEN bij record {result.broken_seq}: {result.reason} "
        f"({result.count} records daarvoor intact, laatste goede hash {result.head_hash})",
        err=True,
    )
    sys.exit(1)
