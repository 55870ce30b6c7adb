"""Users, their roles per region, recovery codes and server-side sessions."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from levensloop.db import Timestamps, UUIDPrimaryKey, enum_column, utcnow
from levensloop.extensions import db
from levensloop.organisations.models import Organisation, Region


class Role(enum.StrEnum):
    PROCESREGISSEUR = "procesregisseur"
    LEVENSLOOPCOORDINATOR = "levensloopcoordinator"
    CASUSREGISSEUR = "casusregisseur"
    KETENPARTNER = "ketenpartner"
    PRIVACY_OFFICER = "privacy_officer"
    FUNCTIONEEL_BEHEERDER = "functioneel_beheerder"
    LANDELIJK_ANALIST = "landelijk_analist"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.PROCESREGISSEUR: _l("Procesregisseur ZVH"),
    Role.LEVENSLOOPCOORDINATOR: _l("Levensloopcoördinator"),
    Role.CASUSREGISSEUR: _l("Gemeentelijke casusregisseur"),
    Role.KETENPARTNER: _l("Ketenpartner"),
    Role.PRIVACY_OFFICER: _l("Privacy officer"),
    Role.FUNCTIONEEL_BEHEERDER: _l("Functioneel beheerder"),
    Role.LANDELIJK_ANALIST: _l("Landelijk analist"),
}


class User(UUIDPrimaryKey, Timestamps, db.Model):
    __tablename__ = "users"

    username: Mapped[str] = mapped_column(sa.String(120), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(160))
    email: Mapped[str | None] = mapped_column(sa.String(200))
    organisation_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("organisations.id"), index=True
    )
    active: Mapped[bool] = mapped_column(default=True)
    preferred_locale: Mapped[str | None] = mapped_column(sa.String(5))

    password_hash: Mapped[str] = mapped_column(sa.String(255))
    must_change_password: Mapped[bool] = mapped_column(default=False)
    password_changed_at: Mapped[datetime | None]

    # TOTP seed, sealed with the system key (AES-256-GCM, bound to this user and column).
    totp_secret: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    totp_pending_secret: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    totp_last_step: Mapped[int | None] = mapped_column(sa.BigInteger)
    totp_enrolled_at: Mapped[datetime | None]

    failed_attempts: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    organisation: Mapped[Organisation] = relationship(lazy="joined")
    roles: Mapped[list[RoleAssignment]] = relationship(
        back_populates="user", cascade="all, delete-orphan", order_by="RoleAssignment.created_at"
    )

    __mapper_args__ = {"version_id_col": version}

    # flask-login: the id kept in the cookie is the server-side session token, not the user id.
    session_token = None  # not mapped
    session_id = None  # not mapped

    @property
    def public_id(self) -> str:
        return str(self.id)

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str | None:
        return self.session_token

    @property
    def totp_enrolled(self) -> bool:
        return self.totp_secret is not None

    def is_locked(self, now: datetime | None = None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or utcnow())

    def roles_in(self, region_id: uuid.UUID | None) -> set[Role]:
        return {r.role for r in self.roles if r.region_id == region_id}

    def regions(self) -> list[Region]:
        seen: dict[uuid.UUID, Region] = {}
        for assignment in self.roles:
            seen.setdefault(assignment.region_id, assignment.region)
        return sorted(seen.values(), key=lambda region: region.name)


class RoleAssignment(UUIDPrimaryKey, db.Model):
    __tablename__ = "role_assignments"
    __table_args__ = (sa.UniqueConstraint("user_id", "region_id", "role"),)

    user_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("users.id"), index=True)
    region_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("regions.id"), index=True)
    role: Mapped[Role] = mapped_column(enum_column(Role))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="roles")
    region: Mapped[Region] = relationship(lazy="joined")

    @property
    def public_id(self) -> str:
        return str(self.id)


class RecoveryCode(UUIDPrimaryKey, db.Model):
    """One-time recovery code; only its SHA-256 is kept (each code carries 120 random bits)."""

    __tablename__ = "recovery_codes"

    user_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("users.id"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64))
    used_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class UserSession(UUIDPrimaryKey, db.Model):
    """A server-side login session. The browser holds a random token; we keep its SHA-256."""

    __tablename__ = "user_sessions"

    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    user_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    end_reason: Mapped[str | None] = mapped_column(sa.String(40))
    client_address: Mapped[str | None] = mapped_column(sa.String(64))

    user: Mapped[User] = relationship()
