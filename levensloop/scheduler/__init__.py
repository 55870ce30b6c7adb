"""The scheduler: its own process (never inside web workers), jobs claimed per period.

Run it as ONE process next to the web workers::

    flask --app levensloop scheduler run        # APScheduler 3, cron in Europe/Amsterdam
    flask --app levensloop scheduler list       # one job per line: name, cron, period, text
    flask --app levensloop scheduler run-once JOB [--period P]

Every run, scheduled or by hand, first claims the row (job, period) in `job_runs` in a
transaction of its own (`runner.run_job`). The unique constraint on that pair means two
scheduler processes never run a job twice for one period, and a second `run-once` for the
same period is a harmless skip ("overgeslagen"). A failed run may be claimed again.

Registering a job
-----------------
A job is a thin function `(app, period) -> str | None` that calls services; it runs inside a
fresh app context (its own database session) and may return a short summary for the log
(counts only, never personal data). Decorate it in a `jobs.py` of your module::

    from levensloop.scheduler.registry import DAILY, job

    @job(
        "titels-signaleren",
        cron="15 6 * * *",            # five crontab fields, Europe/Amsterdam
        period=DAILY,                 # hourly | daily | weekly: the unit a run claims
        description="Meldt titels die binnen 90, 60 of 30 dagen aflopen.",
    )
    def signal_titles(app, period: str) -> str:
        count = titles_services.raise_expiry_alerts(today=local_today())
        return f"{count} berichten"

and add the module's path to `JOB_MODULES` in `levensloop/scheduler/registry.py`. Alerts go
to users through `levensloop.notifications.services.notify(...)` with a `dedup_key` that
names the alert and its period, so a rerun creates nothing twice.

APScheduler is imported only in `process.py`, which only `scheduler run` loads: creating the
web app never loads or starts a scheduler.
"""
