"""Scheduled job of the monthly counts (thin: it calls the service)."""

from __future__ import annotations

from datetime import date

from flask import Flask

from levensloop.reports import services
from levensloop.reports.measures import Month
from levensloop.scheduler.registry import DAILY, job


@job(
    "maandcijfers-vastleggen",
    cron="30 1 * * *",
    period=DAILY,
    description="Legt de vorige maand vast voor elke regio die hem nog niet heeft: op de "
    "eerste dag van de maand, en een dag later nog eens als die run is gemist.",
)
def freeze_previous_month(app: Flask, period: str) -> str:
    month = Month.of(date.fromisoformat(period)).previous()
    frozen = services.freeze_missing(month, source=services.JOB)
    return f"{month}: {len(frozen)} regio's vastgelegd"
