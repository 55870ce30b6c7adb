"""TOTP (RFC 6238) helpers. Replay protection lives in services (compare-and-set in the DB)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

import pyotp
import segno

STEP_SECONDS = 30
RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def new_secret() -> str:
    return pyotp.random_base32(length=32)


def provisioning_uri(secret: str, account: str, issuer: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=issuer)


def qr_svg(uri: str) -> bytes:
    """An SVG QR code without inline styles (the CSP forbids them)."""
    import io

    buffer = io.BytesIO()
    segno.make(uri, error="m").save(
        buffer,
        kind="svg",
        scale=6,
        border=2,
        xmldecl=False,
        svgns=True,
        title="QR-code voor de authenticator-app",
    )
    return buffer.getvalue()


def matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step that `code` belongs to: the current one or the previous one (network
    delay); never a future step. None when the code does not match."""
    code = normalise_code(code)
    if len(code) != 6 or not (code.isascii() and code.isdigit()):
        return None
    totp = pyotp.TOTP(secret)
    current = int(now.timestamp()) // STEP_SECONDS
    for step in (current, current - 1):
        if secrets.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def normalise_code(code: str) -> str:
    return "".join(ch for ch in (code or "") if not ch.isspace())


def new_recovery_codes() -> list[str]:
    """Ten codes of 24 characters from a 32-letter alphabet (120 bits each), shown grouped."""
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(24))
        codes.append("-".join(raw[i : i + 4] for i in range(0, 24, 4)))
    return codes


def recovery_code_hash(code: str) -> str:
    normalised = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(normalised.encode()).hexdigest()


def looks_like_recovery_code(code: str) -> bool:
    return len("".join(ch for ch in code if ch.isalnum())) == 24
