"""The escalation route of a region: names and response times of the four levels, set by the
functioneel beheerder with a reason. Running escalations keep the due date they have."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from levensloop.audit.services import record
from levensloop.auth.models import Role
from levensloop.errors import Conflict, DomainError, NotAllowed
from levensloop.escalations import sla
from levensloop.escalations import states as s
from levensloop.escalations.models import EscalationLevel
from levensloop.escalations.services import MIN_TEXT, InvalidInput
from levensloop.extensions import db
from levensloop.organisations.models import Region

MAX_REASON = 500

# ---------------------------------------------------------------- the region's settings


def settings_stamp(levels: dict) -> str:
    """The versions of the region's four level rows, to notice someone else's change."""
    return ".".join(str(levels[level].version) for level in s.LEVELS)


def set_levels(
    actor,
    region: Region,
    *,
    names: dict[int, str],
    days: dict[int, object],
    reason: str,
    stamp: str | None,
) -> list[int]:
    """Change the names and response times of the region's levels (functioneel beheerder),
    with a reason. Running escalations keep the due date they have. Returns the levels that
    changed."""
    if actor is None or Role.FUNCTIONEEL_BEHEERDER not in actor.roles_in(region.id):
        raise NotAllowed(_("Alleen de functioneel beheerder stelt de escalatieroute in."))
    current = sla.levels_of(region.id)
    if (stamp or "") != settings_stamp(current):
        raise Conflict(
            _(
                "Iemand anders heeft de escalatieroute intussen gewijzigd. Hieronder staat de "
                "nieuwe stand; voer uw wijziging zo nodig opnieuw in."
            )
        )
    errors: dict[str, str] = {}
    wanted: dict[int, tuple[str, int]] = {}
    for level in s.LEVELS:
        name = " ".join(str(names.get(level) or "").split())
        text = str(days.get(level) if days.get(level) is not None else "").strip()
        if not 3 <= len(name) <= 120:
            errors[f"name_{level}"] = _(
                "Geef niveau %(level)s een naam van 3 tot 120 tekens.", level=level
            )
        if not (text.isascii() and text.isdigit()) or not sla.MIN_DAYS <= int(text) <= sla.MAX_DAYS:
            errors[f"days_{level}"] = _(
                "Vul voor niveau %(level)s een reactietermijn in van 1 tot en met 120 werkdagen.",
                level=level,
            )
        else:
            wanted[level] = (name, int(text))
    reason = " ".join((reason or "").split())
    if len(reason) < MIN_TEXT:
        errors["reason"] = _("Geef de reden van de wijziging (minstens 10 tekens).")
    elif len(reason) > MAX_REASON:
        errors["reason"] = _("Gebruik hoogstens 500 tekens.")
    if errors:
        raise InvalidInput(errors)
    rows = {
        row.level: row
        for row in db.session.scalars(
            sa.select(EscalationLevel).where(EscalationLevel.region_id == region.id)
        )
    }
    changes = []
    for level, (name, response_days) in wanted.items():
        before = current[level]
        if (name, response_days) == (before.name, before.response_days):
            continue
        row = rows.get(level)
        if row is None:
            row = EscalationLevel(id=uuid.uuid4(), region_id=region.id, level=level)
            db.session.add(row)
        row.name, row.response_days, row.updated_by_id = name, response_days, actor.id
        changes.append(
            {
                "level": level,
                "name_changed": name != before.name,
                "days": [before.response_days, response_days],
            }
        )
    if not changes:
        raise DomainError(_("Er is niets gewijzigd."))
    # The reason is about the region's way of working, not about a person.
    record(
        "escalation_route_changed",
        actor=actor,
        region_id=region.id,
        object_type="escalatieroute",
        object_id=str(region.id),
        details={"changes": changes, "reason": reason[:MAX_REASON]},
    )
    try:
        db.session.commit()
    except (StaleDataError, sa.exc.IntegrityError):
        db.session.rollback()
        raise Conflict(
            _("Iemand anders heeft de escalatieroute intussen gewijzigd. Bekijk de nieuwe stand.")
        ) from None
    return [c["level"] for c in changes]
