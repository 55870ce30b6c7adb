"""Timeline entries of retention: proposed for destruction, kept longer, legal hold, withdrawn.

Process data only (category `proces`); the privacy officer's reasons are not shown here.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _

from levensloop.extensions import db
from levensloop.retention import rules
from levensloop.retention.models import DestructionEntry
from levensloop.sharing.categories import Category
from levensloop.timeline import Entry, provider

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _day(moment) -> date | None:
    return moment.astimezone(AMSTERDAM).date() if moment is not None else None


@provider
def retention_events(person, today: date) -> list[Entry]:
    kind = _("Bewaren")
    entries = []
    for item in db.session.scalars(
        sa.select(DestructionEntry).where(DestructionEntry.person_id == person.id)
    ):
        entries.append(
            Entry(
                _day(item.proposed_at),
                Category.PROCES,
                kind,
                _(
                    "Voorgesteld voor vernietiging: de bewaartermijn is verstreken op %(date)s",
                    date=format_date(item.due_since, "long"),
                ),
            )
        )
        changed = _day(item.status_changed_at)
        if item.status == rules.VERLENGD and item.extended_until:
            text = _(
                "Bewaartermijn verlengd tot %(date)s",
                date=format_date(item.extended_until, "long"),
            )
        elif item.status == rules.JURIDISCHE_BLOKKADE:
            text = _("Juridische blokkade: de gegevens worden niet vernietigd")
        elif item.status == rules.BLOKKADE_OPGEHEVEN:
            text = _("Juridische blokkade opgeheven")
        elif item.status == rules.INGETROKKEN:
            text = _(
                "Voorstel tot vernietiging ingetrokken: %(reason)s",
                reason=rules.blocker_label(item.withdrawn_code),
            )
        else:
            continue
        entries.append(Entry(changed, Category.PROCES, kind, text))
    return entries
