"""`python -m bench`: generate national-scale data and measure the pages that matter.

    .venv/bin/python -m bench --scale 4000 --db sqlite --json bench/results/sqlite-4000.json
    .venv/bin/python -m bench --scale 40000 --baseline 4000 --db postgresql --json FILE

With `--baseline` both databases are generated and measured in one run and the ratios
(scale / baseline) are reported. `--reuse` measures a database generated earlier (its manifest
sits in instance/bench/); `--keep` leaves the databases in place afterwards (by default they
are removed). PostgreSQL uses its own database `levensloop_bench_<scale>` on
postgresql+psycopg://postgres@127.0.0.1:5432 (or --server).
"""

from __future__ import annotations

import argparse
import platform
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from bench import generate as gen
from bench import runner


def _run_scale(args, scale: int, url: str | None) -> dict:
    url = gen.database_url(args.db, scale, url)
    manifest_file = gen.manifest_path(url)
    if args.reuse and manifest_file.exists():
        manifest = gen.Manifest.load(manifest_file)
        print(f"Hergebruik {scale:,} personen ({manifest_file.name}, gegenereerd in "
              f"{manifest.seconds} s)")  # fmt: skip
    else:
        manifest = gen.generate(args.db, scale, url=url, regions=args.regions)
    try:
        result = runner.measure(
            manifest, requests=args.requests, warmup=args.warmup, concurrency=args.concurrency
        )
    finally:
        if not args.keep:
            gen.drop_database(url)
            manifest_file.unlink(missing_ok=True)
    result["generation"] = {
        "seconds": manifest.seconds,
        "stages_seconds": manifest.stages,
        "rows": sum(manifest.rows.values()),
        "regions": manifest.regions,
    }
    return result


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=4000, help="aantal personen (40000 landelijk)")
    parser.add_argument(
        "--baseline", type=int, help="tweede schaal voor de verhouding (bijv. 4000)"
    )
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--url", help="database-URL (alleen zonder --baseline)")
    parser.add_argument("--server", help="PostgreSQL-server-URL voor de eigen benchmarkdatabases")
    parser.add_argument("--regions", type=int, default=gen.REGIONS)
    parser.add_argument("--requests", type=int, default=100, help="metingen per paginasoort")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=4, help="clients voor de doorvoer")
    parser.add_argument("--json", type=Path, help="schrijf de resultaten als JSON")
    parser.add_argument(
        "--reuse", action="store_true", help="meet een eerder gegenereerde database"
    )
    parser.add_argument("--keep", action="store_true", help="laat de databases staan")
    args = parser.parse_args(argv)
    if args.url and args.baseline:
        parser.error("--url kan niet samen met --baseline")
    if args.server:
        gen.POSTGRES_SERVER = make_url(args.server).render_as_string(hide_password=False)

    base = _run_scale(args, args.baseline, None) if args.baseline else None
    result = _run_scale(args, args.scale, args.url)
    if base is not None:
        result["baseline"] = base
        result[f"ratio_{args.scale}_{args.baseline}"] = runner.ratios(result, base)
    result["machine"] = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": __import__("os").cpu_count(),
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    print()
    print(runner.table(result))
    gen_line = f"Genereren: {args.scale:,} personen in {result['generation']['seconds']} s"
    if base is not None:
        gen_line += f"; {args.baseline:,} personen in {base['generation']['seconds']} s"
    print(gen_line + ".")
    if args.json:
        runner.write_json(result, args.json)
        print(f"JSON: {args.json}")
    return result


if __name__ == "__main__":
    main()
