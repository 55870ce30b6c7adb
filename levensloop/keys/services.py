"""The application side of the key hierarchy: a per-session key source, rotation, shredding."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from levensloop.crypto import aead, orm
from levensloop.crypto.keyring import Keyring, new_data_key
from levensloop.db import utcnow
from levensloop.extensions import db
from levensloop.keys.models import SYSTEM_KEY_ID, DataKey

MAGIC_SYSTEM_DEK = b"LS"


def keyring() -> Keyring:
    return current_app.extensions["levensloop_keyring"]


class SessionKeySource:
    """Unwraps each data key at most once per session (one request), not once per field."""

    def __init__(self, session: Session, ring: Keyring) -> None:
        self.session = session
        self.ring = ring
        self.cache: dict[uuid.UUID, tuple[bytes, int]] = {}

    def data_key(self, subject_id: uuid.UUID) -> tuple[bytes, int]:
        cached = self.cache.get(subject_id)
        if cached is not None:
            return cached
        row = self.session.get(DataKey, subject_id)
        if row is None or row.is_shredded:
            raise orm.ShreddedError(str(subject_id))
        key = self.ring.unwrap(row.wrapped_key, str(subject_id), row.master_version)
        self.cache[subject_id] = (key, row.generation)
        return self.cache[subject_id]

    def preload(self, subject_ids) -> None:
        """Unwrap the data keys of many subjects with one query (lists decrypt many rows)."""
        wanted = [i for i in set(subject_ids) if i not in self.cache]
        if not wanted:
            return
        rows = self.session.execute(
            sa.select(
                DataKey.id, DataKey.wrapped_key, DataKey.master_version, DataKey.generation
            ).where(DataKey.id.in_(wanted), DataKey.wrapped_key.is_not(None))
        ).all()
        for subject_id, wrapped, version, generation in rows:
            self.cache[subject_id] = (
                self.ring.unwrap(wrapped, str(subject_id), version),
                generation,
            )

    def create(self, subject_id: uuid.UUID, kind: str = "person") -> None:
        key = new_data_key()
        version, wrapped = self.ring.wrap(key, str(subject_id))
        self.session.add(
            DataKey(id=subject_id, kind=kind, master_version=version, wrapped_key=wrapped)
        )
        self.cache[subject_id] = (key, 1)

    def forget(self, subject_id: uuid.UUID) -> None:
        self.cache.pop(subject_id, None)


def init_keys(app: Flask) -> None:
    orm.configure(lambda session: SessionKeySource(session, app.extensions["levensloop_keyring"]))


def source() -> SessionKeySource:
    return orm.key_source(db.session())  # type: ignore[return-value]


def preload_data_keys(subject_ids) -> None:
    source().preload(subject_ids)


def create_data_key(subject_id: uuid.UUID) -> None:
    source().create(subject_id)


# ---------------------------------------------------------------- system secrets (TOTP seeds)


def _system_key() -> tuple[bytes, int]:
    src = source()
    try:
        return src.data_key(SYSTEM_KEY_ID)
    except orm.ShreddedError:
        pass
    try:
        with db.session.begin_nested():
            src.create(SYSTEM_KEY_ID, kind="system")
    except IntegrityError:  # another process created it first
        src.forget(SYSTEM_KEY_ID)
    return src.data_key(SYSTEM_KEY_ID)


def seal_system_secret(plaintext: bytes, context: bytes) -> bytes:
    key, generation = _system_key()
    return aead.encrypt(key, generation, plaintext, context, MAGIC_SYSTEM_DEK)


def open_system_secret(blob: bytes, context: bytes) -> bytes:
    if bytes(blob[:2]) == aead.MAGIC_SYSTEM:
        return keyring().open_legacy_system_secret(blob, context)
    key, _generation = _system_key()
    return aead.decrypt(key, blob, context, MAGIC_SYSTEM_DEK)


# ---------------------------------------------------------------- status, rewrap, retire


@dataclass
class KeyStatus:
    active_version: int
    versions: list[int]
    keys_per_version: dict[int, int]
    shredded: int
    has_index_key: bool


def status() -> KeyStatus:
    ring = keyring()
    rows = db.session.execute(
        sa.select(DataKey.master_version, sa.func.count())
        .where(DataKey.wrapped_key.is_not(None))
        .group_by(DataKey.master_version)
    ).all()
    shredded = (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(DataKey).where(DataKey.wrapped_key.is_(None))
        )
        or 0
    )
    return KeyStatus(
        ring.active_version,
        sorted(ring.master_keys),
        {v: n for v, n in rows},
        shredded,
        ring.index_key is not None,
    )


def count_behind() -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(DataKey)
            .where(
                DataKey.wrapped_key.is_not(None), DataKey.master_version != keyring().active_version
            )
        )
        or 0
    )


def rewrap(
    batch_size: int = 500,
    on_batch: Callable[[int], None] | None = None,
    stop_after_batches: int | None = None,
) -> int:
    """Re-wrap every data key that is not under the active master key, in committed batches.

    Each batch commits on its own, so an interruption loses at most the batch in progress and a
    new run continues where the last one stopped; running it again when nothing is behind does
    nothing. Returns the number of keys re-wrapped.
    """
    ring = keyring()
    active = ring.active_version
    done = batches = 0
    while True:
        rows = list(
            db.session.scalars(
                sa.select(DataKey)
                .where(DataKey.wrapped_key.is_not(None), DataKey.master_version != active)
                .order_by(DataKey.id)
                .limit(batch_size)
                .with_for_update(skip_locked=True)
            )
        )
        if not rows:
            break
        now = utcnow()
        for row in rows:
            key = ring.unwrap(row.wrapped_key, str(row.id), row.master_version)
            row.master_version, row.wrapped_key = ring.wrap(key, str(row.id))
            row.rewrapped_at = now
        db.session.commit()
        done += len(rows)
        batches += 1
        if on_batch:
            on_batch(len(rows))
        if stop_after_batches is not None and batches >= stop_after_batches:
            break
    return done


def keys_on_version(version: int) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(DataKey)
            .where(DataKey.wrapped_key.is_not(None), DataKey.master_version == version)
        )
        or 0
    )


def shred_data_key(subject_id: uuid.UUID) -> bool:
    """Destroy a data key. Returns False when it was already gone (harmless to repeat)."""
    row = db.session.get(DataKey, subject_id)
    source().forget(subject_id)
    if row is None or row.is_shredded:
        return False
    row.wrapped_key = None
    row.master_version = None
    row.shredded_at = utcnow()
    return True
