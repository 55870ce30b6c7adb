"""Regions and organisations: reading and administration (functioneel beheerder)."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from levensloop.audit.services import record
from levensloop.errors import Conflict, DomainError, NotFound
from levensloop.extensions import db
from levensloop.organisations.models import Organisation, OrganisationType, Region

PAGE_SIZE = 25


def active_regions() -> list[Region]:
    return list(db.session.scalars(sa.select(Region).where(Region.active).order_by(Region.name)))


def get_region(region_id: uuid.UUID | None) -> Region | None:
    return db.session.get(Region, region_id) if region_id else None


def organisations_in(region: Region, *, active_only: bool = True) -> list[Organisation]:
    query = sa.select(Organisation).where(Organisation.region_id == region.id)
    if active_only:
        query = query.where(Organisation.active)
    return list(db.session.scalars(query.order_by(Organisation.name)))


def list_organisations(
    region: Region, *, q: str = "", type_: str = "", status: str = "", page: int = 1
):
    query = sa.select(Organisation).where(Organisation.region_id == region.id)
    if q:
        query = query.where(Organisation.name.ilike(f"%{_escape_like(q)}%", escape="\\"))
    if type_ in set(OrganisationType):
        query = query.where(Organisation.type == OrganisationType(type_))
    if status == "actief":
        query = query.where(Organisation.active)
    elif status == "inactief":
        query = query.where(sa.not_(Organisation.active))
    return db.paginate(
        query.order_by(Organisation.name), page=page, per_page=PAGE_SIZE, error_out=False
    )


def get_organisation(region: Region, organisation_id: uuid.UUID | None) -> Organisation:
    """An organisation of this region; anything else (other region, unknown id) is 404."""
    organisation = db.session.get(Organisation, organisation_id) if organisation_id else None
    if organisation is None or organisation.region_id != region.id:
        raise NotFound(_("Deze organisatie bestaat niet in deze regio."))
    return organisation


def create_organisation(
    actor, region: Region, *, name: str, type_: OrganisationType
) -> Organisation:
    name = name.strip()
    _ensure_unique_name(region, name)
    organisation = Organisation(region_id=region.id, name=name, type=type_)
    db.session.add(organisation)
    db.session.flush()
    record(
        "organisation_created",
        actor=actor,
        region_id=region.id,
        object_type="organisation",
        object_id=organisation.id,
        details={"type": str(type_)},
    )
    db.session.commit()
    return organisation


def update_organisation(
    actor,
    region: Region,
    organisation: Organisation,
    *,
    name: str,
    type_: OrganisationType,
    active: bool,
    version: int,
) -> Organisation:
    if organisation.version != version:
        raise Conflict(
            _(
                "Iemand anders heeft deze organisatie intussen gewijzigd. Bekijk de "
                "nieuwe gegevens en voer uw wijziging opnieuw in."
            )
        )
    name = name.strip()
    if name != organisation.name:
        _ensure_unique_name(region, name)
    changed = [
        f
        for f, old, new in (
            ("name", organisation.name, name),
            ("type", organisation.type, type_),
            ("active", organisation.active, active),
        )
        if old != new
    ]
    organisation.name, organisation.type, organisation.active = name, type_, active
    try:
        record(
            "organisation_updated",
            actor=actor,
            region_id=region.id,
            object_type="organisation",
            object_id=organisation.id,
            details={"fields": changed},
        )
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise Conflict(_("Iemand anders heeft deze organisatie intussen gewijzigd.")) from None
    return organisation


def _ensure_unique_name(region: Region, name: str) -> None:
    exists = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Organisation)
        .where(
            Organisation.region_id == region.id, sa.func.lower(Organisation.name) == name.lower()
        )
    )
    if exists:
        raise DomainError(
            _("Er bestaat al een organisatie met deze naam in deze regio."), field="name"
        )


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
