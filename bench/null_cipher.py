"""A measurement device, never production code: switches AES-256-GCM off in the benchmark's
own server process, so the runner can tell what share of a page's time the encryption costs.

The database stays the one generated with real encryption. While the switch is on,
`levensloop.crypto.aead.decrypt` answers from a table of plaintexts that real decryptions
filled during warm-up (key: ciphertext, associated data and magic), so the page does the same
work minus the AES-GCM (and the per-call AESGCM key set-up); a ciphertext not seen before is
decrypted for real and counted as a miss. Encryption is left as it is (the measured pages
only read; audit records are not encrypted). Only `bench.serve` installs it, on a signal from
the runner.
"""

from __future__ import annotations

import threading

from levensloop.crypto import aead

_real_decrypt = aead.decrypt
_plaintexts: dict[tuple[bytes, bytes, bytes], bytes] = {}
_lock = threading.Lock()
state = {"on": False, "hits": 0, "misses": 0}


def _remembering_decrypt(key, blob, context, magic=aead.MAGIC_SYSTEM):
    """The real decryption, remembering the plaintext for the null phase."""
    plaintext = _real_decrypt(key, blob, context, magic)
    if len(_plaintexts) < 2_000_000:
        with _lock:
            _plaintexts[(bytes(blob), context, magic)] = plaintext
    return plaintext


def _null_decrypt(key, blob, context, magic=aead.MAGIC_SYSTEM):
    found = _plaintexts.get((bytes(blob), context, magic))
    if found is not None:
        state["hits"] += 1
        return found
    state["misses"] += 1
    return _remembering_decrypt(key, blob, context, magic)


def install() -> None:
    """Start remembering plaintexts (real AES-GCM still runs)."""
    aead.decrypt = _remembering_decrypt


def switch(on: bool) -> None:
    state["on"] = on
    aead.decrypt = _null_decrypt if on else _remembering_decrypt
