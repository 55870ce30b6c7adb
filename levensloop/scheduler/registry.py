"""The jobs the scheduler knows, their cron schedules and their periods.

Nothing here imports APScheduler: the web app may import this module (for example through a
module that registers a job) without ever starting or loading the scheduler.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import Flask

from levensloop.db import utcnow

TIMEZONE = "Europe/Amsterdam"
HOURLY, DAILY, WEEKLY = "hourly", "daily", "weekly"
PERIODS = (HOURLY, DAILY, WEEKLY)

# The modules whose import registers jobs (with @job). A new module adds its path here.
JOB_MODULES: tuple[str, ...] = (
    "levensloop.notifications.jobs",
    "levensloop.alerts.jobs",
    "levensloop.retention.jobs",
    "levensloop.reports.jobs",
)

# How late a missed run may still start (seconds); later than that it waits for the next run.
MISFIRE_GRACE = {HOURLY: 30 * 60, DAILY: 6 * 3600, WEEKLY: 24 * 3600}

_FORMATS = {
    HOURLY: (re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}"), "2026-11-23T06"),
    DAILY: (re.compile(r"\d{4}-\d{2}-\d{2}"), "2026-11-23"),
    WEEKLY: (re.compile(r"\d{4}-W\d{2}"), "2026-W48"),
}

JobFunction = Callable[[Flask, str], "str | None"]


@dataclass(frozen=True)
class Job:
    """A job: a thin function `(app, period) -> str | None` that calls services. The string it
    may return is a short summary for the log (counts only, never personal data)."""

    name: str
    func: JobFunction
    cron: str  # five crontab fields, read in Europe/Amsterdam
    period: str  # hourly | daily | weekly: the unit a run claims
    description: str  # Dutch, for `flask scheduler list`

    @property
    def misfire_grace_time(self) -> int:
        return MISFIRE_GRACE[self.period]


JOBS: dict[str, Job] = {}


def register(job_: Job) -> Job:
    if job_.period not in PERIODS:
        raise ValueError(f"onbekende periode {job_.period!r} voor taak {job_.name!r}")
    if len(job_.cron.split()) != 5:
        raise ValueError(f"cron voor taak {job_.name!r} moet vijf velden hebben")
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,79}", job_.name):
        raise ValueError(f"ongeldige taaknaam {job_.name!r}")
    existing = JOBS.get(job_.name)
    if existing is not None and existing.func is not job_.func:
        raise ValueError(f"taak {job_.name!r} is al geregistreerd")
    JOBS[job_.name] = job_
    return job_


def job(name: str, *, cron: str, period: str, description: str) -> Callable:
    """Register the decorated function as a scheduled job (at import time)."""

    def decorator(func: JobFunction) -> JobFunction:
        register(Job(name=name, func=func, cron=cron, period=period, description=description))
        return func

    return decorator


def load_jobs() -> dict[str, Job]:
    """Import every job module and return the jobs by name, sorted."""
    for module in JOB_MODULES:
        importlib.import_module(module)
    return dict(sorted(JOBS.items()))


# ---------------------------------------------------------------- periods


def local(moment: datetime) -> datetime:
    return moment.astimezone(ZoneInfo(TIMEZONE))


def period_key(period: str, moment: datetime) -> str:
    """The period `moment` falls in, in Europe/Amsterdam: 2026-11-23T06, 2026-11-23, 2026-W48.
    In the hour that repeats when summer time ends, both runs share one key (the second skips)."""
    at = local(moment)
    if period == HOURLY:
        return at.strftime("%Y-%m-%dT%H")
    if period == DAILY:
        return at.strftime("%Y-%m-%d")
    if period == WEEKLY:
        year, week, _day = at.isocalendar()
        return f"{year}-W{week:02d}"
    raise ValueError(f"onbekende periode {period!r}")


def current_period(period: str) -> str:
    return period_key(period, utcnow())


def period_start(period: str, key: str) -> datetime:
    """The local start of the period named by `key`; ValueError when it is not one."""
    pattern, _example = _FORMATS[period]
    if not pattern.fullmatch(key):
        raise ValueError(key)
    zone = ZoneInfo(TIMEZONE)
    if period == HOURLY:
        day = date.fromisoformat(key[:10])
        hour = int(key[11:])
        if hour > 23:
            raise ValueError(key)
        return datetime(day.year, day.month, day.day, tzinfo=zone) + timedelta(hours=hour)
    if period == DAILY:
        day = date.fromisoformat(key)
        return datetime(day.year, day.month, day.day, tzinfo=zone)
    day = date.fromisocalendar(int(key[:4]), int(key[6:]), 1)
    return datetime(day.year, day.month, day.day, tzinfo=zone)


def example_period(period: str) -> str:
    return _FORMATS[period][1]
