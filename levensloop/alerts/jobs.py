"""The daily job that computes the alerts (thin: it calls the service)."""

from __future__ import annotations

from datetime import date

from flask import Flask

from levensloop.alerts import services
from levensloop.scheduler.registry import DAILY, job


@job(
    "signalen-berekenen",
    cron="30 6 * * *",
    period=DAILY,
    description="Berekent de signalen van de dag (titels die aflopen, onbeantwoorde "
    "overdrachten, escalaties over hun termijn, evaluaties, acties, informatieplicht, "
    "verzoeken) en zet ze als bericht in de inbox van wie moet handelen.",
)
def compute_alerts(app: Flask, period: str) -> str:
    return services.compute_all(date.fromisoformat(period)).summary()
