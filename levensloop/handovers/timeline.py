"""Timeline entries of handovers (planned, offered, accepted, refused, withdrawn, completed), all
of category proces. Two queries whatever the number of handovers: the handovers and the names
of the organisations, coördinators and regions involved (one each, only when needed)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import has_request_context, url_for
from flask_babel import gettext as _

from levensloop.extensions import db
from levensloop.handovers import services
from levensloop.handovers import states as s
from levensloop.handovers.models import Handover
from levensloop.sharing.categories import Category
from levensloop.timeline import Entry, provider


@provider
def handover_events(person, today: date) -> list[Entry]:
    handovers = list(db.session.scalars(sa.select(Handover).where(Handover.person_id == person.id)))
    if not handovers:
        return []
    names = services.names_for(handovers)
    entries: list[Entry] = []
    for handover in handovers:
        url = (
            url_for("handovers.detail", person_id=person.id, handover_id=handover.id)
            if has_request_context()
            else None
        )
        kind = s.kind_label(handover.kind)
        _source, target = services.ends(handover, names)
        for at, text in (
            (handover.created_at, _("%(kind)s gepland: %(to)s", kind=kind, to=target)),
            (handover.offered_at, _("%(kind)s aangeboden aan %(to)s", kind=kind, to=target)),
            (handover.accepted_at, _("%(kind)s geaccepteerd door %(to)s", kind=kind, to=target)),
            (handover.rejected_at, _("%(kind)s afgewezen door %(to)s", kind=kind, to=target)),
            (handover.withdrawn_at, _("%(kind)s ingetrokken: %(to)s", kind=kind, to=target)),
            (handover.completed_at, _("%(kind)s afgerond: %(to)s", kind=kind, to=target)),
        ):
            if at is None:
                continue
            day = at.date()
            if day <= today:
                entries.append(Entry(day, Category.PROCES, _("Overdracht"), text, url))
    return entries
