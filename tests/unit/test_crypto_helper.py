"""AES-256-GCM envelope, keyring parsing and data-key wrapping (no database)."""

from __future__ import annotations

import base64
import uuid

import pytest

from levensloop.crypto import aead, fields
from levensloop.crypto.keyring import (
    Keyring,
    KeyringError,
    generate_key_file,
    load_keyring,
    parse_keys,
)


def keyring(*versions: int) -> Keyring:
    return Keyring({v: bytes([v]) * 32 for v in versions}, b"\x42" * 32)


@pytest.mark.asvs("V11.3.3")
def test_round_trip_and_binding_to_context():
    blob = aead.encrypt(b"\x07" * 32, 1, b"JBSWY3DPEHPK3PXP", b"users|totp_secret|a")
    assert b"JBSWY3DPEHPK3PXP" not in blob
    assert aead.decrypt(b"\x07" * 32, blob, b"users|totp_secret|a") == b"JBSWY3DPEHPK3PXP"
    with pytest.raises(aead.DecryptionError):
        aead.decrypt(b"\x07" * 32, blob, b"users|totp_secret|b")


@pytest.mark.asvs("V11.3.3")
def test_tampering_is_detected():
    blob = bytearray(aead.encrypt(b"\x07" * 32, 1, b"geheim", b"ctx"))
    blob[-1] ^= 1
    with pytest.raises(aead.DecryptionError):
        aead.decrypt(b"\x07" * 32, bytes(blob), b"ctx")


@pytest.mark.asvs("V11.3.3")
def test_kinds_of_ciphertext_cannot_be_mixed():
    key, row = b"\x07" * 32, uuid.uuid4()
    field = fields.encrypt(key, 1, "persons", "bsn", row, "999990019")
    with pytest.raises(aead.DecryptionError):
        aead.decrypt(key, field, fields.context("persons", "bsn", row))  # read as a system secret
    relabelled = aead.MAGIC_SYSTEM + field[2:]
    with pytest.raises(aead.DecryptionError):
        aead.decrypt(key, relabelled, fields.context("persons", "bsn", row))


@pytest.mark.asvs("V11.3.3")
def test_wrapped_key_is_bound_to_subject_and_version():
    ring = keyring(1, 2)
    version, wrapped = ring.wrap(b"\x55" * 32, "persoon-a")
    assert version == 2 and ring.unwrap(wrapped, "persoon-a", 2) == b"\x55" * 32
    with pytest.raises(aead.DecryptionError):
        ring.unwrap(wrapped, "persoon-b", 2)
    with pytest.raises(aead.DecryptionError):
        ring.unwrap(wrapped, "persoon-a", 1)


@pytest.mark.asvs("V11.2.2")
def test_old_versions_still_unwrap_after_a_new_active_version():
    version, wrapped = keyring(1).wrap(b"\x55" * 32, "p")
    assert keyring(1, 2).unwrap(wrapped, "p", version) == b"\x55" * 32
    with pytest.raises(aead.DecryptionError):
        keyring(2).unwrap(wrapped, "p", version)


@pytest.mark.asvs("V16.2.5")
def test_keyring_repr_shows_no_key_material():
    assert "\\x01" not in repr(keyring(1)) and "AQEB" not in repr(keyring(1))


@pytest.mark.asvs("V11.2.3")
def test_parse_keys_validates():
    good = "1:" + base64.b64encode(b"a" * 32).decode()
    assert parse_keys(good) == ({1: b"a" * 32}, None)
    assert parse_keys(good + ",index:" + base64.b64encode(b"b" * 32).decode())[1] == b"b" * 32
    for bad in (
        "",
        "x",
        "1:nietbase64!!",
        "1:" + base64.b64encode(b"kort").decode(),
        "een:" + good[2:],
        "index:" + base64.b64encode(b"b" * 32).decode(),
    ):
        with pytest.raises(KeyringError):
            parse_keys(bad)


@pytest.mark.asvs("V13.3.2")
def test_generated_key_file_is_private_and_complete(tmp_path):
    path = tmp_path / "keys" / "master.keys"
    generate_key_file(path)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    ring = load_keyring(None, str(path))
    assert ring.active_version == 1 and ring.index_key is not None
    with pytest.raises(FileExistsError):
        generate_key_file(path)
