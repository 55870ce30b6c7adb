"""Who may open which screen: login plus a role in the current region."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort, g
from flask_login import current_user, login_required

from levensloop.auth.models import Role


def current_roles() -> set[Role]:
    if not current_user.is_authenticated or g.get("region") is None:
        return set()
    return current_user.roles_in(g.region.id)


def has_role(*roles: Role) -> bool:
    return bool(current_roles() & set(roles))


def _record_denial(roles) -> None:
    """Every authorisation denial is in the audit log (NEN 7513), with the route, not the URL."""
    from flask import request

    from levensloop.audit.services import record
    from levensloop.extensions import db

    record(
        "access_denied",
        actor=current_user,
        outcome="failure",
        region_id=g.region_id if g.get("region") else None,
        details={"endpoint": request.endpoint, "needed": sorted(str(r) for r in roles)},
    )
    db.session.commit()


def role_required(*roles: Role) -> Callable:
    """The user must be logged in and hold one of `roles` in the current region (else 403)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not has_role(*roles):
                _record_denial(roles)
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_roles = roles  # type: ignore[attr-defined]
        return wrapped

    return decorator
