"""`python -m bench` works: generator and runner at a tiny scale on SQLite (a few seconds)."""

from __future__ import annotations

import json

from bench import generate as gen
from bench.__main__ import main


def test_bench_runs_end_to_end(tmp_path):
    url = f"sqlite:///{tmp_path / 'bench.db'}"
    out = tmp_path / "bench.json"
    main(
        [
            "--scale", "30", "--regions", "1", "--db", "sqlite", "--url", url,
            "--requests", "3", "--warmup", "1", "--concurrency", "2", "--json", str(out),
        ]
    )  # fmt: skip
    result = json.loads(out.read_text())
    for key in (
        "person",
        "caseload",
        "region_overview_first",
        "region_overview_middle",
        "bsn_search",
        "national_report",
    ):
        assert result[key]["p50_ms"] > 0 and result[key]["p95_ms"] >= result[key]["p50_ms"]
    assert result["ceiling"]["minimal_rps"] > 0 and result["ceiling"]["person_rps"] > 0
    nulls = result["null_cipher"]
    assert nulls["person_aes_gcm"]["p50_ms"] > 0 and nulls["person_null_cipher"]["p50_ms"] > 0
    assert nulls["decrypt_lookups"]["hits"] > 0
    assert result["generation"]["seconds"] > 0 and result["generation"]["rows"] > 2000
    assert not (tmp_path / "bench.db").exists()  # removed without --keep
    assert not gen.manifest_path(url).exists()


def test_generated_audit_chain_verifies(tmp_path):
    url = f"sqlite:///{tmp_path / 'chain.db'}"
    manifest = gen.generate("sqlite", 12, url=url, regions=2, log=lambda *_: None)
    assert manifest.sample_persons and manifest.sample_bsns
    app = gen.build_app(url)
    with app.app_context():
        from levensloop.audit.chain import verify
        from levensloop.extensions import db

        outcome = verify(db.session())
        assert outcome.ok and outcome.count >= 12 * gen.AUDIT_PER_PERSON
        db.session.remove()
        db.engine.dispose()
    gen.drop_database(url)
    gen.manifest_path(url).unlink(missing_ok=True)
