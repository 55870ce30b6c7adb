"""State machines as data: each module declares its states and allowed transitions in one
table, and one function enforces them, stamps actor and time, and audits."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import gettext as _

from levensloop.audit.services import record
from levensloop.db import utcnow
from levensloop.errors import TransitionNotAllowed


@dataclass(frozen=True)
class StateMachine:
    name: str  # also the audit object type
    labels: Mapping[str, object]  # state -> (lazy) Dutch label
    allowed: Mapping[str, frozenset[str]]  # state -> states it may go to
    initial: str

    def __post_init__(self) -> None:
        unknown = {s for targets in self.allowed.values() for s in targets} - set(self.labels)
        if unknown or set(self.allowed) - set(self.labels) or self.initial not in self.labels:
            raise ValueError(f"{self.name}: onbekende toestanden {unknown}")

    def label(self, state: str) -> str:
        return str(self.labels.get(state, state))

    def can(self, current: str, target: str) -> bool:
        return target in self.allowed.get(current, frozenset())

    def final(self, state: str) -> bool:
        return not self.allowed.get(state)


def transition(
    machine: StateMachine,
    obj,
    target: str,
    *,
    actor,
    region_id,
    person_id=None,
    details: dict | None = None,
) -> None:
    """Move `obj.status` to `target` if the machine allows it; stamp and audit. The caller
    commits. A forbidden step raises TransitionNotAllowed and changes nothing."""
    current = obj.status
    if not machine.can(current, target):
        raise TransitionNotAllowed(
            _(
                "Van \u201c%(current)s\u201d naar \u201c%(target)s\u201d is niet toegestaan.",
                current=machine.label(current),
                target=machine.label(target),
            )
        )
    obj.status = target
    obj.status_changed_at = utcnow()
    obj.status_changed_by_id = actor.id if actor is not None else None
    record(
        "status_changed",
        actor=actor,
        region_id=region_id,
        person_id=person_id,
        object_type=machine.name,
        object_id=obj.id,
        categories=["proces"],
        details={"from": current, "to": target, **(details or {})},
    )
