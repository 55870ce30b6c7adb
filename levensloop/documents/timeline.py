"""Timeline entries of the documents: "Document toegevoegd", with the document's category, so
the timeline shows it only to who may see that category."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app, has_request_context, url_for
from flask_babel import gettext as _

from levensloop.documents.models import Document
from levensloop.extensions import db
from levensloop.sharing.categories import Category
from levensloop.timeline import Entry, provider


@provider
def document_events(person, today: date) -> list[Entry]:
    """One query: the person's documents (metadata only, never the content)."""
    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/Amsterdam"))
    linked = has_request_context()
    entries = []
    for document in db.session.scalars(sa.select(Document).where(Document.person_id == person.id)):
        entries.append(
            Entry(
                document.uploaded_at.astimezone(zone).date(),
                Category(document.category),
                _("Document toegevoegd"),
                document.title or _("Document"),
                url_for("documents.index", person_id=person.id, categorie=document.category)
                if linked
                else None,
            )
        )
    return entries
