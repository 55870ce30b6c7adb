"""Field-encryption benchmark (a script, not a test).

Measures, on this machine, in one run:
  1. store and load of a record with 20 personal fields: our per-person AES-256-GCM with
     row-bound associated data, vs plaintext columns, vs sqlalchemy-utils StringEncryptedType
     with AesGcmEngine (no associated data; one global key);
  2. BSN lookup at 40,000 persons: blind index + candidate check, vs decrypt-and-scan.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python -m bench.bench_crypto [--persons 40000] [--records 2000] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

N_FIELDS = 20
FIELD_VALUE = "Voorbeeldwaarde van een veld, fictief {n}"


def build_app(db_path: Path):
    from levensloop import create_app

    app = create_app({"CONFIG_NAME": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}"})
    return app


def define_models():
    from levensloop.crypto.orm import EncryptedField
    from levensloop.extensions import db

    try:
        from sqlalchemy_utils import StringEncryptedType
        from sqlalchemy_utils.types.encrypted.encrypted_type import AesGcmEngine
    except ImportError as exc:  # pragma: no cover - documented in the module docstring
        raise SystemExit(
            "Installeer eerst de bench-extra: .venv/bin/pip install -e '.[bench]'"
        ) from exc

    plain_cols = {f"f{i}": mapped_column(sa.Text, nullable=True) for i in range(N_FIELDS)}
    plain_cols.update(
        __tablename__="bench_plain",
        id=mapped_column(sa.Uuid, primary_key=True),
        __annotations__={"id": Mapped[uuid.UUID]},
    )
    Plain = type("BenchPlain", (db.Model,), plain_cols)

    ours_cols = {f"f{i}_enc": mapped_column(sa.LargeBinary, nullable=True) for i in range(N_FIELDS)}
    ours_cols.update({f"f{i}": EncryptedField() for i in range(N_FIELDS)})
    ours_cols.update(
        __tablename__="bench_ours",
        id=mapped_column(sa.Uuid, primary_key=True),
        __annotations__={"id": Mapped[uuid.UUID]},
    )
    Ours = type("BenchOurs", (db.Model,), ours_cols)
    for i in range(N_FIELDS):
        Ours.__dict__[f"f{i}"].__set_name__(Ours, f"f{i}")

    key = "bench-sleutel-niet-voor-productie"
    utils_cols = {
        f"f{i}": mapped_column(StringEncryptedType(sa.Unicode, key, AesGcmEngine), nullable=True)
        for i in range(N_FIELDS)
    }
    utils_cols.update(
        __tablename__="bench_utils",
        id=mapped_column(sa.Uuid, primary_key=True),
        __annotations__={"id": Mapped[uuid.UUID]},
    )
    Utils = type("BenchUtils", (db.Model,), utils_cols)
    return Plain, Ours, Utils


def bench_store_load(db, model, records: int, ours: bool) -> dict:
    from levensloop.keys import services as keys

    ids = [uuid.uuid4() for _ in range(records)]
    start = time.perf_counter()
    for row_id in ids:
        obj = model(id=row_id)
        db.session.add(obj)
        if ours:
            keys.create_data_key(row_id)
        for i in range(N_FIELDS):
            setattr(obj, f"f{i}", FIELD_VALUE.format(n=i))
        db.session.commit()
        db.session.remove()
    store = time.perf_counter() - start
    start = time.perf_counter()
    for row_id in ids:
        obj = db.session.get(model, row_id)
        values = [getattr(obj, f"f{i}") for i in range(N_FIELDS)]
        assert values[3] == FIELD_VALUE.format(n=3)
        db.session.remove()
    load = time.perf_counter() - start
    return {
        "store_ops_per_s": round(records / store, 1),
        "load_ops_per_s": round(records / load, 1),
        "store_ms_per_record": round(store / records * 1000, 3),
        "load_ms_per_record": round(load / records * 1000, 3),
    }


def seed_persons(app, count: int) -> list[str]:
    """Bulk-insert persons through the real encryption (data keys, fields, blind indexes)."""
    from levensloop.crypto import blind_index, fields
    from levensloop.demo import demo_bsns
    from levensloop.extensions import db
    from levensloop.keys.models import DataKey
    from levensloop.organisations.models import Region
    from levensloop.persons.models import Person

    ring = app.extensions["levensloop_keyring"]
    region = Region(code="bench", name="Bench")
    db.session.add(region)
    db.session.commit()
    bsns = demo_bsns(count, start=100000000)
    bsn_key = ring.index_key_for("persons", "bsn")
    name_key = ring.index_key_for("persons", "achternaam")
    person_rows, key_rows = [], []
    for n, bsn in enumerate(bsns):
        pid = uuid.uuid4()
        dek = uuid.uuid4().bytes + uuid.uuid4().bytes
        version, wrapped = ring.wrap(dek, str(pid))
        key_rows.append(
            {
                "id": pid,
                "kind": "person",
                "generation": 1,
                "master_version": version,
                "wrapped_key": wrapped,
            }
        )
        surname = f"Benchnaam{n % 5000}"
        person_rows.append(
            {
                "id": pid,
                "region_id": region.id,
                "status": "actief",
                "version": 1,
                "bsn_enc": fields.encrypt(dek, 1, "persons", "bsn", pid, bsn),
                "achternaam_enc": fields.encrypt(dek, 1, "persons", "achternaam", pid, surname),
                "bsn_bidx": blind_index.compute(bsn_key, bsn, blind_index.BITS["bsn"]),
                "achternaam_bidx": blind_index.compute(
                    name_key, blind_index.normalise_name(surname), blind_index.BITS["achternaam"]
                ),
            }
        )
        if len(person_rows) == 2000:
            db.session.execute(sa.insert(DataKey), key_rows)
            db.session.execute(sa.insert(Person), person_rows)
            db.session.commit()
            person_rows, key_rows = [], []
    if person_rows:
        db.session.execute(sa.insert(DataKey), key_rows)
        db.session.execute(sa.insert(Person), person_rows)
        db.session.commit()
    return bsns


def bench_lookup(app, bsns: list[str], lookups: int) -> dict:
    from levensloop.crypto import fields
    from levensloop.extensions import db
    from levensloop.keys.models import DataKey
    from levensloop.organisations.models import Region
    from levensloop.persons import services
    from levensloop.persons.models import Person

    region = db.session.scalar(sa.select(Region).where(Region.code == "bench"))
    targets = bsns[:: max(1, len(bsns) // lookups)][:lookups]
    index_times, candidates = [], []
    for bsn in targets:
        db.session.remove()
        region = db.session.scalar(sa.select(Region).where(Region.code == "bench"))
        start = time.perf_counter()
        found = services.search(None, region, bsn=bsn, audit=False)
        index_times.append(time.perf_counter() - start)
        assert len(found) == 1 and found[0].bsn == bsn
        candidates.append(
            db.session.scalar(
                sa.select(sa.func.count())
                .select_from(Person)
                .where(Person.bsn_bidx == found[0].bsn_bidx)
            )
        )
    ring = app.extensions["levensloop_keyring"]
    scan_times = []
    for bsn in targets[: max(3, lookups // 10)]:
        db.session.remove()
        start = time.perf_counter()
        rows = db.session.execute(
            sa.select(Person.id, Person.bsn_enc, DataKey.wrapped_key, DataKey.master_version).join(
                DataKey, DataKey.id == Person.id
            )
        ).all()
        match = None
        for pid, blob, wrapped, version in rows:
            dek = ring.unwrap(wrapped, str(pid), version)
            if fields.decrypt(dek, blob, "persons", "bsn", pid) == bsn:
                match = pid
        scan_times.append(time.perf_counter() - start)
        assert match is not None
    return {
        "persons": len(bsns),
        "blind_index_ms_p50": round(statistics.median(index_times) * 1000, 3),
        "blind_index_ms_max": round(max(index_times) * 1000, 3),
        "candidates_per_lookup_mean": round(statistics.mean(candidates), 2),
        "candidates_per_lookup_max": max(candidates),
        "decrypt_scan_ms_p50": round(statistics.median(scan_times) * 1000, 1),
        "speedup": round(statistics.median(scan_times) / statistics.median(index_times), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--persons", type=int, default=40000)
    parser.add_argument("--lookups", type=int, default=200)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = build_app(Path(tmp) / "bench.db")
        with app.app_context():
            from levensloop.extensions import db

            plain, ours, utils = define_models()
            db.create_all()
            results = {
                "records": args.records,
                "fields_per_record": N_FIELDS,
                "database": "sqlite",
                "store_load": {
                    "plaintext": bench_store_load(db, plain, args.records, ours=False),
                    "levensloop_aes_gcm_per_person": bench_store_load(
                        db, ours, args.records, ours=True
                    ),
                    "sqlalchemy_utils_aes_gcm": bench_store_load(
                        db, utils, args.records, ours=False
                    ),
                },
            }
            start = time.perf_counter()
            bsns = seed_persons(app, args.persons)
            results["seed_seconds"] = round(time.perf_counter() - start, 1)
            results["bsn_lookup"] = bench_lookup(app, bsns, args.lookups)
    print(f"{'variant':<34}{'store/s':>10}{'load/s':>10}{'store ms':>10}{'load ms':>10}")
    for name, r in results["store_load"].items():
        print(
            f"{name:<34}{r['store_ops_per_s']:>10}{r['load_ops_per_s']:>10}{r['store_ms_per_record']:>10}{r['load_ms_per_record']:>10}"
        )
    lookup = results["bsn_lookup"]
    print(f"\nBSN lookup at {lookup['persons']} persons (seeded in {results['seed_seconds']} s):")
    print(
        f"  blind index: p50 {lookup['blind_index_ms_p50']} ms, max "
        f"{lookup['blind_index_ms_max']} ms, "
        f"candidates mean {lookup['candidates_per_lookup_mean']} (max "
        f"{lookup['candidates_per_lookup_max']})"
    )
    print(
        f"  decrypt-and-scan: p50 {lookup['decrypt_scan_ms_p50']} ms  (blind index "
        f"{lookup['speedup']}x faster)"
    )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
