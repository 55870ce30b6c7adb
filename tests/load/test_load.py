"""The load test (issue #8): 50 simulated users per role against gunicorn workers on PostgreSQL,
with a concurrent-edit run alongside, through `python -m loadtest` in its own process (locust
patches the standard library with gevent; it never runs inside pytest).

The duration comes from LEVENSLOOP_LOAD_SECONDS (default 60; CI sets 300). The JSON, the locust
CSV and HTML report and the gunicorn log are kept under test-artifacts/load/.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = PROJECT_ROOT / "test-artifacts" / "load"
USERS = 50
WORKERS = 2
ROLES = ("coordinator", "procesregisseur", "ketenpartner", "privacy_officer", "analyst")

pytestmark = [pytest.mark.load, pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture(scope="module")
def load_run(postgres_server_url):
    """One run of the runner; its JSON result. Without the PostgreSQL test server it skips in
    one line (a failure with LEVENSLOOP_REQUIRE_POSTGRES=1), as every PostgreSQL test does."""
    seconds = int(os.environ.get("LEVENSLOOP_LOAD_SECONDS", "60"))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    result_file = ARTIFACTS / "load.json"
    result_file.unlink(missing_ok=True)
    command = [
        sys.executable, "-m", "loadtest",
        "--users", str(USERS),
        "--duration", str(seconds),
        "--workers", str(WORKERS),
        "--database-url", postgres_server_url,
        "--artifacts", str(ARTIFACTS),
        "--json", str(result_file),
    ]  # fmt: skip
    completed = subprocess.run(
        command,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=seconds + 1800,
    )
    (ARTIFACTS / "runner.log").write_text(completed.stdout + completed.stderr)
    assert result_file.exists(), (
        f"de runner schreef geen JSON (exit {completed.returncode}): {completed.stderr[-3000:]}"
    )
    result = json.loads(result_file.read_text())
    result["_exit_code"] = completed.returncode
    result["_expected_seconds"] = seconds
    return result


def test_load_run_has_no_failed_request(load_run):
    assert load_run["users"] == USERS and load_run["workers"] >= 2
    assert load_run["duration_s"] == load_run["_expected_seconds"]
    assert load_run["requests"] > USERS * 4, "te weinig verzoeken voor een belastingstest"
    assert load_run["failures"] == 0, load_run["failure_details"][:10]
    assert load_run["server_errors"] == [], load_run["server_errors"][:10]
    assert load_run["p50_ms"] > 0 and load_run["p95_ms"] >= load_run["p50_ms"]
    for endpoint in load_run["endpoints"]:
        assert endpoint["failures"] == 0, endpoint


def test_every_role_logged_in_and_worked(load_run):
    assert set(load_run["per_role"]) == set(ROLES)
    assert sum(part["users"] for part in load_run["per_role"].values()) == USERS
    names = [e["name"] for e in load_run["endpoints"]]
    for role in ROLES:
        assert load_run["per_role"][role]["requests"] > 0, role
        worked = [n for n in names if n.startswith(f"{role}:") and "inloggen" not in n]
        assert worked, f"{role} deed na het inloggen niets"
        logged_in = [n for n in names if n == f"{role}: inloggen (code)"]
        assert logged_in, f"{role} logde niet in"


def test_concurrent_edits_lose_nothing(load_run):
    edit = load_run["concurrent_edit"]
    assert edit.get("editors") == 20, edit
    for kind in ("section", "action_status"):
        part = edit[kind]
        # Every refused save got the Dutch conflict message; nothing else (no 500).
        assert part["errors"] == 0, part["error_details"]
        assert part["accepted"] + part["refused_with_conflict_message"] == part["attempts"]
        assert part["accepted"] >= 1 and part["refused_with_conflict_message"] >= 1
        # The version counter counts exactly the accepted edits, as does the audit log.
        assert part["version_final"] == part["version_start"] + part["accepted"], part
        assert part["audit_records"] == part["accepted"], part
        assert part["problems"] == [], part["problems"]
    adds = edit["adds"]
    assert adds["actions_accepted"] == adds["contacts_accepted"] == 20, adds
    assert adds["action_rows_added"] == adds["contact_rows_added"] == 20, adds
    assert set(adds["actions_seen"].values()) == {1}, adds["actions_seen"]
    assert set(adds["contacts_seen"].values()) == {1}, adds["contacts_seen"]
    assert adds["problems"] == [], adds["problems"]
    assert edit["ok"] is True


def test_runner_reports_success_and_keeps_artifacts(load_run):
    assert load_run["problems"] == [] and load_run["ok"] is True, load_run["problems"]
    assert load_run["_exit_code"] == 0
    for name in ("locust_stats.csv", "locust.html", "gunicorn.log", "load.json"):
        assert (ARTIFACTS / name).exists(), name
