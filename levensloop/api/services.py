"""API tokens: created by the functioneel beheerder, shown once, kept as a SHA-256 hash.

A token is 32 random bytes (URL-safe base64 with a recognisable prefix). Only its SHA-256 is
stored; a request's token is hashed and looked up by that hash, so no stored secret is ever
compared character by character. Every token has a scope, an expiry date (at most a year
ahead) and can be revoked. Creating, revoking and every use are in the audit log with the
token's id, never the token.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from levensloop.api.models import ApiToken
from levensloop.audit.services import record
from levensloop.db import local_today, utcnow
from levensloop.errors import DomainError, NotFound
from levensloop.extensions import db
from levensloop.organisations.models import Region

PREFIX = "llk_"
REPORTS_READ = "reports:read"
SCOPES = {REPORTS_READ: _l("Maandcijfers lezen (landelijk beschermd)")}
MAX_DAYS = 365
MAX_NAME = 120
TIMEZONE = ZoneInfo("Europe/Amsterdam")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass
class NewToken:
    token: ApiToken
    secret: str  # shown once, never stored


def create_token(
    actor,
    region: Region,
    *,
    name: str,
    national: bool,
    scopes: list[str],
    valid_until: date | None,
) -> NewToken:
    """A new token managed by `region`; it reads `region` only, or every region when
    `national`. Valid up to and including `valid_until` (Europe/Amsterdam), at most a year."""
    errors = {}
    name = " ".join((name or "").split())
    if not name:
        errors["name"] = _("Geef de sleutel een naam, bijvoorbeeld de toepassing die hem gebruikt.")
    elif len(name) > MAX_NAME:
        errors["name"] = _("Gebruik hoogstens %(n)s tekens.", n=MAX_NAME)
    scopes = sorted(set(scopes or []))
    if not scopes or any(scope not in SCOPES for scope in scopes):
        errors["scopes"] = _("Kies wat de sleutel mag.")
    today = local_today()
    if valid_until is None:
        errors["valid_until"] = _("Vul een geldige datum in, bijvoorbeeld 17-03-2027.")
    elif valid_until < today:
        errors["valid_until"] = _("Kies een datum vanaf vandaag.")
    elif valid_until > today + timedelta(days=MAX_DAYS):
        errors["valid_until"] = _("Een sleutel is hoogstens een jaar geldig.")
    if errors:
        raise InvalidToken(errors)
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        id=uuid.uuid4(),
        name=name,
        managed_region_id=region.id,
        region_id=None if national else region.id,
        scopes=" ".join(scopes),
        token_hash=hash_token(secret),
        token_prefix=secret[: len(PREFIX) + 4],
        created_by_id=actor.id,
        expires_at=datetime.combine(valid_until + timedelta(days=1), time(), TIMEZONE),
    )
    db.session.add(token)
    record(
        "api_token_created",
        actor=actor,
        region_id=region.id,
        object_type="api_token",
        object_id=token.id,
        details={"scopes": scopes, "landelijk": national, "geldig_tot": valid_until.isoformat()},
    )
    db.session.commit()
    return NewToken(token, secret)


class InvalidToken(DomainError):
    """Form problems, per field."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(next(iter(errors.values())), field=next(iter(errors)))
        self.errors = errors


def tokens_of(region: Region) -> list[ApiToken]:
    return list(
        db.session.scalars(
            sa.select(ApiToken)
            .where(ApiToken.managed_region_id == region.id)
            .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc())
        )
    )


def get_token(region: Region, token_id: uuid.UUID) -> ApiToken:
    """A token this region manages (404 for another region's or an unknown id)."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.managed_region_id != region.id:
        raise NotFound(_("Deze sleutel bestaat niet."))
    return token


def revoke_token(actor, region: Region, token_id: uuid.UUID) -> ApiToken:
    token = get_token(region, token_id)
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        token.revoked_by_id = actor.id
        record(
            "api_token_revoked",
            actor=actor,
            region_id=region.id,
            object_type="api_token",
            object_id=token.id,
        )
        db.session.commit()
    return token


# ---------------------------------------------------------------- authenticating a request


MISSING, INVALID, EXPIRED, REVOKED = "missing", "invalid", "expired", "revoked"


@dataclass
class Authentication:
    token: ApiToken | None
    problem: str | None  # None: a usable token

    @property
    def ok(self) -> bool:
        return self.problem is None


def authenticate(header: str | None) -> Authentication:
    """The token of an `Authorization: Bearer ...` header. Expired and revoked tokens are
    recorded (their id is known); unknown ones are not (nothing to tie them to)."""
    scheme, _sep, value = (header or "").strip().partition(" ")
    value = value.strip()
    if scheme.lower() != "bearer" or not value:
        return Authentication(None, MISSING)
    if len(value) > 200 or not value.startswith(PREFIX):
        return Authentication(None, INVALID)
    digest = hash_token(value)
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == digest))
    if token is None or not hmac.compare_digest(token.token_hash, digest):
        return Authentication(None, INVALID)
    problem = REVOKED if token.is_revoked() else EXPIRED if token.is_expired() else None
    if problem:
        record(
            "api_denied",
            outcome="failure",
            region_id=token.managed_region_id,
            object_type="api_token",
            object_id=token.id,
            details={"reden": problem},
        )
        db.session.commit()
    return Authentication(token, problem)


def record_use(token: ApiToken, *, endpoint: str, details: dict, outcome: str = "success") -> None:
    """Every call with a valid token: in the audit log with the token's id."""
    token.last_used_at = utcnow()
    record(
        "api_read" if outcome == "success" else "api_denied",
        outcome=outcome,
        region_id=token.managed_region_id,
        object_type="api_token",
        object_id=token.id,
        details={"endpoint": endpoint, **details},
    )
    db.session.commit()
