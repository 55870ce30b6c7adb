"""The ASVS catalogue (tests/asvs.py) agrees with the markers on the tests and with
docs/asvs.md: no unknown ids, no claim without a test, no test for an entry that does not
claim one, and a generated coverage list that is up to date."""

from __future__ import annotations

import ast
import json
import subprocess
import sys

import pytest

from tests import asvs

DOCS = asvs.ROOT / "docs" / "asvs.md"


def _marker_ids_in_source() -> dict[str, list[str]]:
    """Every id in an `asvs(...)` call anywhere under tests/, with where it is used."""
    used: dict[str, list[str]] = {}
    for path in sorted(asvs.TESTS.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == asvs.MARKER
            ):
                for arg in node.args:
                    value = arg.value if isinstance(arg, ast.Constant) else ast.unparse(arg)
                    used.setdefault(str(value), []).append(f"{path.name}:{node.lineno}")
    return used


@pytest.fixture(scope="module")
def coverage() -> dict[str, list[str]]:
    """The markers as pytest collects them, in a separate process (no nested pytest run)."""
    result = subprocess.run(
        [sys.executable, "-m", "tests.asvs", "--json"],
        cwd=asvs.ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def test_catalogue_entries_are_well_formed():
    for req in asvs.requirements():
        assert asvs.ID_RE.match(req.id) and req.chapter in asvs.CHAPTERS, req.id
        assert req.level in (1, 2, 3) and req.status in asvs.STATUSES, req.id
        assert req.text, req.id
        if req.status == asvs.NOT_AUTOMATED:
            assert req.kind in asvs.REASON_KINDS and req.reason, req.id
        if req.status == asvs.NOT_APPLICABLE:
            assert req.reason, req.id
        if req.level == 3:  # Level 3 only when targeted or tested
            assert req.targeted or req.status == asvs.TESTED, req.id
    # Every Level 1 and 2 requirement of ASVS 5.0.0 is listed: 253, per chapter as below.
    per_chapter = {chapter: 0 for chapter in asvs.CHAPTERS}
    for req in asvs.requirements():
        if req.level <= 2:
            per_chapter[req.chapter] += 1
    assert per_chapter == {
        "V1": 27, "V2": 11, "V3": 19, "V4": 10, "V5": 9, "V6": 35, "V7": 18, "V8": 7, "V9": 7,
        "V10": 29, "V11": 14, "V12": 9, "V13": 13, "V14": 9, "V15": 13, "V16": 16, "V17": 7,
    }  # fmt: skip


def test_every_marker_id_is_in_the_catalogue():
    used = _marker_ids_in_source()
    assert len(used) > 50
    unknown = {rid: where for rid, where in used.items() if rid not in asvs.CATALOGUE}
    assert not unknown, f"onbekende ASVS-ids (tikfout?): {unknown}"


def test_every_tested_claim_has_a_test(coverage):
    assert not asvs.unknown_ids(coverage)
    missing = [
        r.id for r in asvs.requirements() if r.status == asvs.TESTED and r.id not in coverage
    ]
    assert not missing, f"'tested' zonder test: {missing}"


def test_no_test_for_an_entry_that_does_not_claim_one(coverage):
    """A new test for an entry marked 'not automated' or 'not applicable': update the catalogue."""
    stale = {
        rid: tests
        for rid, tests in coverage.items()
        if rid in asvs.CATALOGUE and asvs.CATALOGUE[rid].status != asvs.TESTED
    }
    assert not stale, f"zet deze eisen op 'tested' in tests/asvs.py: {stale}"


def test_docs_are_up_to_date(coverage):
    expected = asvs.render_markdown(coverage)
    assert DOCS.exists(), "docs/asvs.md ontbreekt: python -m tests.asvs --markdown docs/asvs.md"
    assert DOCS.read_text(encoding="utf-8") == expected, (
        "docs/asvs.md is verouderd: python -m tests.asvs --markdown docs/asvs.md"
    )


def test_report_counts_add_up(coverage):
    rows = asvs.rows(coverage)
    counts = asvs.counts(rows)
    assert counts["total"] == 253
    assert counts[asvs.TESTED] + counts[asvs.NOT_AUTOMATED] + counts[asvs.NOT_APPLICABLE] == 253
    assert counts[asvs.MISSING] == 0
    assert len(asvs.uncovered(rows)) == counts[asvs.NOT_AUTOMATED]
    text = asvs.render_text(coverage)
    assert "V8.2.2" in text and "test_permission_matrix" in text
