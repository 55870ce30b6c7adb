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


def role_required(*roles: Role) -> Callable:
    """The user must be logged in and hold one of `roles` in the current region (else 403)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_roles = roles  # type: ignore[attr-defined]
        return wrapped

    return decorator
