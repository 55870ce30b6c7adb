"""Login, second factor, sessions and passwords. Each public function is one transaction."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from levensloop.audit.services import record
from levensloop.auth import passwords, totp
from levensloop.auth.models import RecoveryCode, User, UserSession
from levensloop.db import utcnow
from levensloop.errors import DomainError
from levensloop.extensions import db
from levensloop.keys import services as keys


class LoginFailed(DomainError):
    """One message for every reason, so the response does not tell which part was wrong."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "De combinatie van gebruikersnaam en wachtwoord is onjuist, of het "
                "account is tijdelijk geblokkeerd. Probeer het opnieuw of neem "
                "contact op met de functioneel beheerder."
            )
        )


class SecondFactorFailed(DomainError):
    def __init__(self, message: str | None = None) -> None:
        super().__init__(
            message
            or _(
                "De code is onjuist of al gebruikt. Probeer de volgende code "
                "uit uw authenticator-app."
            ),
            field="code",
        )


# ---------------------------------------------------------------- keyring and TOTP secrets


def _seal_totp(user: User, column: str, secret: str) -> bytes:
    """TOTP seeds are sealed with the system data key, bound to the user and the column."""
    return keys.seal_system_secret(secret.encode(), _totp_context(user, column))


def _open_totp(user: User, column: str, blob: bytes) -> str:
    return keys.open_system_secret(blob, _totp_context(user, column)).decode()


def _totp_context(user: User, column: str) -> bytes:
    return f"users|{column}|{user.id}".encode()


# ---------------------------------------------------------------- step 1: password


def normalise_username(username: str) -> str:
    return (username or "").strip().lower()


def check_password_step(username: str, password: str) -> User:
    """First login step. Returns the user when the password is right and the account is usable;
    otherwise raises LoginFailed with the same message for every reason."""
    now = utcnow()
    user = db.session.scalar(sa.select(User).where(User.username == normalise_username(username)))
    ok = passwords.verify_password(user.password_hash if user else None, password)
    if user is None:
        record(
            "login_failed",
            outcome="failure",
            details={"step": "password", "reason": "unknown_user"},
        )
        db.session.commit()
        raise LoginFailed()
    if not user.active:
        record(
            "login_failed",
            actor=user,
            outcome="failure",
            object_type="user",
            object_id=user.id,
            details={"step": "password", "reason": "inactive"},
        )
        db.session.commit()
        raise LoginFailed()
    if user.is_locked(now):
        record(
            "login_failed",
            actor=user,
            outcome="failure",
            object_type="user",
            object_id=user.id,
            details={"step": "password", "reason": "locked"},
        )
        db.session.commit()
        raise LoginFailed()
    if not ok:
        _register_failure(user, "password", now)
        raise LoginFailed()
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
        record("password_rehashed", actor=user, object_type="user", object_id=user.id)
        db.session.commit()
    return user


def _register_failure(user: User, step: str, now: datetime) -> None:
    """Count a failure atomically in the database; lock the account at the threshold."""
    cfg = current_app.config
    db.session.execute(
        sa.update(User)
        .where(User.id == user.id)
        .values(failed_attempts=User.failed_attempts + 1)
        .execution_options(synchronize_session=False)
    )
    count = db.session.scalar(sa.select(User.failed_attempts).where(User.id == user.id))
    details = {"step": step, "reason": "wrong_" + step, "failed_attempts": count}
    if count >= cfg["LOCKOUT_THRESHOLD"]:
        db.session.execute(
            sa.update(User)
            .where(User.id == user.id)
            .values(failed_attempts=0, locked_until=now + cfg["LOCKOUT_DURATION"])
            .execution_options(synchronize_session=False)
        )
        record(
            "account_locked", actor=user, outcome="failure", object_type="user", object_id=user.id
        )
    record(
        "login_failed",
        actor=user,
        outcome="failure",
        object_type="user",
        object_id=user.id,
        details=details,
    )
    db.session.commit()
    db.session.expire(user)


def pending_user(user_id: str | None, started_at: float | None) -> User | None:
    """The user of a half-finished login, if it is still valid (active, not locked, recent)."""
    if not user_id or started_at is None:
        return None
    now = utcnow()
    if now.timestamp() - started_at > current_app.config["LOGIN_PENDING_TIMEOUT"].total_seconds():
        return None
    try:
        user = db.session.get(User, uuid.UUID(user_id))
    except ValueError:
        return None
    if user is None or not user.active or user.is_locked(now):
        return None
    return user


# ---------------------------------------------------------------- step 2: TOTP or recovery code


def verify_second_factor(user: User, code: str) -> str:
    """Check a TOTP code (once only) or a recovery code (once only). Returns "totp" or
    "recovery_code"; raises SecondFactorFailed and counts the failure otherwise."""
    now = utcnow()
    if user.totp_secret is None:
        raise SecondFactorFailed()
    code = totp.normalise_code(code)
    if totp.looks_like_recovery_code(code):
        result = db.session.execute(
            sa.update(RecoveryCode)
            .where(
                RecoveryCode.user_id == user.id,
                RecoveryCode.code_hash == totp.recovery_code_hash(code),
                RecoveryCode.used_at.is_(None),
            )
            .values(used_at=now)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 1:
            record(
                "recovery_code_used",
                actor=user,
                object_type="user",
                object_id=user.id,
                details={"remaining": remaining_recovery_codes(user)},
            )
            db.session.commit()
            return "recovery_code"
        _register_failure(user, "recovery_code", now)
        raise SecondFactorFailed()
    step = totp.matching_step(_open_totp(user, "totp_secret", user.totp_secret), code, now)
    if step is None:
        _register_failure(user, "totp", now)
        raise SecondFactorFailed()
    if not _consume_step(user, step):
        record("totp_replay", actor=user, outcome="failure", object_type="user", object_id=user.id)
        _register_failure(user, "totp", now)
        raise SecondFactorFailed()
    db.session.commit()
    return "totp"


def _consume_step(user: User, step: int) -> bool:
    """Compare-and-set: a step is accepted only if it is later than the last accepted one."""
    result = db.session.execute(
        sa.update(User)
        .where(
            User.id == user.id, sa.or_(User.totp_last_step.is_(None), User.totp_last_step < step)
        )
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def remaining_recovery_codes(user: User) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(RecoveryCode)
            .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
        )
        or 0
    )


# ---------------------------------------------------------------- enrolment


def enrolment_secret(user: User) -> str:
    """The pending TOTP secret for enrolment, created on first call and kept until confirmed."""
    if user.totp_pending_secret is None:
        user.totp_pending_secret = _seal_totp(user, "totp_pending_secret", totp.new_secret())
        db.session.commit()
    return _open_totp(user, "totp_pending_secret", user.totp_pending_secret)


def enrolment_uri(user: User) -> str:
    return totp.provisioning_uri(
        enrolment_secret(user), user.username, current_app.config["TOTP_ISSUER"]
    )


def confirm_enrolment(user: User, code: str) -> list[str]:
    """Activate the pending secret when `code` matches; returns 10 fresh recovery codes (shown
    once). The step used here is consumed, so it cannot also serve as the first login code."""
    now = utcnow()
    if user.totp_pending_secret is None:
        raise SecondFactorFailed()
    secret = _open_totp(user, "totp_pending_secret", user.totp_pending_secret)
    step = totp.matching_step(secret, code, now)
    if step is None:
        _register_failure(user, "totp_enrolment", now)
        raise SecondFactorFailed(
            _(
                "De code klopt niet. Controleer of de tijd op uw telefoon goed "
                "staat en voer de code in die de app nu toont."
            )
        )
    user.totp_secret = _seal_totp(user, "totp_secret", secret)
    user.totp_pending_secret = None
    user.totp_last_step = step
    user.totp_enrolled_at = now
    codes = _replace_recovery_codes(user)
    record("totp_enrolled", actor=user, object_type="user", object_id=user.id)
    db.session.commit()
    return codes


def _replace_recovery_codes(user: User) -> list[str]:
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = totp.new_recovery_codes()
    db.session.add_all(
        RecoveryCode(user_id=user.id, code_hash=totp.recovery_code_hash(c)) for c in codes
    )
    return codes


def regenerate_recovery_codes(user: User) -> list[str]:
    codes = _replace_recovery_codes(user)
    record("recovery_codes_regenerated", actor=user, object_type="user", object_id=user.id)
    db.session.commit()
    return codes


# ---------------------------------------------------------------- sessions


@dataclass(frozen=True)
class SessionCheck:
    user: User | None
    reason: str | None  # why there is no user: "idle", "absolute", "ended", "inactive", None


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: User, client_address: str | None, method: str) -> str:
    """Complete a login: a new random session token (the old session, if any, is not reused)."""
    now = utcnow()
    token = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(
            token_hash=_token_hash(token),
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            client_address=client_address,
        )
    )
    user.failed_attempts = 0
    user.locked_until = None
    user.last_login_at = now
    record(
        "login",
        actor=user,
        object_type="user",
        object_id=user.id,
        details={"second_factor": method},
    )
    db.session.commit()
    user.session_token = token
    return token


def load_session(token: str | None) -> SessionCheck:
    """The user of a session token, ending the session when it is idle or too old."""
    if not token:
        return SessionCheck(None, None)
    cfg = current_app.config
    now = utcnow()
    row = db.session.scalar(
        sa.select(UserSession).where(UserSession.token_hash == _token_hash(token))
    )
    if row is None or row.ended_at is not None:
        return SessionCheck(None, "ended")
    reason = None
    if not row.user.active:
        reason = "inactive"
    elif now - row.created_at > cfg["SESSION_ABSOLUTE_TIMEOUT"]:
        reason = "absolute"
    elif now - row.last_seen_at > cfg["SESSION_IDLE_TIMEOUT"]:
        reason = "idle"
    if reason:
        row.ended_at = now
        row.end_reason = reason
        record(
            "session_expired",
            actor=row.user,
            object_type="user",
            object_id=row.user_id,
            details={"reason": reason},
        )
        db.session.commit()
        return SessionCheck(None, reason)
    # Write the last-seen time at most every 30 seconds.
    if (now - row.last_seen_at).total_seconds() > 30:
        row.last_seen_at = now
        db.session.commit()
    user = row.user
    user.session_token = token
    user.session_id = row.id
    return SessionCheck(user, None)


def end_session(user: User, reason: str = "logout") -> None:
    if user.session_id is None:
        return
    db.session.execute(
        sa.update(UserSession)
        .where(UserSession.id == user.session_id, UserSession.ended_at.is_(None))
        .values(ended_at=utcnow(), end_reason=reason)
    )
    record("logout", actor=user, object_type="user", object_id=user.id)
    db.session.commit()


def end_all_sessions(
    user: User, reason: str, *, actor: User | None = None, except_current: bool = False
) -> int:
    query = sa.update(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None)
    )
    if except_current and user.session_id is not None:
        query = query.where(UserSession.id != user.session_id)
    result = db.session.execute(query.values(ended_at=utcnow(), end_reason=reason))
    record(
        "sessions_ended",
        actor=actor or user,
        object_type="user",
        object_id=user.id,
        details={"reason": reason, "count": result.rowcount},
    )
    db.session.commit()
    return result.rowcount


# ---------------------------------------------------------------- passwords


def change_password(user: User, current_password: str, new_password: str) -> None:
    if not passwords.verify_password(user.password_hash, current_password):
        raise DomainError(_("Het huidige wachtwoord is onjuist."), field="current_password")
    set_own_password(user, new_password)


def set_own_password(user: User, new_password: str) -> None:
    """Set a new password chosen by the user (also the forced change after a reset)."""
    errors = passwords.policy_errors(new_password, username=user.username)
    if errors:
        raise DomainError(" ".join(errors), field="new_password")
    if passwords.verify_password(user.password_hash, new_password):
        raise DomainError(
            _("Het nieuwe wachtwoord moet anders zijn dan het huidige."), field="new_password"
        )
    user.password_hash = passwords.hash_password(new_password)
    user.must_change_password = False
    user.password_changed_at = utcnow()
    record("password_changed", actor=user, object_type="user", object_id=user.id)
    db.session.commit()
    # Other sessions of this user end; the current one (if any) stays.
    end_all_sessions(user, "password_changed", except_current=True)
