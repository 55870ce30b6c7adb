"""The person's network: the people around them (family, friends, neighbours, professionals
outside the case) with how to reach them. Category `contact`: only who may see contact data sees
it; adding or ending a contact needs the right to update the file."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from levensloop.audit.services import record
from levensloop.crypto.orm import EncryptedField
from levensloop.db import UUIDPrimaryKey, local_today, utcnow
from levensloop.errors import DomainError, NotAllowed, NotFound
from levensloop.extensions import db
from levensloop.sharing import policy
from levensloop.sharing.categories import Category

RELATIONS = {
    "familie": _l("Familie"),
    "partner": _l("Partner"),
    "vriend": _l("Vriend of kennis"),
    "buurt": _l("Buurt"),
    "professional": _l("Professional buiten de casus"),
    "overig": _l("Overig"),
}


class NetworkContact(UUIDPrimaryKey, db.Model):
    __tablename__ = "network_contacts"

    person_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("persons.id"), index=True)
    relation: Mapped[str] = mapped_column(sa.String(20))
    # Whether the contact is a support (steunend) or a risk for the person: plan-relevant.
    supportive: Mapped[bool | None]
    since: Mapped[date | None]
    ended_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"))

    name_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    name = EncryptedField(subject="person_id")
    reach_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    reach = EncryptedField(subject="person_id")  # telephone, e-mail or address
    note_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    note = EncryptedField(subject="person_id")


def contacts(person) -> list[NetworkContact]:
    return list(
        db.session.scalars(
            sa.select(NetworkContact)
            .where(NetworkContact.person_id == person.id)
            .order_by(NetworkContact.ended_on.is_not(None), NetworkContact.created_at)
        )
    )


def may_edit(actor, person) -> bool:
    """Changing the network needs the right to update the file and to see contact data."""
    return (
        not person.is_shredded
        and policy.can(actor, policy.UPDATE, person)
        and Category.CONTACT in policy.visible_categories(actor, person)
    )


def _require(actor, person) -> None:
    if not may_edit(actor, person):
        raise NotAllowed(_("U mag het netwerk van deze persoon niet wijzigen."))


def add_contact(
    actor,
    region,
    person,
    *,
    name: str,
    relation: str,
    reach: str = "",
    note: str = "",
    supportive: bool | None = None,
    since: date | None = None,
) -> NetworkContact:
    _require(actor, person)
    name = " ".join((name or "").split())
    if not 2 <= len(name) <= 200:
        raise DomainError(_("Vul een naam in van 2 tot 200 tekens."), field="name")
    if relation not in RELATIONS:
        raise DomainError(_("Kies de relatie."), field="relation")
    if len(reach or "") > 300:
        raise DomainError(_("Gebruik hoogstens 300 tekens."), field="reach")
    if len(note or "") > 2000:
        raise DomainError(_("Gebruik hoogstens 2000 tekens."), field="note")
    if since and since > local_today():
        raise DomainError(_("De datum ligt in de toekomst."), field="since")
    contact = NetworkContact(
        id=uuid.uuid4(),
        person_id=person.id,
        relation=relation,
        supportive=supportive,
        since=since,
        created_by_id=actor.id,
    )
    db.session.add(contact)
    contact.name = name
    contact.reach = (reach or "").strip() or None
    contact.note = (note or "").strip() or None
    record(
        "update",
        actor=actor,
        region_id=region.id,
        person_id=person.id,
        object_type="netwerkcontact",
        object_id=contact.id,
        categories=["contact"],
        details={"action": "added"},
    )
    db.session.commit()
    return contact


def end_contact(actor, region, person, contact_id: uuid.UUID | None) -> None:
    _require(actor, person)
    contact = db.session.get(NetworkContact, contact_id) if contact_id else None
    if contact is None or contact.person_id != person.id:
        raise NotFound(_("Dit contact bestaat niet bij deze persoon."))
    if contact.ended_on is not None:
        raise DomainError(_("Dit contact is al beëindigd."))
    contact.ended_on = local_today()
    record(
        "update",
        actor=actor,
        region_id=region.id,
        person_id=person.id,
        object_type="netwerkcontact",
        object_id=contact.id,
        categories=["contact"],
        details={"action": "ended"},
    )
    db.session.commit()
