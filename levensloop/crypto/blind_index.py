"""Blind indexes: keyed HMAC-SHA256 over a normalised value, truncated on purpose.

Truncation makes collisions deliberate, so that an index value in a stolen database never maps
to one person; every lookup decrypts the candidates and compares the plaintext.

Bit lengths follow the CipherSweet planning rule (at most about log2 of the population). At
national scale (about 40,000 persons, 2^15.3) we stay below it:

| index                         | bits | buckets | expected candidates at 40,000 persons |
| ----------------------------- | ---- | ------- | ------------------------------------- |
| BSN                           | 14   | 16,384  | 1 + about 2.4 false positives          |
| achternaam                    | 12   | 4,096   | all bearers of the name + about 9.8    |
| achternaam + geboortedatum    | 15   | 32,768  | 1 + about 1.2 false positives          |
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from datetime import date

BITS = {"bsn": 14, "achternaam": 12, "achternaam_geboortedatum": 15}


def normalise_bsn(value: str | None) -> str:
    """Digits only; a BSN of 8 digits gets its leading zero back."""
    digits = re.sub(r"\D", "", value or "")
    return digits.zfill(9) if len(digits) == 8 else digits


# Letters that Unicode does not decompose into a base letter plus a diacritic.
_FOLD = str.maketrans(
    {
        "đ": "d",
        "ð": "d",
        "ł": "l",
        "ø": "o",
        "æ": "ae",
        "œ": "oe",
        "ß": "ss",
        "ı": "i",
        "þ": "th",
        "ħ": "h",
        "ŧ": "t",
    }
)


def normalise_name(value: str | None) -> str:
    """Lower case, no diacritics, single spaces, apostrophes and dashes as spaces."""
    text = unicodedata.normalize("NFKD", (value or "").lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).translate(_FOLD)
    text = re.sub(r"[\s'’`\-\.]+", " ", text)
    return text.strip()


def normalise_date(value: date | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def compute(key: bytes, normalised: str, bits: int) -> int:
    """The first `bits` bits of HMAC-SHA256(key, value), as a non-negative integer."""
    digest = hmac.new(key, normalised.encode("utf-8"), hashlib.sha256).digest()
    return int.from_bytes(digest[:4], "big") >> (32 - bits)
