"""Timeline entries of the reviews at the Levenslooptafel: one per review, with the decision."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import has_request_context, url_for
from flask_babel import gettext as _

from levensloop.extensions import db
from levensloop.reviews.models import PlanReview
from levensloop.reviews.services import decision_label
from levensloop.sharing.categories import Category
from levensloop.timeline import Entry, provider


@provider
def reviews(person, today: date) -> list[Entry]:
    rows = db.session.execute(
        sa.select(PlanReview.id, PlanReview.held_on, PlanReview.decision).where(
            PlanReview.person_id == person.id
        )
    )
    return [
        Entry(
            held_on,
            Category.PROCES,
            _("Evaluatie Levenslooptafel"),
            _("Besluit: %(decision)s", decision=decision_label(decision)),
            url_for("reviews.detail", person_id=person.id, review_id=review_id)
            if has_request_context()
            else None,
        )
        for review_id, held_on, decision in rows
    ]
