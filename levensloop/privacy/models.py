"""Rights requests at the contactpunt and the informatieplicht per person."""

from __future__ import annotations

import enum
import uuid
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from levensloop.crypto.orm import EncryptedField
from levensloop.db import Timestamps, UUIDPrimaryKey, enum_column
from levensloop.extensions import db


class RequestKind(enum.StrEnum):
    INZAGE = "inzage"
    RECTIFICATIE = "rectificatie"
    WISSING = "wissing"
    BEPERKING = "beperking"
    BEZWAAR = "bezwaar"

    @property
    def label(self) -> str:
        return str(REQUEST_KIND_LABELS[self])


REQUEST_KIND_LABELS = {
    RequestKind.INZAGE: _l("Inzage"),
    RequestKind.RECTIFICATIE: _l("Rectificatie"),
    RequestKind.WISSING: _l("Wissing"),
    RequestKind.BEPERKING: _l("Beperking"),
    RequestKind.BEZWAAR: _l("Bezwaar"),
}


class RequestStatus(enum.StrEnum):
    ONTVANGEN = "ontvangen"
    IN_BEHANDELING = "in_behandeling"
    AFGEHANDELD = "afgehandeld"
    AFGEWEZEN = "afgewezen"

    @property
    def label(self) -> str:
        return str(REQUEST_STATUS_LABELS[self])


REQUEST_STATUS_LABELS = {
    RequestStatus.ONTVANGEN: _l("Ontvangen"),
    RequestStatus.IN_BEHANDELING: _l("In behandeling"),
    RequestStatus.AFGEHANDELD: _l("Afgehandeld"),
    RequestStatus.AFGEWEZEN: _l("Afgewezen"),
}
OPEN_STATUSES = (RequestStatus.ONTVANGEN, RequestStatus.IN_BEHANDELING)


class RightsRequest(UUIDPrimaryKey, Timestamps, db.Model):
    __tablename__ = "rights_requests"

    region_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("regions.id"), index=True)
    person_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("persons.id"), index=True)
    kind: Mapped[RequestKind] = mapped_column(enum_column(RequestKind))
    status: Mapped[RequestStatus] = mapped_column(
        enum_column(RequestStatus), default=RequestStatus.ONTVANGEN
    )
    received_on: Mapped[date]
    due_on: Mapped[date]
    extended_until: Mapped[date | None]
    handler_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"))
    closed_on: Mapped[date | None]
    version: Mapped[int] = mapped_column(default=1)

    # Free text about the person: encrypted under the person's key.
    extension_reason_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    extension_reason = EncryptedField(subject="person_id")
    outcome_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    outcome = EncryptedField(subject="person_id")

    __mapper_args__ = {"version_id_col": version}

    @property
    def deadline(self) -> date:
        return self.extended_until or self.due_on

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class InformationNotice(UUIDPrimaryKey, db.Model):
    """Informatieplicht: the person was told about the processing, or telling was deferred."""

    __tablename__ = "information_notices"

    person_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("persons.id"), index=True)
    region_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("regions.id"), index=True)
    status: Mapped[str] = mapped_column(sa.String(20))  # "gegeven" | "uitgesteld"
    given_on: Mapped[date | None]
    channel: Mapped[str | None] = mapped_column(sa.String(40))
    review_on: Mapped[date | None] = mapped_column(index=True)
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[date]

    ground_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    ground = EncryptedField(subject="person_id")
