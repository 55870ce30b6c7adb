"""The AES-256-GCM helper and keyring used for system secrets (TOTP seeds)."""

from __future__ import annotations

import base64

import pytest

from levensloop.crypto import aead
from levensloop.crypto.keyring import Keyring, KeyringError, generate_key_file, load_keyring, parse_keys


def keyring(*versions: int) -> Keyring:
    return Keyring({v: bytes([v]) * 32 for v in versions})


def test_round_trip_and_binding_to_context():
    ring = keyring(1)
    blob = ring.seal_system_secret(b"JBSWY3DPEHPK3PXP", b"users|totp_secret|a")
    assert b"JBSWY3DPEHPK3PXP" not in blob
    assert ring.open_system_secret(blob, b"users|totp_secret|a") == b"JBSWY3DPEHPK3PXP"
    with pytest.raises(aead.DecryptionError):
        ring.open_system_secret(blob, b"users|totp_secret|b")


def test_tampering_is_detected():
    ring = keyring(1)
    blob = bytearray(ring.seal_system_secret(b"geheim", b"ctx"))
    blob[-1] ^= 1
    with pytest.raises(aead.DecryptionError):
        ring.open_system_secret(bytes(blob), b"ctx")


def test_header_cannot_be_relabelled_to_another_key_version():
    ring = keyring(1, 2)
    blob = ring.seal_system_secret(b"geheim", b"ctx")
    assert aead.key_version_of(blob) == 2
    relabelled = blob[:2] + (1).to_bytes(2, "big") + blob[4:]
    with pytest.raises(aead.DecryptionError):
        ring.open_system_secret(relabelled, b"ctx")


def test_old_versions_still_decrypt_after_a_new_active_version():
    old = keyring(1)
    blob = old.seal_system_secret(b"geheim", b"ctx")
    assert keyring(1, 2).open_system_secret(blob, b"ctx") == b"geheim"
    with pytest.raises(aead.DecryptionError):
        keyring(2).open_system_secret(blob, b"ctx")


def test_nonces_are_fresh():
    ring = keyring(1)
    nonces = {ring.seal_system_secret(b"x", b"ctx")[4:16] for _ in range(2000)}
    assert len(nonces) == 2000


def test_parse_keys_validates():
    good = "1:" + base64.b64encode(b"a" * 32).decode()
    assert parse_keys(good) == {1: b"a" * 32}
    for bad in ("", "x", "1:nietbase64!!", "1:" + base64.b64encode(b"kort").decode(), "een:" + good[2:]):
        with pytest.raises(KeyringError):
            parse_keys(bad)


def test_generated_key_file_is_private(tmp_path):
    path = tmp_path / "keys" / "master.keys"
    generate_key_file(path)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert load_keyring(None, str(path)).active_version == 1
    with pytest.raises(FileExistsError):
        generate_key_file(path)
