"""Versioned 256-bit master keys and the blind-index key, read from settings or a key file that
lives outside the database.

Format (setting or file; entries separated by commas or lines):
  ``<version>:<base64 of 32 bytes>``  a master key; the highest version is the active one
  ``index:<base64 of 32 bytes>``      the blind-index root key (kept apart from the data keys)

Master keys only wrap data keys (one per person, plus the system data key). Rotating them
re-wraps data keys; field ciphertexts stay as they are.
"""

from __future__ import annotations

import base64
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from levensloop.crypto import aead


class KeyringError(Exception):
    pass


@dataclass(frozen=True)
class Keyring:
    master_keys: dict[int, bytes]
    index_key: bytes | None = None
    _derived: dict = field(default_factory=dict, compare=False, repr=False)

    def __repr__(self) -> str:  # never print key material
        index = "ja" if self.index_key else "nee"
        return f"Keyring(versions={sorted(self.master_keys)}, index_key={index})"

    @property
    def active_version(self) -> int:
        return max(self.master_keys)

    def master(self, version: int) -> bytes:
        try:
            return self.master_keys[version]
        except KeyError:
            raise aead.DecryptionError(f"hoofdsleutel versie {version} ontbreekt") from None

    def derive(self, root: bytes, purpose: bytes) -> bytes:
        cache_key = (root, purpose)
        if cache_key not in self._derived:
            self._derived[cache_key] = HKDF(
                algorithm=hashes.SHA256(), length=32, salt=None, info=purpose
            ).derive(root)
        return self._derived[cache_key]

    def index_key_for(self, table: str, column: str) -> bytes:
        """A blind-index key per column, derived with HKDF from the index root key."""
        if not self.index_key:
            raise KeyringError("geen indexsleutel: zet 'index:<base64>' in de sleutels")
        return self.derive(self.index_key, f"levensloop/blind-index/{table}/{column}".encode())

    # ------------------------------------------------------------ data key wrapping

    def wrap(self, data_key: bytes, subject: str) -> tuple[int, bytes]:
        """Wrap a data key with the active master key; bound to its subject and the version."""
        version = self.active_version
        return version, aead.encrypt(
            self.master(version),
            version,
            data_key,
            _wrap_context(subject, version),
            aead.MAGIC_WRAP,
        )

    def unwrap(self, blob: bytes, subject: str, version: int) -> bytes:
        if aead.key_version_of(blob, aead.MAGIC_WRAP) != version:
            raise aead.DecryptionError("sleutelversie klopt niet")
        return aead.decrypt(
            self.master(version), blob, _wrap_context(subject, version), aead.MAGIC_WRAP
        )

    # ------------------------------------------------------------ legacy system secrets

    LEGACY_SYSTEM_PURPOSE = b"levensloop/system-secrets/v1"

    def open_legacy_system_secret(self, blob: bytes, context: bytes) -> bytes:
        """Secrets sealed before the system data key existed (derived from a master key)."""
        version = aead.key_version_of(blob, aead.MAGIC_SYSTEM)
        return aead.decrypt(
            self.derive(self.master(version), self.LEGACY_SYSTEM_PURPOSE), blob, context
        )


def _wrap_context(subject: str, version: int) -> bytes:
    return f"levensloop|data-key|{subject}|{version}".encode()


def new_data_key() -> bytes:
    return secrets.token_bytes(32)


def _decode(b64: str) -> bytes:
    try:
        key = base64.b64decode(b64.strip(), validate=True)
    except ValueError as exc:
        raise KeyringError("sleutel is geen geldige base64") from exc
    if len(key) != 32:
        raise KeyringError("een sleutel moet 256 bits (32 bytes) zijn")
    return key


def parse_keys(text: str) -> tuple[dict[int, bytes], bytes | None]:
    keys: dict[int, bytes] = {}
    index_key = None
    for raw in text.replace("\n", ",").split(","):
        entry = raw.strip()
        if not entry or entry.startswith("#"):
            continue
        name, sep, b64 = entry.partition(":")
        name = name.strip()
        if not sep:
            raise KeyringError(
                "sleutelregel moet de vorm '<versie>:<base64>' of 'index:<base64>' hebben"
            )
        if name == "index":
            index_key = _decode(b64)
        elif name.isdigit() and 0 < int(name) < 65536:
            keys[int(name)] = _decode(b64)
        else:
            raise KeyringError(
                "sleutelregel moet de vorm '<versie>:<base64>' of 'index:<base64>' hebben"
            )
    if not keys:
        raise KeyringError("geen hoofdsleutels gevonden")
    return keys, index_key


def format_entry(name: str | int, key: bytes) -> str:
    return f"{name}:{base64.b64encode(key).decode()}"


def generate_key_file(path: Path) -> None:
    """Create a key file with a fresh master key and index key, readable by the owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = (
        f"# Levensloop-sleutels. Bewaar een back-up apart van de database-back-up.\n"
        f"{format_entry(1, secrets.token_bytes(32))}\n"
        f"{format_entry('index', secrets.token_bytes(32))}\n"
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)


def ensure_index_key(path: Path) -> None:
    """Add an index key to an older development key file that has none."""
    text = path.read_text()
    _keys, index_key = parse_keys(text)
    if index_key is None:
        with path.open("a") as handle:
            handle.write(f"{format_entry('index', secrets.token_bytes(32))}\n")


def load_keyring(
    keys_setting: str | None, key_file: str | None, index_setting: str | None = None
) -> Keyring:
    if keys_setting:
        keys, index_key = parse_keys(keys_setting)
    elif key_file and Path(key_file).exists():
        keys, index_key = parse_keys(Path(key_file).read_text())
    else:
        raise KeyringError(
            "geen hoofdsleutels: zet LEVENSLOOP_MASTER_KEYS of LEVENSLOOP_MASTER_KEY_FILE"
        )
    if index_setting:
        index_key = _decode(index_setting)
    return Keyring(keys, index_key)
