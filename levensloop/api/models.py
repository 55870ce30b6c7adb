"""API tokens: created by a functioneel beheerder, shown once, stored as a SHA-256 hash."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from levensloop.db import UUIDPrimaryKey, utcnow
from levensloop.extensions import db


class ApiToken(UUIDPrimaryKey, db.Model):
    __tablename__ = "api_tokens"

    name: Mapped[str] = mapped_column(sa.String(120))
    # The region whose beheerders manage the token (list, revoke).
    managed_region_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("regions.id"), index=True)
    # The data the token may read: one region, or None for all regions (national use).
    region_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("regions.id"))
    scopes: Mapped[str] = mapped_column(sa.String(200))  # space-separated, e.g. "reports:read"
    # SHA-256 (hex) of the token; the token itself is never stored.
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # The first characters, so a beheerder can tell tokens apart; not enough to use one.
    token_prefix: Mapped[str] = mapped_column(sa.String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"))
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"))
    last_used_at: Mapped[datetime | None]

    @property
    def valid_through(self) -> date:
        """The last day (Europe/Amsterdam) on which the token works."""
        return (
            self.expires_at.astimezone(ZoneInfo("Europe/Amsterdam")) - timedelta(seconds=1)
        ).date()

    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()

    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def is_expired(self, now: datetime | None = None) -> bool:
        return self.expires_at <= (now or utcnow())

    def is_usable(self, now: datetime | None = None) -> bool:
        return not self.is_revoked() and not self.is_expired(now)
