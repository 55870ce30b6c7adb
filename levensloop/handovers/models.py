"""A warm handover of a person between titles, organisations, coordinators or regions.

`region_id` is the sending region and never changes, also after an inter-regional handover has
moved the person: each region keeps its own record of what it handed over. The reason of a
refusal and the note are about the person, so they are encrypted under the person's key.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from levensloop.crypto.orm import EncryptedField
from levensloop.db import Timestamps, UUIDPrimaryKey
from levensloop.extensions import db
from levensloop.handovers.states import CHECKLIST, GEPLAND


class Handover(UUIDPrimaryKey, Timestamps, db.Model):
    __tablename__ = "handovers"

    region_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("regions.id"), index=True)
    person_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("persons.id"), index=True)
    trajectory_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("trajectories.id"), index=True
    )
    kind: Mapped[str] = mapped_column(sa.String(20))
    status: Mapped[str] = mapped_column(sa.String(20), default=GEPLAND, index=True)
    status_changed_at: Mapped[datetime | None]
    status_changed_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"))

    from_organisation_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("organisations.id")
    )
    to_organisation_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("organisations.id"), index=True
    )
    from_user_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"))
    to_user_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    from_region_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("regions.id"))
    to_region_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("regions.id"), index=True)
    predecessor_title_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("legal_titles.id"))
    successor_title_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("legal_titles.id"))
    due_date: Mapped[date] = mapped_column(index=True)

    created_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"))
    offered_at: Mapped[datetime | None]
    offered_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"))
    accepted_at: Mapped[datetime | None]
    accepted_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"))
    completed_at: Mapped[datetime | None]
    completed_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"))
    rejected_at: Mapped[datetime | None]
    rejected_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"))
    withdrawn_at: Mapped[datetime | None]
    withdrawn_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"))

    # The checklist of DOMAIN.md §5, each item with who ticked it and when.
    behandelhistorie: Mapped[bool] = mapped_column(default=False)
    behandelhistorie_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"))
    behandelhistorie_at: Mapped[datetime | None]
    risicotaxatie_signaleringsplan: Mapped[bool] = mapped_column(default=False)
    risicotaxatie_signaleringsplan_by_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("users.id")
    )
    risicotaxatie_signaleringsplan_at: Mapped[datetime | None]
    levensloopplan: Mapped[bool] = mapped_column(default=False)
    levensloopplan_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"))
    levensloopplan_at: Mapped[datetime | None]
    netwerk_contacten: Mapped[bool] = mapped_column(default=False)
    netwerk_contacten_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"))
    netwerk_contacten_at: Mapped[datetime | None]
    zorg_medicatie: Mapped[bool] = mapped_column(default=False)
    zorg_medicatie_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"))
    zorg_medicatie_at: Mapped[datetime | None]
    financiering_indicatie: Mapped[bool] = mapped_column(default=False)
    financiering_indicatie_by_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("users.id")
    )
    financiering_indicatie_at: Mapped[datetime | None]
    warme_kennismaking: Mapped[bool] = mapped_column(default=False)
    warme_kennismaking_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"))
    warme_kennismaking_at: Mapped[datetime | None]

    version: Mapped[int] = mapped_column(default=1)

    reject_reason_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    reject_reason = EncryptedField(subject="person_id")
    note_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    note = EncryptedField(subject="person_id")

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Handover {self.id} {self.kind} {self.status}>"

    @property
    def ticked(self) -> set[str]:
        return {item for item in CHECKLIST if getattr(self, item)}

    @property
    def missing(self) -> list[str]:
        return [item for item in CHECKLIST if not getattr(self, item)]

    @property
    def regions(self) -> set[uuid.UUID]:
        """The regions that take part: the sender and, for an inter-regional one, the receiver."""
        return {self.region_id} | ({self.to_region_id} if self.to_region_id else set())
