"""Attachments on a person's file: upload, list, download and delete, by the policy and audited.

- Uploading and deleting need the right to update the person's file.
- Every document carries a data category; the list, the download and the timeline show it only
  to who may see that category.
- The content is checked by what it is (see `detect`), limited in size and encrypted with the
  person's data key, bound to the table, column and row; destroying that key (crypto-shredding)
  makes it unreadable like the rest of the file.
- Nothing personal (title, filename, content) goes into the audit details.
"""

from __future__ import annotations

import unicodedata
import uuid
from dataclasses import dataclass
from typing import BinaryIO
from urllib.parse import quote

import sqlalchemy as sa
from flask import current_app
from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from levensloop.audit.services import record
from levensloop.crypto import aead, fields, orm
from levensloop.db import utcnow
from levensloop.documents import detect
from levensloop.documents.models import Document, DocumentContent
from levensloop.errors import DomainError, NotAllowed, NotFound
from levensloop.extensions import db
from levensloop.sharing import policy
from levensloop.sharing.categories import Category
from levensloop.sharing.policy import Access

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# What a multipart body may carry on top of the file (boundaries, the other fields).
MULTIPART_MARGIN = 256 * 1024
PAGE_SIZE = 25
TITLE_MAX = 200
DESCRIPTION_MAX = 2000
FILENAME_MAX = 200

CONTENT_TABLE, CONTENT_COLUMN = "document_contents", "content"


class DocumentUnreadable(DomainError):
    """The person's data key is gone (shredded): the content can no longer be decrypted."""

    status_code = 404


def max_bytes() -> int:
    return int(current_app.config.get("ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def request_limit() -> int:
    """The most an upload request may carry: the file limit plus room for the form around it.
    Used instead of MAX_CONTENT_LENGTH on the upload route, so a file just over the limit gets
    the field message rather than the generic 413 page."""
    return max_bytes() + MULTIPART_MARGIN


def human_size(size: int) -> str:
    """A size the way people read it: "812 bytes", "14 kB", "2,5 MB"."""
    if size < 1024:
        return _("%(n)s bytes", n=size)
    if size < 1024 * 1024:
        return _("%(n)s kB", n=format_decimal(round(size / 1024)))
    return _("%(n)s MB", n=format_decimal(round(size / (1024 * 1024), 1)))


def too_large_message() -> str:
    return _(
        "Het bestand is te groot. Een document mag maximaal %(size)s zijn; maak het kleiner "
        "of deel het op.",
        size=human_size(max_bytes()),
    )


def type_refused_message() -> str:
    return _(
        "Dit soort bestand kan niet worden toegevoegd. Toegestaan zijn PDF, PNG, JPEG, Word "
        "(.docx), Excel (.xlsx), OpenDocument-tekst (.odt) en platte tekst (.txt). Het soort "
        "wordt bepaald aan de inhoud van het bestand, niet aan de naam."
    )


# ---------------------------------------------------------------- encryption of the content


def _content_context(document_id: uuid.UUID) -> bytes:
    return fields.context(CONTENT_TABLE, CONTENT_COLUMN, document_id)


def _encrypt(person_id: uuid.UUID, document_id: uuid.UUID, data: bytes) -> bytes:
    session = db.session()
    with session.no_autoflush:
        key, generation = orm.key_source(session).data_key(person_id)
    return aead.encrypt(key, generation, data, _content_context(document_id), aead.MAGIC_FIELD)


def _decrypt(content: DocumentContent) -> bytes:
    session = db.session()
    try:
        with session.no_autoflush:
            key, _generation = orm.key_source(session).data_key(content.person_id)
    except orm.ShreddedError:
        raise DocumentUnreadable(_("Dit document is vernietigd en kan niet meer worden geopend."))
    return aead.decrypt(
        key, content.content_enc, _content_context(content.document_id), aead.MAGIC_FIELD
    )


# ---------------------------------------------------------------- upload


def _clean_filename(name: str | None) -> str:
    """The last path component, printable characters only, at most FILENAME_MAX long."""
    name = unicodedata.normalize("NFC", (name or "").replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"<>:|?*')
    return name.strip(" .")[:FILENAME_MAX]


def add_document(
    actor,
    region,
    person,
    *,
    title: str,
    category: str,
    filename: str | None,
    stream: BinaryIO,
    description: str | None = None,
) -> Document:
    """Check, encrypt and store one document; raises DomainError naming the field otherwise.
    Nothing is stored unless everything is right."""
    if not policy.can(actor, policy.UPDATE, person):
        raise NotAllowed(_("U mag geen documenten toevoegen aan het dossier van deze persoon."))
    if person.is_shredded:
        raise DomainError(_("De gegevens van deze persoon zijn vernietigd."))
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Geef het document een titel."), field="title")
    if len(title) > TITLE_MAX:
        raise DomainError(
            _("De titel mag hoogstens %(n)s tekens lang zijn.", n=TITLE_MAX), field="title"
        )
    description = (description or "").strip()
    if len(description) > DESCRIPTION_MAX:
        raise DomainError(
            _("De omschrijving mag hoogstens %(n)s tekens lang zijn.", n=DESCRIPTION_MAX),
            field="description",
        )
    if not category:
        raise DomainError(_("Kies de categorie van het document."), field="category")
    if category not in {str(c) for c in policy.visible_categories(actor, person)}:
        raise DomainError(
            _("Kies een categorie die u bij deze persoon mag zien."), field="category"
        )
    limit = max_bytes()
    data = stream.read(limit + 1)
    if not data:
        raise DomainError(_("Het bestand is leeg. Kies een bestand met inhoud."), field="file")
    if len(data) > limit:
        raise DomainError(too_large_message(), field="file")
    content_type = detect.detect(data)
    if content_type is None:
        raise DomainError(type_refused_message(), field="file")

    document = Document(
        id=uuid.uuid4(),
        person_id=person.id,
        region_id=region.id,
        category=category,
        content_type=content_type,
        size=len(data),
        uploaded_at=utcnow(),
        uploaded_by_id=actor.id if actor is not None else None,
        uploaded_by_organisation_id=actor.organisation_id if actor is not None else None,
    )
    db.session.add(document)
    document.title = title
    document.description = description or None
    document.filename = _clean_filename(filename) or None
    db.session.flush()  # the content row refers to the document
    db.session.add(
        DocumentContent(
            document_id=document.id,
            person_id=person.id,
            content_enc=_encrypt(person.id, document.id, data),
        )
    )
    record(
        "create",
        actor=actor,
        region_id=region.id,
        person_id=person.id,
        object_type="document",
        object_id=document.id,
        categories=[category],
        details={"content_type": content_type, "size": len(data)},
    )
    db.session.commit()
    return document


# ---------------------------------------------------------------- list


@dataclass
class DocumentList:
    pagination: object  # a Flask-SQLAlchemy Pagination of Document (with the organisation)
    categories: list[Category]  # the categories the viewer may filter on


def list_documents(
    actor, region, person, decision: Access, *, category: str | None = None, page: int = 1
) -> DocumentList:
    """The documents of the categories the viewer may see, newest first, paged and filtered in
    SQL (one query for the page, joined with the uploading organisations, one for the count).
    Viewing the list is recorded with the categories shown."""
    visible = sorted(str(c) for c in decision.categories)
    wanted = [category] if category in visible else visible
    query = (
        sa.select(Document)
        .where(
            Document.person_id == person.id,
            Document.region_id == region.id,
            Document.category.in_(wanted or [""]),
        )
        .options(joinedload(Document.uploaded_by_organisation))
        .order_by(Document.uploaded_at.desc(), Document.id)
    )
    if person.is_shredded:
        query = query.where(sa.false())
    pagination = db.paginate(query, page=page, per_page=PAGE_SIZE, error_out=False)
    record(
        "read",
        actor=actor,
        region_id=region.id,
        person_id=person.id,
        object_type="documenten",
        categories=sorted({d.category for d in pagination.items}) or ["proces"],
        legal_basis=decision.legal_basis,
        purpose="noodtoegang" if decision.break_glass is not None else None,
        details={"results": pagination.total, "break_glass": decision.break_glass is not None},
    )
    db.session.commit()
    return DocumentList(pagination, [c for c in Category if str(c) in visible])


# ---------------------------------------------------------------- one document


def get_document(actor, region, person, decision: Access, document_id) -> Document:
    """A document of this person: 404 when it belongs to someone else (or another region) or
    does not exist; 403 (recorded) when the viewer may not see its category."""
    document = db.session.get(Document, document_id) if document_id else None
    if document is None or document.person_id != person.id or document.region_id != region.id:
        raise NotFound(_("Dit document bestaat niet."))
    if person.is_shredded:
        raise DocumentUnreadable(_("Dit document is vernietigd en kan niet meer worden geopend."))
    if document.category not in {str(c) for c in decision.categories}:
        record(
            "access_denied",
            actor=actor,
            outcome="failure",
            region_id=region.id,
            person_id=person.id,
            object_type="document",
            object_id=document.id,
            categories=[document.category],
        )
        db.session.commit()
        raise NotAllowed(_("U mag documenten uit deze categorie niet inzien."))
    return document


@dataclass
class Download:
    data: bytes
    content_type: str  # with the charset for text
    disposition: str  # the Content-Disposition header value


def download(actor, region, person, decision: Access, document_id) -> Download:
    """The decrypted content of a document, for an attachment download; recorded as a read
    with the document's category."""
    document = get_document(actor, region, person, decision, document_id)
    content = db.session.get(DocumentContent, document.id)
    if content is None:
        raise NotFound(_("Dit document bestaat niet."))
    data = _decrypt(content)
    record(
        "read",
        actor=actor,
        region_id=region.id,
        person_id=person.id,
        object_type="document",
        object_id=document.id,
        categories=[document.category],
        legal_basis=decision.legal_basis,
        purpose="noodtoegang" if decision.break_glass is not None else None,
        details={"download": True, "break_glass": decision.break_glass is not None},
    )
    db.session.commit()
    content_type = document.content_type
    if content_type == detect.TEXT:
        content_type += "; charset=utf-8"
    return Download(data, content_type, content_disposition(document))


def download_name(document: Document) -> str:
    """The original filename, with the extension of the detected type added when it does not
    already end in one (a text file called "x.html" downloads as "x.html.txt")."""
    extensions = detect.EXTENSIONS[document.content_type]
    name = _clean_filename(document.filename) or "document"
    if not name.lower().endswith(extensions):
        name += extensions[0]
    return name


def content_disposition(document: Document) -> str:
    """RFC 6266: always an attachment; a neutral ASCII name for old clients and the original
    name in `filename*` (RFC 8187, UTF-8, percent-encoded, so nothing can break the header)."""
    neutral = "document" + detect.EXTENSIONS[document.content_type][0]
    return (
        f'attachment; filename="{neutral}"; '
        f"filename*=UTF-8''{quote(download_name(document), safe='')}"
    )


def view_for_delete(actor, region, person, decision: Access, document_id) -> Document:
    """The document on the confirmation page; showing its title there is a read."""
    if not policy.can(actor, policy.UPDATE, person):
        raise NotAllowed(_("U mag geen documenten verwijderen uit het dossier van deze persoon."))
    document = get_document(actor, region, person, decision, document_id)
    record(
        "read",
        actor=actor,
        region_id=region.id,
        person_id=person.id,
        object_type="document",
        object_id=document.id,
        categories=[document.category],
        details={"confirm_delete": True},
    )
    db.session.commit()
    return document


def delete_document(actor, region, person, decision: Access, document_id) -> None:
    """Remove a document and its content for good; recorded with its category."""
    if not policy.can(actor, policy.UPDATE, person):
        raise NotAllowed(_("U mag geen documenten verwijderen uit het dossier van deze persoon."))
    document = get_document(actor, region, person, decision, document_id)
    details = {"content_type": document.content_type, "size": document.size}
    category = document.category
    db.session.execute(sa.delete(DocumentContent).where(DocumentContent.document_id == document.id))
    db.session.delete(document)
    record(
        "delete",
        actor=actor,
        region_id=region.id,
        person_id=person.id,
        object_type="document",
        object_id=document_id,
        categories=[category],
        details=details,
    )
    db.session.commit()


# ---------------------------------------------------------------- retention


def purge_person_documents(person_id: uuid.UUID) -> int:
    """Delete the (already unreadable) ciphertext of a shredded person's documents, keeping no
    blobs that no key can open. Does not commit: the caller's transaction shreds the person."""
    db.session.execute(sa.delete(DocumentContent).where(DocumentContent.person_id == person_id))
    result = db.session.execute(
        sa.update(Document)
        .where(Document.person_id == person_id)
        .values(title_enc=None, description_enc=None, filename_enc=None)
    )
    return result.rowcount or 0
