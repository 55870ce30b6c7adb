"""A referred or included person. Every personal field is encrypted under the person's own key.

After crypto-shredding the row stays as a tombstone (region, dates, status) so that counts over
the past remain right; nothing personal can be read any more.
"""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from levensloop.crypto.orm import EncryptedField
from levensloop.db import Timestamps, UUIDPrimaryKey
from levensloop.extensions import db

# Personal fields, their kind and data category (for the sharing policy).
PERSON_FIELDS = {
    "voornamen": ("str", "identiteit"),
    "roepnaam": ("str", "identiteit"),
    "tussenvoegsel": ("str", "identiteit"),
    "achternaam": ("str", "identiteit"),
    "bsn": ("str", "identiteit"),
    "geboortedatum": ("date", "identiteit"),
    "geslacht": ("str", "identiteit"),
    "adres": ("str", "contact"),
    "briefadres": ("bool", "contact"),
    "telefoon": ("str", "contact"),
    "email": ("str", "contact"),
    "notities": ("str", "proces"),
}


class Person(UUIDPrimaryKey, Timestamps, db.Model):
    __tablename__ = "persons"

    region_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("regions.id"), index=True)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(sa.String(20), default="actief")
    shredded_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    voornamen_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    roepnaam_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    tussenvoegsel_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    achternaam_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    bsn_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    geboortedatum_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    geslacht_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    adres_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    briefadres_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    telefoon_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    email_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    notities_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)

    # Blind indexes (truncated HMAC; see levensloop.crypto.blind_index for the bit lengths).
    bsn_bidx: Mapped[int | None] = mapped_column(index=True)
    achternaam_bidx: Mapped[int | None] = mapped_column(index=True)
    achternaam_geboortedatum_bidx: Mapped[int | None] = mapped_column(index=True)

    voornamen = EncryptedField()
    roepnaam = EncryptedField()
    tussenvoegsel = EncryptedField()
    achternaam = EncryptedField()
    bsn = EncryptedField()
    geboortedatum = EncryptedField("date")
    geslacht = EncryptedField()
    adres = EncryptedField()
    briefadres = EncryptedField("bool")
    telefoon = EncryptedField()
    email = EncryptedField()
    notities = EncryptedField()

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:  # never the decrypted fields
        return f"<Person {self.id}>"

    @property
    def public_id(self) -> str:
        return str(self.id)

    @property
    def is_shredded(self) -> bool:
        return self.shredded_at is not None

    @property
    def display_name(self) -> str:
        if self.is_shredded:
            return str(_l("gegevens vernietigd"))
        first = self.roepnaam or (self.voornamen or "").split(" ")[0]
        return " ".join(p for p in (first, self.tussenvoegsel, self.achternaam) if p)
