"""Attachments on a person's file: metadata in one table, the encrypted content in another.

Lists read `documents` only; the content (`document_contents`) is loaded for a download and
nowhere else. The title, the description and the original filename are personal data and are
encrypted like every other personal field; the content is encrypted with the same key (the
person's data key), bound to its table, column and row (see `documents.services`).
"""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from levensloop.crypto.orm import EncryptedField
from levensloop.db import UUIDPrimaryKey, utcnow
from levensloop.extensions import db
from levensloop.organisations.models import Organisation


class Document(UUIDPrimaryKey, db.Model):
    __tablename__ = "documents"

    person_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("persons.id"), index=True)
    region_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("regions.id"), index=True)
    category: Mapped[str] = mapped_column(sa.String(20))  # a sharing.categories.Category value
    content_type: Mapped[str] = mapped_column(sa.String(100))  # as detected from the content
    size: Mapped[int]  # bytes of the plaintext
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    uploaded_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"))
    uploaded_by_organisation_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("organisations.id")
    )

    title_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    title = EncryptedField(subject="person_id")
    description_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    description = EncryptedField(subject="person_id")
    filename_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    filename = EncryptedField(subject="person_id")

    uploaded_by_organisation: Mapped[Organisation | None] = relationship(lazy="raise")


class DocumentContent(db.Model):
    """The encrypted bytes of one document (one row per document, same id)."""

    __tablename__ = "document_contents"

    document_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("documents.id"), primary_key=True)
    person_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("persons.id"), index=True)
    content_enc: Mapped[bytes] = mapped_column(sa.LargeBinary)
