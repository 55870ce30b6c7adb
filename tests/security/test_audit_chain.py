"""The audit log is hash-chained: `flask audit verify` passes when intact and names the first
broken record after any change or removal."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from levensloop.audit.chain import verify
from levensloop.audit.models import AuditChainHead, AuditEvent
from levensloop.audit.services import record
from levensloop.extensions import db


def _write(n: int) -> None:
    for i in range(n):
        record("test_event", details={"n": i}, categories=["proces"])
        db.session.commit()


def _tamper(sql: str, **params) -> None:
    """A direct database edit, as someone with database access (bypassing the app) would do."""
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SET LOCAL levensloop.audit_maintenance = 'on'"))
        conn.execute(sa.text(sql), params)
    db.session.expire_all()


def _cli(app, *args):
    import contextvars

    return contextvars.Context().run(app.test_cli_runner().invoke, args=list(args))


@pytest.mark.asvs("V16.4.2")
def test_intact_chain_verifies(app):
    _write(5)
    result = verify(db.session)
    assert result.ok and result.count == 5
    head = db.session.get(AuditChainHead, 1)
    assert head.seq == 5 and head.hash == result.head_hash
    cli = _cli(app, "audit", "verify")
    assert cli.exit_code == 0 and "OK: 5 records" in cli.output and result.head_hash in cli.output


def test_events_of_one_transaction_are_chained_in_order(app):
    record("a")
    record("b")
    db.session.commit()
    rows = list(db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.chain_seq)))
    assert [r.event_type for r in rows] == ["a", "b"]
    assert rows[1].prev_hash == rows[0].hash


def test_rolled_back_events_are_not_written(app):
    record("weg")
    db.session.rollback()
    _write(1)
    assert [r.event_type for r in db.session.scalars(sa.select(AuditEvent))] == ["test_event"]
    assert verify(db.session).ok


@pytest.mark.parametrize(
    "column,value",
    [
        ("event_type", "'read'"),
        ("outcome", "'failure'"),
        ("object_id", "'iets-anders'"),
        ("actor_roles", "'procesregisseur'"),
    ],
)
@pytest.mark.asvs("V16.4.2")
def test_a_changed_record_is_caught(app, column, value):
    _write(5)
    _tamper(f"UPDATE audit_events SET {column} = {value} WHERE chain_seq = 3")
    result = verify(db.session)
    assert not result.ok and result.broken_seq == 3 and result.reason == "inhoud gewijzigd"
    cli = _cli(app, "audit", "verify")
    assert cli.exit_code == 1 and "record 3" in cli.output


@pytest.mark.asvs("V16.4.2")
def test_a_removed_record_is_caught(app):
    _write(5)
    _tamper("DELETE FROM audit_events WHERE chain_seq = 2")
    result = verify(db.session)
    assert not result.ok and result.broken_seq == 2


@pytest.mark.asvs("V16.4.2")
def test_removed_last_records_are_caught(app):
    _write(5)
    _tamper("DELETE FROM audit_events WHERE chain_seq >= 4")
    result = verify(db.session)
    assert not result.ok and result.broken_seq == 4


@pytest.mark.asvs("V16.4.2")
def test_a_recomputed_record_still_breaks_the_link(app):
    """Even someone who recomputes the changed record's hash breaks the next record's link."""
    from levensloop.audit.chain import compute_hash

    _write(4)
    target = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.chain_seq == 2))
    target.event_type = "vervalst"
    new_hash = compute_hash(target.prev_hash, target)
    db.session.rollback()
    _tamper(
        "UPDATE audit_events SET event_type = 'vervalst', hash = :h WHERE chain_seq = 2", h=new_hash
    )
    result = verify(db.session)
    assert not result.ok and result.broken_seq == 3


@pytest.mark.asvs("V16.4.2")
def test_database_refuses_updates_on_postgresql(app, backend):
    if backend != "postgresql":
        pytest.skip(
            "de append-only-trigger bestaat alleen op PostgreSQL; op SQLite vangt de hashketen "
            "het af"
        )
    _write(1)
    with pytest.raises(sa.exc.DBAPIError, match="append-only"), db.engine.begin() as conn:
        conn.execute(sa.text("UPDATE audit_events SET outcome = 'failure'"))
    with pytest.raises(sa.exc.DBAPIError, match="append-only"), db.engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM audit_events"))


def test_verify_on_demo_data_passes(app, runner):
    import contextvars

    contextvars.Context().run(app.test_cli_runner().invoke, args=["seed-demo"])
    cli = _cli(app, "audit", "verify")
    assert cli.exit_code == 0, cli.output
    assert int(cli.output.split("OK: ")[1].split(" ")[0]) > 40
