"""`flask --app levensloop scheduler run | list | run-once JOB [--period P]`."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup

from levensloop.db import utcnow
from levensloop.scheduler import registry
from levensloop.scheduler.models import JobRun  # noqa: F401  (the table in the metadata)

scheduler_cli = AppGroup("scheduler", help="De planner: periodieke taken in een eigen proces.")

PERIOD_LABELS = {registry.HOURLY: "per uur", registry.DAILY: "per dag", registry.WEEKLY: "per week"}


@scheduler_cli.command("run")
def run() -> None:
    """Start de planner (één proces; blijft draaien tot SIGTERM of Ctrl-C)."""
    from levensloop.scheduler.process import run_forever

    run_forever(current_app._get_current_object())


@scheduler_cli.command("list")
def list_jobs() -> None:
    """Toon de taken: naam, schema (cron, Europe/Amsterdam), periode en omschrijving."""
    for job in registry.load_jobs().values():
        click.echo(f"{job.name}\t{job.cron}\t{PERIOD_LABELS[job.period]}\t{job.description}")


@scheduler_cli.command("run-once")
@click.argument("job_name", metavar="TAAK")
@click.option(
    "--period",
    "period",
    default=None,
    metavar="PERIODE",
    help="De periode, bijvoorbeeld 2026-11-23T06 (per uur), 2026-11-23 (per dag) of "
    "2026-W48 (per week). Standaard de huidige periode van de taak.",
)
def run_once(job_name: str, period: str | None) -> None:
    """Voer één taak nu uit voor één periode, via dezelfde claim als de planner."""
    from levensloop.scheduler.runner import run_job

    jobs = registry.load_jobs()
    job = jobs.get(job_name)
    if job is None:
        raise click.ClickException(
            f"Onbekende taak '{job_name}'. Bekende taken: {', '.join(jobs) or 'geen'}."
        )
    if period is None:
        period = registry.current_period(job.period)
    else:
        period = period.strip()
        try:
            start = registry.period_start(job.period, period)
        except ValueError:
            raise click.ClickException(
                f"Ongeldige periode '{period}' voor taak {job.name} ({PERIOD_LABELS[job.period]}); "
                f"gebruik de vorm {registry.example_period(job.period)}."
            ) from None
        if start > utcnow():
            raise click.ClickException(
                f"De periode '{period}' is nog niet begonnen; een taak draait niet vooruit."
            )
    try:
        outcome = run_job(current_app._get_current_object(), job, period)
    except sa.exc.DBAPIError as exc:  # no database, or the migrations have not run
        raise click.ClickException(
            f"De database is niet bereikbaar of niet bijgewerkt ({type(exc).__name__}); "
            "controleer LEVENSLOOP_DATABASE_URL en draai 'flask --app levensloop db upgrade'."
        ) from None
    click.echo(outcome.line())
    if outcome.failed:
        raise click.exceptions.Exit(1)
