"""One data key per person, plus the system data key, each stored only wrapped."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from levensloop.db import utcnow
from levensloop.extensions import db

SYSTEM_KEY_ID = uuid.UUID("00000000-0000-4000-8000-000000000001")


class DataKey(db.Model):
    __tablename__ = "data_keys"

    # The subject: a person's id, or SYSTEM_KEY_ID.
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20), default="person")
    generation: Mapped[int] = mapped_column(default=1)
    master_version: Mapped[int | None] = mapped_column(index=True)
    wrapped_key: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    rewrapped_at: Mapped[datetime | None]
    shredded_at: Mapped[datetime | None]

    @property
    def is_shredded(self) -> bool:
        return self.wrapped_key is None
