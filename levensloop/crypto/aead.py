"""AES-256-GCM with a versioned header and associated data.

Layout: magic (2 bytes) | key version (2 bytes, big endian) | nonce (12) | ciphertext+tag (16).
The header is part of the associated data, so a ciphertext cannot be relabelled to another key
or another kind of secret. `context` binds the ciphertext to where it belongs (for fields:
table, column and row id), so a ciphertext copied elsewhere fails to decrypt.
"""

from __future__ import annotations

import os
import struct

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

HEADER_LEN = 4
NONCE_LEN = 12
TAG_LEN = 16
OVERHEAD = HEADER_LEN + NONCE_LEN + TAG_LEN

MAGIC_SYSTEM = b"L1"  # system secrets (TOTP seeds), under the system data key
MAGIC_FIELD = b"LF"  # personal fields, under the person's data key
MAGIC_WRAP = b"LW"  # data keys wrapped by a master key


class DecryptionError(Exception):
    """The ciphertext is damaged, was moved, or its key is gone."""


def header(magic: bytes, key_version: int) -> bytes:
    return magic + struct.pack(">H", key_version)


def key_version_of(blob: bytes, magic: bytes = MAGIC_SYSTEM) -> int:
    if (
        not isinstance(blob, bytes | bytearray | memoryview)
        or len(blob) < OVERHEAD
        or bytes(blob[:2]) != magic
    ):
        raise DecryptionError("geen geldig versleuteld gegeven")
    return struct.unpack(">H", bytes(blob[2:4]))[0]


def encrypt(
    key: bytes, key_version: int, plaintext: bytes, context: bytes, magic: bytes = MAGIC_SYSTEM
) -> bytes:
    head = header(magic, key_version)
    nonce = os.urandom(NONCE_LEN)
    return head + nonce + AESGCM(key).encrypt(nonce, plaintext, head + context)


def decrypt(key: bytes, blob: bytes, context: bytes, magic: bytes = MAGIC_SYSTEM) -> bytes:
    key_version_of(blob, magic)
    blob = bytes(blob)
    head, nonce, body = (
        blob[:HEADER_LEN],
        blob[HEADER_LEN : HEADER_LEN + NONCE_LEN],
        blob[HEADER_LEN + NONCE_LEN :],
    )
    try:
        return AESGCM(key).decrypt(nonce, body, head + context)
    except InvalidTag as exc:
        raise DecryptionError("ontsleutelen mislukt") from exc
