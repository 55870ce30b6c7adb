"""Regions and partner organisations."""

from __future__ import annotations

import enum
import uuid

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from levensloop.db import Timestamps, UUIDPrimaryKey, enum_column
from levensloop.extensions import db


class OrganisationType(enum.StrEnum):
    """Types of ketenpartner (DOMAIN.md §1); the type drives the default sharing matrix."""

    GEMEENTE = "gemeente"
    POLITIE = "politie"
    OM = "om"
    RECLASSERING = "reclassering"
    GGZ = "ggz"
    VG_AANBIEDER = "vg_aanbieder"
    FORENSISCHE_ZORG = "forensische_zorg"
    VERSLAVINGSZORG = "verslavingszorg"
    MO_BW = "mo_bw"
    DJI = "dji"
    NIFP = "nifp"
    ZORGVERZEKERAAR = "zorgverzekeraar"
    ZORGKANTOOR = "zorgkantoor"
    CIZ = "ciz"
    VEILIG_THUIS = "veilig_thuis"
    WONINGCORPORATIE = "woningcorporatie"
    RVDK_GI = "rvdk_gi"
    ZVH = "zvh"
    LANDELIJK = "landelijk"

    @property
    def label(self) -> str:
        return str(ORGANISATION_TYPE_LABELS[self])


ORGANISATION_TYPE_LABELS = {
    OrganisationType.GEMEENTE: _l("Gemeente"),
    OrganisationType.POLITIE: _l("Politie"),
    OrganisationType.OM: _l("Openbaar Ministerie"),
    OrganisationType.RECLASSERING: _l("Reclassering (3RO)"),
    OrganisationType.GGZ: _l("Ggz-aanbieder (incl. FACT)"),
    OrganisationType.VG_AANBIEDER: _l("Aanbieder verstandelijk gehandicaptenzorg"),
    OrganisationType.FORENSISCHE_ZORG: _l("Forensische zorgaanbieder"),
    OrganisationType.VERSLAVINGSZORG: _l("Verslavingszorg"),
    OrganisationType.MO_BW: _l("Maatschappelijke opvang / beschermd wonen"),
    OrganisationType.DJI: _l("Dienst Justitiële Inrichtingen"),
    OrganisationType.NIFP: _l("NIFP"),
    OrganisationType.ZORGVERZEKERAAR: _l("Zorgverzekeraar"),
    OrganisationType.ZORGKANTOOR: _l("Zorgkantoor"),
    OrganisationType.CIZ: _l("CIZ"),
    OrganisationType.VEILIG_THUIS: _l("Veilig Thuis"),
    OrganisationType.WONINGCORPORATIE: _l("Woningcorporatie"),
    OrganisationType.RVDK_GI: _l("Raad voor de Kinderbescherming / gecertificeerde instelling"),
    OrganisationType.ZVH: _l("Zorg- en Veiligheidshuis"),
    OrganisationType.LANDELIJK: _l("Landelijk coördinatiepunt (LCBB / Levensloopaanpak)"),
}


class Region(UUIDPrimaryKey, Timestamps, db.Model):
    """One Zorg- en Veiligheidshuis: a hard partition of the data."""

    __tablename__ = "regions"

    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    contactpunt_email: Mapped[str | None] = mapped_column(sa.String(200))
    active: Mapped[bool] = mapped_column(default=True)

    organisations: Mapped[list[Organisation]] = relationship(back_populates="region")

    @property
    def public_id(self) -> str:
        return str(self.id)


class Organisation(UUIDPrimaryKey, Timestamps, db.Model):
    """A ketenpartner registered with one region's ZVH."""

    __tablename__ = "organisations"
    __table_args__ = (sa.UniqueConstraint("region_id", "name"),)

    region_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("regions.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(160))
    type: Mapped[OrganisationType] = mapped_column(enum_column(OrganisationType))
    active: Mapped[bool] = mapped_column(default=True)
    version: Mapped[int] = mapped_column(default=1)

    region: Mapped[Region] = relationship(back_populates="organisations")

    __mapper_args__ = {"version_id_col": version}

    @property
    def public_id(self) -> str:
        return str(self.id)
