"""The scheduler process: APScheduler 3 `BlockingScheduler`, cron triggers in Europe/Amsterdam.

Only `flask scheduler run` calls this module; APScheduler is imported here and nowhere else,
so a web worker never loads (let alone starts) a scheduler.
"""

from __future__ import annotations

import logging
import signal
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask

from levensloop.scheduler import registry
from levensloop.scheduler.runner import run_scheduled

log = logging.getLogger("levensloop.scheduler")


def build_scheduler(app: Flask, jobs: dict[str, registry.Job] | None = None):
    """A BlockingScheduler with one cron job per registered job: missed runs coalesced into
    one, at most one instance of a job at a time, a grace time per period, in-memory job
    store (jobs are defined in code; nothing is pickled)."""
    from apscheduler.executors.pool import ThreadPoolExecutor
    from apscheduler.schedulers.blocking import BlockingScheduler
    from apscheduler.triggers.cron import CronTrigger

    scheduler = BlockingScheduler(
        timezone=registry.TIMEZONE,
        executors={"default": ThreadPoolExecutor(max_workers=2)},
        job_defaults={"coalesce": True, "max_instances": 1},
    )
    for job in (jobs if jobs is not None else registry.load_jobs()).values():
        scheduler.add_job(
            run_scheduled,
            CronTrigger.from_crontab(job.cron, timezone=registry.TIMEZONE),
            args=(app, job.name),
            id=job.name,
            name=job.name,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=job.misfire_grace_time,
        )
    return scheduler


def run_forever(app: Flask) -> None:
    """Start the scheduler and block until SIGTERM or Ctrl-C; a running job finishes first."""
    scheduler = build_scheduler(app)

    def stop(signum, _frame) -> None:
        log.info("Planner stopt (signaal %s); lopende taken maken hun werk af", signum)
        scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    now = datetime.now(ZoneInfo(registry.TIMEZONE))
    jobs = scheduler.get_jobs()
    log.info(
        "Planner gestart met %d %s (tijdzone %s)",
        len(jobs),
        "taak" if len(jobs) == 1 else "taken",
        registry.TIMEZONE,
    )
    for scheduled in jobs:
        upcoming = scheduled.trigger.get_next_fire_time(None, now)
        log.info("  %s: volgende keer %s", scheduled.id, upcoming.isoformat())
    scheduler.start()  # blocks until stop()
    log.info("Planner gestopt")
