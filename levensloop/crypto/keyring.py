"""Versioned 256-bit master keys, read from a setting or from a key file outside the database.

Format (setting or file, one entry per comma or line): ``<version>:<base64 key>``.
The highest version is the active one.
"""

from __future__ import annotations

import base64
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from levensloop.crypto import aead


class KeyringError(Exception):
    pass


@dataclass(frozen=True)
class Keyring:
    master_keys: dict[int, bytes]

    @property
    def active_version(self) -> int:
        return max(self.master_keys)

    def derived(self, version: int, purpose: bytes) -> bytes:
        """A 256-bit key for one purpose, derived with HKDF from a master key version."""
        try:
            master = self.master_keys[version]
        except KeyError:
            raise aead.DecryptionError(f"hoofdsleutel versie {version} ontbreekt") from None
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(master)

    # Secrets that belong to no person (TOTP seeds) are sealed under a derived system key.
    SYSTEM_PURPOSE = b"levensloop/system-secrets/v1"

    def seal_system_secret(self, plaintext: bytes, context: bytes) -> bytes:
        version = self.active_version
        return aead.encrypt(self.derived(version, self.SYSTEM_PURPOSE), version, plaintext, context)

    def open_system_secret(self, blob: bytes, context: bytes) -> bytes:
        version = aead.key_version_of(blob)
        return aead.decrypt(self.derived(version, self.SYSTEM_PURPOSE), blob, context)


def parse_keys(text: str) -> dict[int, bytes]:
    keys: dict[int, bytes] = {}
    for raw in text.replace("\n", ",").split(","):
        entry = raw.strip()
        if not entry or entry.startswith("#"):
            continue
        version_text, sep, b64 = entry.partition(":")
        if not sep or not version_text.strip().isdigit():
            raise KeyringError("sleutelregel moet de vorm '<versie>:<base64>' hebben")
        try:
            key = base64.b64decode(b64.strip(), validate=True)
        except ValueError as exc:
            raise KeyringError("sleutel is geen geldige base64") from exc
        if len(key) != 32:
            raise KeyringError("een hoofdsleutel moet 256 bits (32 bytes) zijn")
        keys[int(version_text)] = key
    if not keys:
        raise KeyringError("geen hoofdsleutels gevonden")
    return keys


def generate_key_file(path: Path) -> None:
    """Create a key file with one fresh master key, readable by the owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    line = f"1:{base64.b64encode(secrets.token_bytes(32)).decode()}\n"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(line)


def load_keyring(keys_setting: str | None, key_file: str | None) -> Keyring:
    if keys_setting:
        return Keyring(parse_keys(keys_setting))
    if key_file and Path(key_file).exists():
        return Keyring(parse_keys(Path(key_file).read_text()))
    raise KeyringError("geen hoofdsleutels: zet LEVENSLOOP_MASTER_KEYS of LEVENSLOOP_MASTER_KEY_FILE")
