"""Timeline entries of the file itself: organisations joining and leaving, the network."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from levensloop.extensions import db
from levensloop.organisations.models import Organisation
from levensloop.persons.network import RELATIONS, NetworkContact
from levensloop.sharing.categories import Category
from levensloop.sharing.models import CaseParticipant
from levensloop.timeline import Entry, provider


@provider
def participation(person, today: date) -> list[Entry]:
    entries = []
    for participant, name in db.session.execute(
        sa.select(CaseParticipant, Organisation.name)
        .join(Organisation, Organisation.id == CaseParticipant.organisation_id)
        .where(CaseParticipant.person_id == person.id)
    ):
        entries.append(
            Entry(
                participant.start_date,
                Category.PROCES,
                _("Deelname"),
                _("%(organisation)s neemt deel aan de casus", organisation=name),
            )
        )
        if participant.end_date and participant.end_date <= today:
            entries.append(
                Entry(
                    participant.end_date,
                    Category.PROCES,
                    _("Deelname"),
                    _("%(organisation)s neemt niet meer deel", organisation=name),
                )
            )
    return entries


@provider
def network(person, today: date) -> list[Entry]:
    entries = []
    for contact in db.session.scalars(
        sa.select(NetworkContact).where(NetworkContact.person_id == person.id)
    ):
        relation = str(RELATIONS.get(contact.relation, contact.relation))
        entries.append(
            Entry(
                contact.since or contact.created_at.date(),
                Category.CONTACT,
                _("Netwerk"),
                _("%(name)s (%(relation)s) in het netwerk", name=contact.name, relation=relation),
            )
        )
        if contact.ended_on:
            entries.append(
                Entry(
                    contact.ended_on,
                    Category.CONTACT,
                    _("Netwerk"),
                    _("%(name)s niet meer in het netwerk", name=contact.name),
                )
            )
    return entries
