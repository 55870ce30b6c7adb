"""Field encryption under a person's data key, bound to table, column and row.

Associated data: the header (magic, data-key generation) plus
``levensloop|<table>|<column>|<row uuid>``. Table and column names are identifiers and the row
id is a UUID, so the parts cannot run into each other.
"""

from __future__ import annotations

import uuid
from datetime import date

from levensloop.crypto import aead


def context(table: str, column: str, row_id: uuid.UUID) -> bytes:
    return f"levensloop|{table}|{column}|{row_id}".encode()


def encrypt(
    key: bytes, generation: int, table: str, column: str, row_id: uuid.UUID, plaintext: str
) -> bytes:
    return aead.encrypt(
        key, generation, plaintext.encode("utf-8"), context(table, column, row_id), aead.MAGIC_FIELD
    )


def decrypt(key: bytes, blob: bytes, table: str, column: str, row_id: uuid.UUID) -> str:
    return aead.decrypt(key, blob, context(table, column, row_id), aead.MAGIC_FIELD).decode("utf-8")


def generation_of(blob: bytes) -> int:
    return aead.key_version_of(blob, aead.MAGIC_FIELD)


def encode(kind: str, value) -> str:
    if kind == "date":
        return value.isoformat()
    if kind == "bool":
        return "1" if value else "0"
    return str(value)


def decode(kind: str, text: str):
    if kind == "date":
        return date.fromisoformat(text)
    if kind == "bool":
        return text == "1"
    return text
