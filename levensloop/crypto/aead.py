"""AES-256-GCM with a versioned header and associated data.

Layout of a ciphertext: b"L1" | key version (2 bytes, big endian) | nonce (12) | ciphertext+tag.
The header is part of the associated data, so a ciphertext cannot be relabelled to another key.
"""

from __future__ import annotations

import os
import struct

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"L1"
HEADER_LEN = len(MAGIC) + 2
NONCE_LEN = 12


class DecryptionError(Exception):
    """The ciphertext is damaged, was moved, or the key is gone."""


def make_header(key_version: int) -> bytes:
    return MAGIC + struct.pack(">H", key_version)


def key_version_of(blob: bytes) -> int:
    if len(blob) < HEADER_LEN + NONCE_LEN + 16 or blob[:2] != MAGIC:
        raise DecryptionError("geen geldig versleuteld gegeven")
    return struct.unpack(">H", blob[2:4])[0]


def encrypt(key: bytes, key_version: int, plaintext: bytes, context: bytes) -> bytes:
    header = make_header(key_version)
    nonce = os.urandom(NONCE_LEN)
    return header + nonce + AESGCM(key).encrypt(nonce, plaintext, header + context)


def decrypt(key: bytes, blob: bytes, context: bytes) -> bytes:
    key_version_of(blob)
    header, nonce, body = blob[:HEADER_LEN], blob[HEADER_LEN:HEADER_LEN + NONCE_LEN], blob[HEADER_LEN + NONCE_LEN:]
    try:
        return AESGCM(key).decrypt(nonce, body, header + context)
    except InvalidTag as exc:
        raise DecryptionError("ontsleutelen mislukt") from exc
