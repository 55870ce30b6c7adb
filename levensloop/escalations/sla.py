"""Response times of the escalation route, in werkdagen (DOMAIN.md §6).

Each level has a name and a response time per region; a region without its own setting uses the
defaults below. The due date of an escalation is the day it was opened plus its level's response
time in werkdagen (weekends and Dutch public holidays do not count, see `levensloop.workdays`).

A suspension pauses the clock: the werkdagen that were left when it was suspended start again
after the last day of the suspension (at least one, so the owner always has a werkdag to act).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from levensloop.escalations.models import Escalation, EscalationLevel
from levensloop.escalations.states import ACTIVE, LEVELS
from levensloop.extensions import db
from levensloop.workdays import add_workdays, workdays_between

MIN_DAYS, MAX_DAYS = 1, 120

DEFAULTS = {
    0: (_l("Casus (levensloopteam)"), 5),
    1: (_l("ZVH procesregie / Levenslooptafel"), 10),
    2: (_l("Regionale bestuurlijke overlegtafel"), 20),
    3: (_l("Landelijk"), 30),
}


@dataclass(frozen=True)
class LevelSetting:
    level: int
    name: str
    response_days: int
    custom: bool  # the region's own setting (False: the default)
    version: int = 0


def levels_of(region_id: uuid.UUID) -> dict[int, LevelSetting]:
    """The four levels of a region, its own settings over the defaults (one query)."""
    own = {
        row.level: row
        for row in db.session.scalars(
            sa.select(EscalationLevel).where(EscalationLevel.region_id == region_id)
        )
    }
    result = {}
    for level in LEVELS:
        if level in own:
            row = own[level]
            result[level] = LevelSetting(level, row.name, row.response_days, True, row.version)
        else:
            name, days = DEFAULTS[level]
            result[level] = LevelSetting(level, str(name), days, False)
    return result


def due_date(opened_on: date, response_days: int) -> date:
    return add_workdays(opened_on, response_days)


def due_after_suspension(today: date, due: date, until: date) -> date:
    """The new due date when an escalation is suspended today until `until` (inclusive)."""
    left = max(workdays_between(today, due), 1)
    return add_workdays(until, left)


def overdue_clause(today: date):
    """SQL: past its due date, open or in behandeling, not suspended today."""
    return sa.and_(
        Escalation.status.in_(ACTIVE),
        Escalation.due_date < today,
        sa.or_(Escalation.suspended_until.is_(None), Escalation.suspended_until < today),
    )
