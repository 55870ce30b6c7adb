"""`python -m loadtest`: simulated users per role against gunicorn workers on PostgreSQL.

    .venv/bin/python -m loadtest --users 50 --duration 300 --workers 2 --json FILE

Makes a fresh database on the PostgreSQL server (--database-url, else
LEVENSLOOP_TEST_POSTGRES_URL, else postgresql+psycopg://postgres@127.0.0.1:5432/test), migrates
and seeds it (loadtest/seed.py), starts gunicorn with the production configuration (see
SERVER_DIFFERENCES), runs locust headless in its own process (loadtest/locustfile.py) and, while
it runs, the concurrent-edit run (loadtest/concurrent.py). Prints a table per request name and
overall (requests, failures, p50, p95, req/s), writes JSON, stops everything and drops the
database. Exit code 0 only with no failed request, no server error, every role active and the
concurrent-edit checks holding.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import requests

import config as config_package
from loadtest import client as web
from loadtest import concurrent, seed

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS = "redis://127.0.0.1:6379/15"
# The login limit is per IP address; every simulated user comes from 127.0.0.1 here.
LOGIN_RATE_LIMIT = "1000 per minute"
SERVER_DIFFERENCES = {
    "LEVENSLOOP_LOGIN_RATE_LIMIT": (
        f"{LOGIN_RATE_LIMIT} instead of 20 per minute: the limit counts per IP address and all "
        "simulated users share 127.0.0.1"
    ),
    "TLS": (
        "no TLS proxy in front of gunicorn: the clients send X-Forwarded-Proto: https as the "
        "proxy would, and send the Secure session cookie back over the plain loopback hop"
    ),
    "Referer": (
        "POSTs carry a same-origin Referer (Flask-WTF requires one on https requests); a "
        "browser under the application's Referrer-Policy: no-referrer sends none"
    ),
}
LOGIN_MARK = "inloggen"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _check_redis(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=3)
    try:
        client.ping()
    finally:
        client.close()


# ---------------------------------------------------------------- processes


class Gunicorn:
    """gunicorn with N sync workers (as in the README) and the production configuration."""

    def __init__(self, database_url: str, master_keys: str, redis_url: str, workers: int,
                 log_path: Path) -> None:  # fmt: skip
        self.port = _free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        env = {
            **os.environ,
            "LEVENSLOOP_CONFIG": "production",
            "LEVENSLOOP_SECRET_KEY": secrets.token_urlsafe(48),
            "LEVENSLOOP_DATABASE_URL": database_url,
            "LEVENSLOOP_MASTER_KEYS": master_keys,
            "LEVENSLOOP_RATELIMIT_STORAGE_URI": redis_url,
            "LEVENSLOOP_LOGIN_RATE_LIMIT": LOGIN_RATE_LIMIT,
            "LEVENSLOOP_MAIL_ENABLED": "0",
        }
        for name in (
            "LEVENSLOOP_FORCE_HTTPS",
            "LEVENSLOOP_MASTER_KEY_FILE",
            "LEVENSLOOP_INDEX_KEY",
        ):
            env.pop(name, None)
        self._log = log_path.open("w")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "120",
                "--graceful-timeout",
                "10",
                "wsgi:app",
            ],  # fmt: skip
            cwd=PROJECT_ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn stopte bij het starten; zie {self.log_path}")
            try:
                response = requests.get(
                    self.base_url + "/healthz", headers=web.PROXY_HEADERS, timeout=5
                )
                if response.status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise RuntimeError("gunicorn werd niet bereikbaar")

    def server_errors(self) -> list[str]:
        """The 500s the application logged (method and path only, no personal data)."""
        self._log.flush()
        lines = self.log_path.read_text(errors="replace").splitlines()
        return [
            line.split("Onverwachte fout bij ", 1)[1]
            for line in lines
            if "Onverwachte fout" in line
        ]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()


def start_locust(args, base_url: str, accounts_file: Path, samples_file: Path, out: Path):
    env = {
        **os.environ,
        "LOADTEST_ACCOUNTS": str(accounts_file),
        "LOADTEST_SAMPLES": str(samples_file),
        "PYTHONPATH": str(PROJECT_ROOT),
    }
    log = (out / "locust.log").open("w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(PROJECT_ROOT / "loadtest" / "locustfile.py"),
            "--headless",
            "-u",
            str(args.users),
            "-r",
            str(args.spawn_rate),
            "-t",
            f"{args.duration}s",
            "--stop-timeout",
            "10",
            "--host",
            base_url,
            "--csv",
            str(out / "locust"),
            "--html",
            str(out / "locust.html"),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],  # fmt: skip
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    return proc, log


# ---------------------------------------------------------------- results


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(q * len(ordered) + 0.5) - 1))
    return round(ordered[index], 1)


def summarise(samples: list, seconds: float) -> dict:
    times = [s["ms"] for s in samples]
    return {
        "requests": len(samples),
        "failures": sum(1 for s in samples if not s["ok"]),
        "p50_ms": round(statistics.median(times), 1) if times else 0.0,
        "p95_ms": percentile(times, 0.95),
        "requests_per_s": round(len(samples) / seconds, 2) if seconds else 0.0,
    }


def endpoint_rows(out: Path) -> list[dict]:
    rows = []
    with (out / "locust_stats.csv").open() as handle:
        for row in csv.DictReader(handle):
            rows.append(
                {
                    "method": row["Type"],
                    "name": row["Name"],
                    "requests": int(row["Request Count"]),
                    "failures": int(row["Failure Count"]),
                    "p50_ms": float(row["50%"] or 0),
                    "p95_ms": float(row["95%"] or 0),
                    "requests_per_s": round(float(row["Requests/s"] or 0), 2),
                }
            )
    return rows


def failure_rows(out: Path) -> list[dict]:
    path = out / "locust_failures.csv"
    if not path.exists():
        return []
    with path.open() as handle:
        return [
            {"method": r["Method"], "name": r["Name"], "error": r["Error"],
             "occurrences": int(r["Occurrences"])}
            for r in csv.DictReader(handle)
        ]  # fmt: skip


def table(result: dict) -> str:
    head = "| verzoek | aantal | fouten | p50 ms | p95 ms | req/s |"
    rows = [head, "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for e in result["endpoints"]:
        if e["name"] == "Aggregated":
            continue
        rows.append(
            f"| {e['method']} {e['name']} | {e['requests']} | {e['failures']} | "
            f"{e['p50_ms']:.0f} | {e['p95_ms']:.0f} | {e['requests_per_s']} |"
        )
    for label, part in (("totaal", result), ("zonder inloggen", result["without_login"])):
        rows.append(
            f"| **{label}** | {part['requests']} | {part['failures']} | {part['p50_ms']:.0f} | "
            f"{part['p95_ms']:.0f} | {part['requests_per_s']} |"
        )
    lines = ["\n".join(rows), ""]
    for role, part in result["per_role"].items():
        lines.append(
            f"{role}: {part['users']} gebruikers, {part['requests']} verzoeken, "
            f"{part['failures']} fouten, p50 {part['p50_ms']:.0f} ms, p95 {part['p95_ms']:.0f} ms"
        )
    edit = result["concurrent_edit"]
    for kind in ("section", "action_status"):
        part = edit.get(kind)
        if part:
            lines.append(
                f"gelijktijdig bewerken ({kind}): {part['editors']} bewerkers, {part['attempts']} "
                f"pogingen, {part['accepted']} opgeslagen, {part['refused_with_conflict_message']} "
                f"geweigerd met conflictmelding, {part['errors']} fout; versie "
                f"{part['version_start']} -> {part['version_final']}"
            )
    if edit.get("adds"):
        adds = edit["adds"]
        lines.append(
            f"gelijktijdig toevoegen: {adds['action_rows_added']} acties en "
            f"{adds['contact_rows_added']} contacten erbij voor {adds['editors']} bewerkers"
        )
    lines.append(f"serverfouten (500) in het log: {len(result['server_errors'])}")
    lines.append("problemen: " + ("; ".join(result["problems"]) or "geen"))
    return "\n".join(lines)


# ---------------------------------------------------------------- the run


def run(args) -> dict:
    env = config_package.test_environment()
    server_url = args.database_url or env["postgres_url"] or DEFAULT_POSTGRES
    redis_url = args.redis_url or env["redis_url"] or DEFAULT_REDIS
    out = Path(args.artifacts)
    out.mkdir(parents=True, exist_ok=True)
    _check_redis(redis_url)
    counts = seed.role_counts(args.users)
    private = Path(tempfile.mkdtemp(prefix="levensloop-load-"))
    os.chmod(private, 0o700)
    master_keys = seed.new_master_keys()
    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    load_before = os.getloadavg()
    database_url = seed.create_database(server_url)
    server = None
    locust = log = None
    try:
        print(f"Database aanmaken en vullen ({args.users} gesimuleerde gebruikers) ...")
        seeded = seed.seed(database_url, master_keys, args.users, editors=args.editors)
        accounts = seeded.as_json()
        accounts_file = private / "accounts.json"
        accounts_file.write_text(json.dumps({"accounts": accounts["accounts"], "counts": counts}))
        samples_file = private / "samples.json"
        server = Gunicorn(database_url, master_keys, redis_url, args.workers, out / "gunicorn.log")
        server.wait_ready()
        print(f"gunicorn: {args.workers} workers op {server.base_url}; locust: {counts}")
        locust, log = start_locust(args, server.base_url, accounts_file, samples_file, out)
        begun = time.monotonic()

        edit_result: dict = {}

        def edits() -> None:
            edit_result.update(
                concurrent.run(
                    server.base_url,
                    accounts["editors"],
                    accounts["target"],
                    database_url,
                    attempts=args.edit_attempts,
                )
            )

        # Alongside the simulated users: halfway, when everyone is logged in and working.
        time.sleep(max(0.0, args.duration * 0.5 - (time.monotonic() - begun)))
        print("Gelijktijdig bewerken ...")
        editing = threading.Thread(target=edits)
        editing.start()
        editing.join(timeout=args.duration + 900)
        try:
            locust.wait(timeout=args.duration + 300)
        except subprocess.TimeoutExpired:
            locust.kill()
            locust.wait()
            raise RuntimeError("locust stopte niet op tijd") from None
        elapsed = time.monotonic() - begun
        samples = json.loads(samples_file.read_text()) if samples_file.exists() else []
        server_errors = server.server_errors()
    finally:
        if locust is not None and locust.poll() is None:
            locust.kill()
            locust.wait()
        if log is not None:
            log.close()
        if server is not None:
            server.stop()
        seed.drop_database(database_url)
        shutil.rmtree(private, ignore_errors=True)

    duration = float(args.duration)
    working = [s for s in samples if LOGIN_MARK not in s["name"]]
    result: dict = {
        "users": args.users,
        "duration_s": args.duration,
        "workers": args.workers,
        "spawn_rate": args.spawn_rate,
        **summarise(samples, duration),
        "without_login": summarise(working, duration),
        "per_role": {},
        "endpoints": endpoint_rows(out),
        "failure_details": failure_rows(out),
        "server_errors": server_errors,
        "concurrent_edit": edit_result,
        "server": {
            "gunicorn_worker_class": "sync",
            "configuration": "production",
            "differences_from_production": SERVER_DIFFERENCES,
            "database": "PostgreSQL (fresh database, dropped afterwards)",
            "rate_limit_store": "Redis",
        },
        "data": {"persons_bench": seeded.persons, "seed_seconds": seeded.seconds},
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
            "note": "shared machine: other processes used the same CPUs during the run",
        },
        "started_at": started_at,
        "locust_seconds": round(elapsed, 1),
    }
    for role, users in counts.items():
        mine = [s for s in samples if s["name"].startswith(f"{role}:")]
        result["per_role"][role] = {"users": users, **summarise(mine, duration)}
    problems = []
    if result["failures"]:
        problems.append(f"{result['failures']} mislukte verzoeken")
    if server_errors:
        problems.append(f"{len(server_errors)} serverfouten (500) in het log")
    idle = [r for r, part in result["per_role"].items() if not part["requests"]]
    if idle:
        problems.append("rollen zonder verzoeken: " + ", ".join(idle))
    busy = [
        r
        for r, part in result["per_role"].items()
        if not [s for s in working if s["name"].startswith(f"{r}:")]
    ]
    if busy:
        problems.append("rollen die na het inloggen niets deden: " + ", ".join(busy))
    if not edit_result.get("ok"):
        problems.extend(edit_result.get("problems") or ["gelijktijdig bewerken liep niet"])
    result["problems"] = problems
    result["ok"] = not problems
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m loadtest", description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=int, default=300, help="seconden")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn-workers (minstens 2)")
    parser.add_argument("--spawn-rate", type=float, default=5, help="nieuwe gebruikers per seconde")
    parser.add_argument("--editors", type=int, default=20, help="bewerkers in de gelijktijdige run")
    parser.add_argument("--edit-attempts", type=int, default=3, help="opslagpogingen per bewerker")
    parser.add_argument("--database-url", help="PostgreSQL-server (er komt een eigen database op)")
    parser.add_argument("--redis-url", help="Redis voor de inlogbeperking")
    parser.add_argument("--artifacts", default=str(PROJECT_ROOT / "test-artifacts" / "load"))
    parser.add_argument("--json", type=Path, help="schrijf de resultaten als JSON")
    args = parser.parse_args(argv)
    if args.workers < 2:
        parser.error("--workers moet minstens 2 zijn")
    result = run(args)
    print()
    print(table(result))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False))
        print(f"JSON: {args.json}")
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
