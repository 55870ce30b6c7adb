"""Password hashing (argon2id) and the password policy."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app
from flask_babel import lazy_gettext as _l

_TRAILING = re.compile(r"[\d\W_]{1,6}$")


def hasher() -> PasswordHasher:
    cfg = current_app.config
    return _hasher(cfg["ARGON2_TIME_COST"], cfg["ARGON2_MEMORY_COST"], cfg["ARGON2_PARALLELISM"])


@lru_cache(maxsize=8)
def _hasher(time_cost: int, memory_cost: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Constant work whether or not the account exists: an unknown user is checked against a
    dummy hash, so timing does not tell which usernames exist."""
    ph = hasher()
    target = stored_hash or _dummy_hash(ph)
    try:
        ok = ph.verify(target, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    return bool(ok) and stored_hash is not None


def needs_rehash(stored_hash: str) -> bool:
    return hasher().check_needs_rehash(stored_hash)


def _dummy_hash(ph: PasswordHasher) -> str:
    key = (ph.time_cost, ph.memory_cost, ph.parallelism)
    cached = _DUMMY.get(key)
    if cached is None:
        cached = _DUMMY[key] = ph.hash("levensloop-dummy-wachtwoord")
    return cached


_DUMMY: dict[tuple[int, int, int], str] = {}


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    words = set(FREQUENCY_LISTS["passwords"])
    text = resources.files("levensloop.data").joinpath("common_passwords_nl.txt").read_text("utf-8")
    words.update(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )
    return frozenset(w.lower() for w in words)


def policy_errors(password: str, *, username: str | None = None) -> list[str]:
    """Dutch messages for every rule the password breaks; empty when it is acceptable.

    Rules (ASVS 5.0 V6.2): at least PASSWORD_MIN_LENGTH characters, at most
    PASSWORD_MAX_LENGTH, not a common password (also not one with a few digits or signs
    appended), not containing the username. No composition rules.
    """
    cfg = current_app.config
    errors: list[str] = []
    if len(password) < cfg["PASSWORD_MIN_LENGTH"]:
        errors.append(
            str(
                _l(
                    "Het wachtwoord moet minstens %(n)s tekens lang zijn.",
                    n=cfg["PASSWORD_MIN_LENGTH"],
                )
            )
        )
    if len(password) > cfg["PASSWORD_MAX_LENGTH"]:
        errors.append(
            str(
                _l(
                    "Het wachtwoord mag hoogstens %(n)s tekens lang zijn.",
                    n=cfg["PASSWORD_MAX_LENGTH"],
                )
            )
        )
    lowered = password.lower()
    stem = _TRAILING.sub("", lowered)
    common = common_passwords()
    if lowered in common or (len(stem) >= 4 and stem in common):
        errors.append(
            str(
                _l(
                    "Dit wachtwoord komt voor op een lijst van veelgebruikte wachtwoorden. Kies "
                    "een ander wachtwoord."
                )
            )
        )
    if username:
        local = username.split("@")[0].lower()
        if len(local) >= 4 and local in lowered:
            errors.append(str(_l("Het wachtwoord mag uw gebruikersnaam niet bevatten.")))
    return errors
