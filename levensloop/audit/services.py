"""Recording audit events. Callers record inside their own transaction."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from flask import has_request_context, request

from levensloop.audit.chain import add_pending
from levensloop.audit.models import AuditEvent
from levensloop.db import utcnow
from levensloop.extensions import db

if TYPE_CHECKING:
    from levensloop.auth.models import User


def record(
    event_type: str,
    *,
    actor: User | None = None,
    outcome: str = "success",
    region_id: uuid.UUID | None = None,
    object_type: str | None = None,
    object_id: str | uuid.UUID | None = None,
    person_id: uuid.UUID | None = None,
    details: dict[str, Any] | None = None,
    categories: list[str] | tuple[str, ...] | None = None,
    purpose: str | None = None,
    legal_basis: str | None = None,
    on_behalf_of: User | None = None,
) -> AuditEvent:
    """Add one audit event to the current transaction; it is chained and written at commit.
    Never pass personal plaintext."""
    event = AuditEvent(
        id=uuid.uuid4(),
        occurred_at=utcnow(),
        event_type=event_type,
        outcome=outcome,
        actor_user_id=actor.id if actor is not None else None,
        actor_organisation_id=actor.organisation_id if actor is not None else None,
        actor_roles=_roles_text(actor, region_id),
        region_id=region_id,
        object_type=object_type,
        person_id=person_id
        if person_id is not None
        else (object_id if object_type == "person" and isinstance(object_id, uuid.UUID) else None),
        object_id=str(object_id) if object_id is not None else None,
        access_point=request.remote_addr if has_request_context() else "cli",
        details=details,
        categories=",".join(sorted(categories)) if categories else None,
        purpose=purpose,
        legal_basis=legal_basis,
        on_behalf_of_user_id=on_behalf_of.id if on_behalf_of is not None else None,
    )
    add_pending(db.session(), event)
    return event


def _roles_text(actor: User | None, region_id: uuid.UUID | None) -> str | None:
    if actor is None:
        return None
    roles = actor.roles_in(region_id) if region_id else {r.role for r in actor.roles}
    return ",".join(sorted(str(r) for r in roles)) or None


# What the functioneel beheerder may see in the administration log: administration, not case work.
ADMIN_OBJECT_TYPES = (
    "user",
    "organisation",
    "sharing_matrix",
    "inclusiecriteria",
    "evaluatietermijn",
    "escalatieroute",
)


def read_admin_events(actor: User, region_id: uuid.UUID, *, event_type: str = "", page: int = 1):
    """One page of the region's administration events (users, organisations, the sharing
    matrix), newest first. Reading the log is itself logged."""
    query = (
        sa.select(AuditEvent)
        .where(AuditEvent.region_id == region_id, AuditEvent.object_type.in_(ADMIN_OBJECT_TYPES))
        .order_by(AuditEvent.chain_seq.desc())
    )
    if event_type:
        query = query.where(AuditEvent.event_type == event_type[:60])
    pagination = db.paginate(query, page=page, per_page=50, error_out=False)
    record(
        "audit_read",
        actor=actor,
        region_id=region_id,
        details={"log": "beheer", "page": pagination.page},
    )
    db.session.commit()
    return pagination
