"""Scheduled jobs of the notifications module (thin: they call services)."""

from __future__ import annotations

from flask import Flask

from levensloop.notifications import services
from levensloop.scheduler.registry import HOURLY, job


@job(
    "berichten-mailen",
    cron="0 * * * *",
    period=HOURLY,
    description="Stuurt elke gebruiker met nieuwe, ongelezen berichten één e-mail zonder "
    "persoonsgegevens, met een link naar de berichten.",
)
def mail_new_notifications(app: Flask, period: str) -> str:
    return services.send_pending_emails(app).summary()
