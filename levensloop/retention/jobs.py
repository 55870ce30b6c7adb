"""Scheduled jobs of the retention module (thin: they call services)."""

from __future__ import annotations

from datetime import date

from flask import Flask

from levensloop.retention import services
from levensloop.scheduler.registry import DAILY, job


@job(
    "vernietigingslijst-opstellen",
    cron="30 2 * * *",
    period=DAILY,
    description="Stelt 's nachts per regio de vernietigingslijst op: personen van wie de "
    "bewaartermijn is verstreken, ter beoordeling door de privacy officer; trekt voorstellen "
    "in die niet meer gelden.",
)
def draft_destruction_lists(app: Flask, period: str) -> str:
    # The period is the day the run is for (Europe/Amsterdam); that day counts as today.
    return services.draft_all_regions(date.fromisoformat(period)).summary()
