"""User administration by the functioneel beheerder, scoped to the current region."""

from __future__ import annotations

import secrets
import uuid

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from levensloop.audit.services import record
from levensloop.auth import passwords
from levensloop.auth.models import RecoveryCode, Role, RoleAssignment, User
from levensloop.auth.services import end_all_sessions, normalise_username
from levensloop.errors import Conflict, DomainError, NotFound
from levensloop.extensions import db
from levensloop.organisations.models import Organisation, Region
from levensloop.organisations.services import _escape_like, get_organisation

PAGE_SIZE = 25
_TEMP_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def temporary_password() -> str:
    """A one-time password of 20 random characters (~115 bits); the user must change it."""
    return "".join(secrets.choice(_TEMP_ALPHABET) for _ in range(20))


def list_users(
    region: Region,
    *,
    q: str = "",
    organisation_id: uuid.UUID | None = None,
    role: str = "",
    status: str = "",
    page: int = 1,
):
    query = (
        sa.select(User)
        .join(User.organisation)
        .where(Organisation.region_id == region.id)
        .options(selectinload(User.roles))
    )
    if q:
        pattern = f"%{_escape_like(q.strip())}%"
        query = query.where(
            sa.or_(
                User.display_name.ilike(pattern, escape="\\"),
                User.username.ilike(pattern, escape="\\"),
            )
        )
    if organisation_id:
        query = query.where(User.organisation_id == organisation_id)
    if role in set(Role):
        query = query.where(
            User.roles.any(
                sa.and_(RoleAssignment.role == Role(role), RoleAssignment.region_id == region.id)
            )
        )
    if status == "actief":
        query = query.where(User.active)
    elif status == "inactief":
        query = query.where(sa.not_(User.active))
    return db.paginate(
        query.order_by(User.display_name), page=page, per_page=PAGE_SIZE, error_out=False
    )


def get_user(region: Region, user_id: uuid.UUID | None) -> User:
    """A user of an organisation in this region; anything else is 404 (no IDOR)."""
    user = db.session.get(User, user_id) if user_id else None
    if user is None or user.organisation.region_id != region.id:
        raise NotFound(_("Deze gebruiker bestaat niet in deze regio."))
    return user


def create_user(
    actor: User,
    region: Region,
    *,
    username: str,
    display_name: str,
    email: str | None,
    organisation_id: uuid.UUID,
    roles: list[Role],
) -> tuple[User, str]:
    """Create an account with a one-time password. The user sets an own password and enrols
    the authenticator app at first login."""
    username = normalise_username(username)
    if db.session.scalar(
        sa.select(sa.func.count()).select_from(User).where(User.username == username)
    ):
        raise DomainError(_("Deze gebruikersnaam is al in gebruik."), field="username")
    organisation = get_organisation(region, organisation_id)
    password = temporary_password()
    user = User(
        username=username,
        display_name=display_name.strip(),
        email=(email or "").strip() or None,
        organisation_id=organisation.id,
        password_hash=passwords.hash_password(password),
        must_change_password=True,
    )
    user.roles = [RoleAssignment(region_id=region.id, role=role) for role in dict.fromkeys(roles)]
    db.session.add(user)
    db.session.flush()
    record(
        "user_created",
        actor=actor,
        region_id=region.id,
        object_type="user",
        object_id=user.id,
        details={"roles": sorted(str(r) for r in roles), "organisation_id": str(organisation.id)},
    )
    db.session.commit()
    return user, password


def update_user(
    actor: User,
    region: Region,
    user: User,
    *,
    display_name: str,
    email: str | None,
    organisation_id: uuid.UUID,
    version: int,
) -> User:
    if user.version != version:
        raise Conflict(
            _(
                "Iemand anders heeft deze gebruiker intussen gewijzigd. Bekijk de nieuwe "
                "gegevens en voer uw wijziging opnieuw in."
            )
        )
    organisation = get_organisation(region, organisation_id)
    new_values = {
        "display_name": display_name.strip(),
        "email": (email or "").strip() or None,
        "organisation_id": organisation.id,
    }
    changed = [name for name, value in new_values.items() if getattr(user, name) != value]
    for name, value in new_values.items():
        setattr(user, name, value)
    try:
        record(
            "user_updated",
            actor=actor,
            region_id=region.id,
            object_type="user",
            object_id=user.id,
            details={"fields": changed},
        )
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise Conflict(_("Iemand anders heeft deze gebruiker intussen gewijzigd.")) from None
    return user


def add_role(actor: User, region: Region, user: User, role: Role) -> None:
    if role in user.roles_in(region.id):
        raise DomainError(_("Deze gebruiker heeft deze rol al in deze regio."), field="role")
    user.roles.append(RoleAssignment(region_id=region.id, role=role))
    record(
        "role_granted",
        actor=actor,
        region_id=region.id,
        object_type="user",
        object_id=user.id,
        details={"role": str(role)},
    )
    db.session.commit()


def remove_role(actor: User, region: Region, user: User, assignment_id: uuid.UUID | None) -> None:
    assignment = next(
        (a for a in user.roles if a.id == assignment_id and a.region_id == region.id), None
    )
    if assignment is None:
        raise NotFound(_("Deze rol bestaat niet (meer)."))
    if user.id == actor.id and assignment.role == Role.FUNCTIONEEL_BEHEERDER:
        raise DomainError(
            _(
                "U kunt uw eigen rol als functioneel beheerder niet intrekken. Vraag "
                "een andere beheerder."
            )
        )
    user.roles.remove(assignment)
    record(
        "role_revoked",
        actor=actor,
        region_id=region.id,
        object_type="user",
        object_id=user.id,
        details={"role": str(assignment.role)},
    )
    db.session.commit()


def reset_totp(actor: User, region: Region, user: User) -> None:
    """The user enrols a new authenticator at the next login; all their sessions end."""
    user.totp_secret = None
    user.totp_pending_secret = None
    user.totp_enrolled_at = None
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    record("totp_reset", actor=actor, region_id=region.id, object_type="user", object_id=user.id)
    db.session.commit()
    end_all_sessions(user, "totp_reset", actor=actor)


def reset_password(actor: User, region: Region, user: User) -> str:
    password = temporary_password()
    user.password_hash = passwords.hash_password(password)
    user.must_change_password = True
    user.failed_attempts = 0
    user.locked_until = None
    record(
        "password_reset", actor=actor, region_id=region.id, object_type="user", object_id=user.id
    )
    db.session.commit()
    end_all_sessions(user, "password_reset", actor=actor)
    return password


def set_active(actor: User, region: Region, user: User, active: bool) -> None:
    if user.id == actor.id and not active:
        raise DomainError(_("U kunt uw eigen account niet deactiveren."))
    if user.active == active:
        return
    user.active = active
    record(
        "user_activated" if active else "user_deactivated",
        actor=actor,
        region_id=region.id,
        object_type="user",
        object_id=user.id,
    )
    db.session.commit()
    if not active:
        end_all_sessions(user, "deactivated", actor=actor)


def users_with_role(region: Region, role: Role, *, active_only: bool = True) -> list[User]:
    """The users who hold `role` in the region, by name (for choosing a coördinator, ...)."""
    query = (
        sa.select(User)
        .join(User.roles)
        .where(RoleAssignment.region_id == region.id, RoleAssignment.role == role)
    )
    if active_only:
        query = query.where(User.active)
    return list(db.session.scalars(query.order_by(User.display_name)))
