"""The hash chain over the audit log.

Events are collected per transaction and chained in `before_commit`, so the lock on the chain
head is held only for the commit itself. Each record stores the hash of the previous record and
the SHA-256 of (previous hash | canonical JSON of its own content). Changing a record breaks its
own hash; removing one breaks the sequence or the link; removing the last ones leaves the head
ahead of the chain.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from levensloop.audit.models import GENESIS_HASH, AuditChainHead, AuditEvent

PENDING = "levensloop_audit_pending"
CONTENT_FIELDS = (
    "id",
    "occurred_at",
    "event_type",
    "outcome",
    "actor_user_id",
    "actor_organisation_id",
    "actor_roles",
    "on_behalf_of_user_id",
    "region_id",
    "person_id",
    "categories",
    "purpose",
    "legal_basis",
    "object_type",
    "object_id",
    "access_point",
    "details",
    "chain_seq",
)


def canonical(record: AuditEvent) -> bytes:
    content = {}
    for name in CONTENT_FIELDS:
        value = getattr(record, name)
        if name == "occurred_at":
            value = value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        elif value is not None and name != "details" and not isinstance(value, int | str):
            value = str(value)
        content[name] = value
    return json.dumps(
        content, sort_keys=True, separators=(",", ":"), ensure_ascii=True, default=str
    ).encode()


def compute_hash(prev_hash: str, record: AuditEvent) -> str:
    return hashlib.sha256(prev_hash.encode() + b"|" + canonical(record)).hexdigest()


def add_pending(session: Session, record: AuditEvent) -> None:
    if not session.in_transaction():
        session.begin()  # so that a rollback also drops the pending events
    session.info.setdefault(PENDING, []).append(record)


def _seal(session: Session) -> None:
    pending = session.info.pop(PENDING, None)
    if not pending:
        return
    bump = (
        sa.update(AuditChainHead)
        .where(AuditChainHead.id == 1)
        .values(seq=AuditChainHead.seq + len(pending))
        .returning(AuditChainHead.seq, AuditChainHead.hash)
    )
    row = session.execute(bump).one_or_none()
    if row is None:  # a database built without the migrations: start the chain
        session.add(AuditChainHead(id=1, seq=0, hash=GENESIS_HASH))
        session.flush()
        row = session.execute(bump).one()
    seq, prev = row[0] - len(pending), row[1]
    for record in pending:
        seq += 1
        record.chain_seq = seq
        record.prev_hash = prev
        record.hash = prev = compute_hash(prev, record)
        session.add(record)
    session.execute(
        sa.update(AuditChainHead)
        .where(AuditChainHead.id == 1)
        .values(hash=prev)
        .execution_options(synchronize_session=False)
    )


def _drop_pending(session: Session, *args) -> None:
    session.info.pop(PENDING, None)


def install() -> None:
    if not event.contains(Session, "before_commit", _seal):
        event.listen(Session, "before_commit", _seal)
        event.listen(Session, "after_soft_rollback", _drop_pending)


@dataclass
class VerifyResult:
    ok: bool
    count: int
    head_hash: str
    broken_seq: int | None = None
    reason: str | None = None


def verify(session: Session, batch_size: int = 5000) -> VerifyResult:
    query = (
        sa.select(AuditEvent).order_by(AuditEvent.chain_seq).execution_options(yield_per=batch_size)
    )
    records = session.scalars(query)
    try:
        return _walk(session, records)
    finally:
        records.close()


def _walk(session: Session, records) -> VerifyResult:
    expected_seq, prev, count = 1, GENESIS_HASH, 0
    for record in records:
        if record.chain_seq != expected_seq:
            return VerifyResult(
                False, count, prev, expected_seq, "record ontbreekt (volgnummer overgeslagen)"
            )
        if record.prev_hash != prev:
            return VerifyResult(
                False, count, prev, record.chain_seq, "verwijzing naar vorig record klopt niet"
            )
        if compute_hash(prev, record) != record.hash:
            return VerifyResult(False, count, prev, record.chain_seq, "inhoud gewijzigd")
        prev = record.hash
        expected_seq += 1
        count += 1
    head = session.get(AuditChainHead, 1)
    if head is not None and (head.seq != count or head.hash != prev):
        return VerifyResult(
            False, count, prev, count + 1, "records aan het eind verwijderd (kop loopt voor)"
        )
    return VerifyResult(True, count, prev)
