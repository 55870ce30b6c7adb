"""SQLAlchemy integration: declare an encrypted attribute once, read and write plain values.

    class Person(db.Model):
        achternaam_enc = mapped_column(LargeBinary)
        achternaam = EncryptedField()

The ciphertext lives in ``<name>_enc``; the attribute encrypts on assignment and decrypts on
read, with the data key of the row's subject (the person), which a KeySource in the session
supplies and caches for the session (one request). A TypeDecorator cannot do this: it never
sees the row, and the row id belongs in the associated data.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, Protocol

from sqlalchemy.orm import Session, object_session

from levensloop.crypto import fields


class ShreddedError(Exception):
    """The subject's data key was destroyed: the data can no longer be read."""


class KeySource(Protocol):
    def data_key(self, subject_id: uuid.UUID) -> tuple[bytes, int]: ...


_factory: Callable[[Session], KeySource] | None = None


def configure(factory: Callable[[Session], KeySource]) -> None:
    """Register how a session gets its KeySource (the application does this at start-up)."""
    global _factory
    _factory = factory


def key_source(session: Session) -> KeySource:
    source = session.info.get("levensloop_key_source")
    if source is None:
        if _factory is None:
            raise RuntimeError("geen sleutelbron geconfigureerd")
        source = session.info["levensloop_key_source"] = _factory(session)
    return source


class EncryptedField:
    """A personal attribute stored encrypted in ``<name>_enc``."""

    def __init__(self, kind: str = "str", subject: str = "id") -> None:
        self.kind = kind
        self.subject = subject

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name
        self.column = f"{name}_enc"
        owner.__encrypted_fields__ = (*getattr(owner, "__encrypted_fields__", ()), name)

    def _source_and_ids(self, obj: Any):
        session = object_session(obj)
        if session is None:
            raise RuntimeError(f"{type(obj).__name__} moet eerst aan de sessie worden toegevoegd")
        row_id = obj.id
        subject_id = getattr(obj, self.subject)
        if row_id is None or subject_id is None:
            raise RuntimeError("wijs eerst het id en de betrokkene toe")
        return session, key_source(session), row_id, subject_id

    def __get__(self, obj: Any, owner: type | None = None):
        if obj is None:
            return self
        blob = getattr(obj, self.column)
        if blob is None:
            return None
        session, source, row_id, subject_id = self._source_and_ids(obj)
        try:
            with session.no_autoflush:  # looking up a key must not flush half-made changes
                key, _generation = source.data_key(subject_id)
        except ShreddedError:
            return None
        return fields.decode(
            self.kind, fields.decrypt(key, blob, obj.__tablename__, self.name, row_id)
        )

    def __set__(self, obj: Any, value) -> None:
        if value is None or (isinstance(value, str) and value == ""):
            setattr(obj, self.column, None)
            return
        session, source, row_id, subject_id = self._source_and_ids(obj)
        with session.no_autoflush:
            key, generation = source.data_key(subject_id)
        text = fields.encode(self.kind, value)
        setattr(
            obj,
            self.column,
            fields.encrypt(key, generation, obj.__tablename__, self.name, row_id, text),
        )
