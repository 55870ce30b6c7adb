"""Timeline entries of the escalation route: opened, escalated to the next level, resolved or
withdrawn. Category `proces`; the text names the level and the reason, never the free text."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import has_request_context, url_for
from flask_babel import gettext as _

from levensloop.auth.models import Role
from levensloop.auth.policy import has_role
from levensloop.escalations import sla
from levensloop.escalations import states as s
from levensloop.escalations.models import Escalation
from levensloop.extensions import db
from levensloop.sharing.categories import Category
from levensloop.timeline import Entry, provider


def _link(person, escalation_id) -> str | None:
    """A link for those who may open the escalation pages (procesregisseur, coördinator)."""
    if not has_request_context():
        return None
    if not has_role(Role.PROCESREGISSEUR, Role.LEVENSLOOPCOORDINATOR):
        return None
    return url_for("escalations.detail", person_id=person.id, escalation_id=escalation_id)


@provider
def escalation_events(person, today: date) -> list[Entry]:
    rows = db.session.execute(
        sa.select(
            Escalation.id,
            Escalation.parent_id,
            Escalation.level,
            Escalation.reason,
            Escalation.status,
            Escalation.opened_on,
            Escalation.closed_on,
        ).where(Escalation.person_id == person.id)
    ).all()
    if not rows:
        return []
    levels = sla.levels_of(person.region_id)
    kind = _("Escalatie")
    entries = []
    for row in rows:
        url = _link(person, row.id)
        name = levels[row.level].name
        if row.parent_id is None:  # an escalated one shows up as its predecessor's step
            entries.append(
                Entry(
                    row.opened_on,
                    Category.PROCES,
                    kind,
                    _(
                        "Geopend op niveau %(level)s (%(name)s): %(reason)s",
                        level=row.level,
                        name=name,
                        reason=s.reason_label(row.reason),
                    ),
                    url,
                )
            )
        if row.closed_on is None:
            continue
        if row.status == s.OPGESCHAALD:
            following = row.level + 1
            text = _(
                "Opgeschaald naar niveau %(level)s (%(name)s)",
                level=following,
                name=levels[following].name if following in levels else "",
            )
        elif row.status == s.OPGELOST:
            text = _("Opgelost op niveau %(level)s (%(name)s)", level=row.level, name=name)
        elif row.status == s.INGETROKKEN:
            text = _("Ingetrokken op niveau %(level)s (%(name)s)", level=row.level, name=name)
        else:
            continue
        entries.append(Entry(row.closed_on, Category.PROCES, kind, text, url))
    return entries
