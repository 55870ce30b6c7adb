"""The scheduler: the job list, claim-and-run per (job, period), periods in Europe/Amsterdam,
the APScheduler set-up, that the web app never loads it, and exactly once with two processes
against PostgreSQL."""

from __future__ import annotations

import contextvars
import logging
import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from config.testing import TestingConfig
from levensloop.auth.models import Role
from levensloop.extensions import db
from levensloop.notifications import mail, services
from levensloop.notifications.models import Notification
from levensloop.scheduler import registry
from levensloop.scheduler.models import JobRun
from levensloop.scheduler.runner import run_scheduled

PROJECT_ROOT = Path(__file__).resolve().parents[2]
JOB = "berichten-mailen"


def _invoke(app, *args):
    """A command as its own process would run it: a fresh context with this app only."""
    return contextvars.Context().run(app.test_cli_runner().invoke, args=list(args))


def _runs(job=JOB):
    db.session.expire_all()
    return list(db.session.scalars(sa.select(JobRun).where(JobRun.job == job)))


@pytest.fixture
def temporary_job(monkeypatch):
    """Register a job for one test; `behaviour` decides what it does."""
    behaviour = {"raise": None, "calls": []}

    def work(app, period):
        behaviour["calls"].append(period)
        if behaviour["raise"] is not None:
            raise behaviour["raise"]
        return "1 ding gedaan"

    job = registry.Job(
        name="testtaak",
        func=work,
        cron="30 5 * * *",
        period=registry.DAILY,
        description="Alleen voor de test.",
    )
    monkeypatch.setitem(registry.JOBS, job.name, job)
    return behaviour


# ---------------------------------------------------------------- the commands


def test_list_prints_one_job_per_line_name_first(app):
    result = _invoke(app, "scheduler", "list")
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    names = [line.split("\t")[0] for line in lines]
    assert names == sorted(registry.load_jobs()) and JOB in names
    line = next(line for line in lines if line.startswith(JOB))
    assert line.split("\t")[1:3] == ["0 * * * *", "per uur"]
    assert "e-mail" in line


@pytest.mark.asvs("V2.3.4")
def test_run_once_twice_for_one_period_second_skips(app, world, clock):
    first = _invoke(app, "scheduler", "run-once", JOB)
    assert first.exit_code == 0 and f"{JOB} 2026-11-02T10: klaar" in first.output
    second = _invoke(app, "scheduler", "run-once", JOB)
    assert second.exit_code == 0 and "overgeslagen" in second.output
    runs = _runs()
    assert [(r.period, r.status, r.attempts) for r in runs] == [("2026-11-02T10", "ok", 1)]
    assert runs[0].finished_at is not None and runs[0].pid == os.getpid()
    other = _invoke(app, "scheduler", "run-once", JOB, "--period", "2026-11-02T09")
    assert other.exit_code == 0 and "klaar" in other.output
    assert len(_runs()) == 2


def test_unknown_job_is_a_dutch_error(app):
    result = _invoke(app, "scheduler", "run-once", "bestaat-niet")
    assert result.exit_code != 0
    assert "Onbekende taak 'bestaat-niet'" in result.output and JOB in result.output
    assert _runs("bestaat-niet") == []


@pytest.mark.parametrize("period", ["2026-11-02", "morgen", "2026-11-02T24", "2026-W45"])
def test_a_period_of_the_wrong_form_is_refused(app, clock, period):
    result = _invoke(app, "scheduler", "run-once", JOB, "--period", period)
    assert result.exit_code != 0 and "Ongeldige periode" in result.output
    assert _runs() == []


def test_a_future_period_is_refused(app, clock):
    result = _invoke(app, "scheduler", "run-once", JOB, "--period", "2026-11-02T11")
    assert result.exit_code != 0 and "nog niet begonnen" in result.output
    assert _runs() == []


def test_a_failed_run_is_recorded_by_class_name_and_may_be_claimed_again(
    app, clock, temporary_job, caplog
):
    caplog.set_level(logging.INFO, logger="levensloop")
    temporary_job["raise"] = RuntimeError("geheime melding over Jansen")
    failed = _invoke(app, "scheduler", "run-once", "testtaak")
    assert failed.exit_code != 0 and "testtaak 2026-11-02: mislukt (RuntimeError)" in failed.output
    [run] = _runs("testtaak")
    assert (run.status, run.error, run.attempts) == ("failed", "RuntimeError", 1)
    assert "Jansen" not in caplog.text and "Jansen" not in failed.output
    temporary_job["raise"] = None
    retried = _invoke(app, "scheduler", "run-once", "testtaak", "--period", "2026-11-02")
    assert retried.exit_code == 0 and "klaar (1 ding gedaan)" in retried.output
    [run] = _runs("testtaak")
    assert (run.status, run.error, run.attempts) == ("ok", None, 2)
    again = _invoke(app, "scheduler", "run-once", "testtaak")
    assert again.exit_code == 0 and "overgeslagen" in again.output
    assert temporary_job["calls"] == ["2026-11-02", "2026-11-02"]


def test_the_scheduler_trigger_goes_through_the_same_claim(app, clock, temporary_job):
    run_scheduled(app, "testtaak")
    run_scheduled(app, "testtaak")
    assert temporary_job["calls"] == ["2026-11-02"]
    assert [(r.period, r.status) for r in _runs("testtaak")] == [("2026-11-02", "ok")]


# ---------------------------------------------------------------- periods and APScheduler


@pytest.mark.parametrize(
    ("period", "moment", "key"),
    [
        (registry.HOURLY, datetime(2026, 11, 23, 5, 30, tzinfo=UTC), "2026-11-23T06"),
        (registry.HOURLY, datetime(2026, 7, 1, 22, 15, tzinfo=UTC), "2026-07-02T00"),
        (registry.DAILY, datetime(2026, 11, 23, 23, 30, tzinfo=UTC), "2026-11-24"),
        (registry.WEEKLY, datetime(2026, 11, 23, 12, 0, tzinfo=UTC), "2026-W48"),
        (registry.WEEKLY, datetime(2027, 1, 1, 12, 0, tzinfo=UTC), "2026-W53"),
    ],
)
def test_period_keys_are_in_amsterdam_time(period, moment, key):
    assert registry.period_key(period, moment) == key
    assert registry.period_key(period, registry.period_start(period, key)) == key


def test_the_scheduler_uses_cron_in_amsterdam_coalesced_one_instance(app):
    from apscheduler.schedulers.blocking import BlockingScheduler

    from levensloop.scheduler.process import build_scheduler

    scheduler = build_scheduler(app)
    assert isinstance(scheduler, BlockingScheduler) and not scheduler.running
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == set(registry.load_jobs())
    for name, job in jobs.items():
        assert str(job.trigger.timezone) == "Europe/Amsterdam"
        assert job.coalesce is True and job.max_instances == 1
        assert job.misfire_grace_time == registry.load_jobs()[name].misfire_grace_time > 0
        assert job.args == (app, name)
    mailer = jobs[JOB].trigger
    assert str(mailer) == "cron[month='*', day='*', day_of_week='*', hour='*', minute='0']"


def test_the_web_app_never_loads_or_starts_the_scheduler():
    code = (
        "import sys, threading\n"
        "from levensloop import create_app\n"
        "app = create_app('testing')\n"
        "app.test_client().get('/')\n"
        "print(any(m.startswith('apscheduler') for m in sys.modules),\n"
        "      any('apscheduler' in t.name.lower() for t in threading.enumerate()))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert result.stdout.split() == ["False", "False"]


# ---------------------------------------------------------------- two processes


@pytest.mark.asvs("V2.3.4", "V15.4.2")
def test_exactly_once_with_two_scheduler_processes(app, world, backend, database_url, tmp_path):
    if backend != "postgresql":
        pytest.skip("twee planner-processen tegelijk: alleen tegen PostgreSQL")
    users = [world.user(Role.LEVENSLOOPCOORDINATOR) for _ in range(3)]
    for n, user in enumerate(users):
        for m in range(n + 1):
            services.notify(
                user.id,
                world.west.id,
                kind="actie_te_laat",
                title="Een actie in het levensloopplan is over de datum",
                link="/berichten/",
                dedup_key=f"twee-processen:{m}",
            )
    db.session.commit()
    period = "2026-01-05T10"
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("LEVENSLOOP_", "FLASK_"))
    }
    environment.update(
        LEVENSLOOP_CONFIG="development",
        LEVENSLOOP_DATABASE_URL=database_url,
        LEVENSLOOP_SECRET_KEY="twee-processen-" + "x" * 32,
        LEVENSLOOP_MASTER_KEYS=TestingConfig.MASTER_KEYS,
        LEVENSLOOP_INSTANCE_DIR=str(tmp_path),
        LEVENSLOOP_MAIL_ENABLED="1",
        LEVENSLOOP_MAIL_BASE_URL="https://levensloop.test",
    )
    command = [sys.executable, "-m", "flask", "--app", "levensloop"]
    command += ["scheduler", "run-once", JOB, "--period", period]
    processes = [
        subprocess.Popen(
            command,
            cwd=PROJECT_ROOT,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=180) for process in processes]
    assert [process.returncode for process in processes] == [0, 0], outputs
    stdout = [out.strip() for out, _err in outputs]
    assert sorted(line.split(": ")[1].split(" ")[0] for line in stdout) == [
        "klaar",
        "overgeslagen",
    ], stdout
    assert f"{JOB} {period}: klaar (3 e-mail(s) verstuurd)" in stdout
    logs = "".join(err for _out, err in outputs)
    assert len(re.findall(r"E-mail niet verstuurd \(console\)", logs)) == len(users)
    assert "@" not in logs and "@" not in "".join(stdout)
    runs = _runs()
    assert [(r.period, r.status) for r in runs] == [(period, "ok")]
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Notification)
            .where(Notification.emailed_at.is_(None))
        )
        == 0
    )
    assert mail.outbox(app) == []  # nothing was sent by this process
