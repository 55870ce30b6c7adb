"""Timeline entries of the levensloopplan: versions adopted, actions done or stalled."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from levensloop.extensions import db
from levensloop.plans.domains import DOMAINS, VERVALLEN
from levensloop.plans.models import Action, Goal, Plan
from levensloop.sharing.categories import Category
from levensloop.timeline import Entry, provider


@provider
def plan_events(person, today: date) -> list[Entry]:
    entries = [
        Entry(
            plan.adopted_on,
            Category.PROCES,
            _("Levensloopplan"),
            _("Versie %(n)s vastgesteld", n=plan.version_no),
        )
        for plan in db.session.scalars(
            sa.select(Plan).where(Plan.person_id == person.id, Plan.adopted_on.is_not(None))
        )
    ]
    # Overdue actions are events too: the field wants to see what stalled, and when.
    for action, domain in db.session.execute(
        sa.select(Action, Goal.domain)
        .join(Goal, Goal.id == Action.goal_id)
        .join(Plan, Plan.id == Goal.plan_id)
        .where(
            Plan.status != VERVALLEN,
            Action.person_id == person.id,
            Action.due_date.is_not(None),
            Action.due_date < today,
            Action.status.in_(("open", "loopt", "gestagneerd")),
        )
    ):
        label, category = DOMAINS[domain]
        entries.append(
            Entry(
                action.due_date,
                Category(category),
                _("Actie te laat"),
                _("%(domain)s: %(text)s", domain=label, text=action.text or ""),
            )
        )
    return entries
