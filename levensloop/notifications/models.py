"""A notification (bericht) in a user's inbox. It holds no personal data: the title is a fixed
Dutch sentence, the person appears by id only and their name is looked up (through the policy)
when the inbox is shown."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from levensloop.db import UUIDPrimaryKey, utcnow
from levensloop.extensions import db


class Notification(UUIDPrimaryKey, db.Model):
    __tablename__ = "notifications"
    __table_args__ = (
        # The same alert for the same period is created once per user.
        sa.UniqueConstraint("user_id", "dedup_key"),
        # The header count and the unread filter: one user's unread notifications.
        sa.Index("ix_notifications_user_id_read_at", "user_id", "read_at"),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("users.id"))
    region_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("regions.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    title: Mapped[str] = mapped_column(sa.String(200))
    person_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("persons.id"), index=True)
    link: Mapped[str] = mapped_column(sa.String(300))
    dedup_key: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    emailed_at: Mapped[datetime | None] = mapped_column(index=True)

    @property
    def unread(self) -> bool:
        return self.read_at is None
