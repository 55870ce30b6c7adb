"""Timeline entries of titles (start, extension, voorwaardelijke beëindiging, end), placements
(start, end) and refusals. A title's entries carry its type's category; placements and refusals
are `zorg`. A fixed number of queries whatever the number of events; nothing dated after
today."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import has_request_context, url_for
from flask_babel import format_date
from flask_babel import gettext as _

from levensloop.extensions import db
from levensloop.organisations.models import Organisation
from levensloop.sharing.categories import Category
from levensloop.timeline import Entry, provider
from levensloop.titles.models import (
    LegalTitle,
    Placement,
    PlacementRefusal,
    TitleExtension,
    TitleType,
)
from levensloop.titles.states import BEEINDIGD, SETTINGS


def _url(person) -> str | None:
    return url_for("titles.index", person_id=person.id) if has_request_context() else None


@provider
def title_events(person, today: date) -> list[Entry]:
    url = _url(person)
    entries: list[Entry] = []

    def add(on, category, kind, text):
        if on is not None and on <= today:
            entries.append(Entry(on, Category(category), kind, text, url))

    titles = list(
        db.session.execute(
            sa.select(LegalTitle, TitleType.name, TitleType.category)
            .join(TitleType, TitleType.code == LegalTitle.type_code)
            .where(LegalTitle.person_id == person.id)
        )
    )
    names = {t.id: (name, category) for t, name, category in titles}
    for title, name, category in titles:
        add(title.start_date, category, _("Titel"), _("%(type)s gaat in", type=name))
        add(
            title.conditionally_ended_on,
            category,
            _("Titel"),
            _("%(type)s voorwaardelijk beëindigd", type=name),
        )
        add(
            title.ended_on,
            category,
            _("Titel"),
            _("%(type)s beëindigd", type=name)
            if title.status == BEEINDIGD
            else _("%(type)s vervallen", type=name),
        )
    for extension in db.session.scalars(
        sa.select(TitleExtension).where(TitleExtension.person_id == person.id)
    ):
        name, category = names.get(extension.title_id, ("", "justitie"))
        add(
            extension.decided_on,
            category,
            _("Verlenging"),
            _(
                "%(type)s verlengd tot en met %(date)s",
                type=name,
                date=format_date(extension.new_end, "medium"),
            ),
        )

    placements = list(
        db.session.scalars(sa.select(Placement).where(Placement.person_id == person.id))
    )
    refusals = list(
        db.session.scalars(
            sa.select(PlacementRefusal).where(PlacementRefusal.person_id == person.id)
        )
    )
    ids = {p.provider_organisation_id for p in placements + refusals} - {None}
    organisations = (
        dict(
            db.session.execute(
                sa.select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids))
            ).all()
        )
        if ids
        else {}
    )

    def provider_of(item) -> str:
        return item.provider_name or organisations.get(item.provider_organisation_id) or ""

    for placement in placements:
        setting = str(SETTINGS.get(placement.setting, placement.setting))
        add(
            placement.start_date,
            Category.ZORG,
            _("Plaatsing"),
            _(
                "%(provider)s (%(setting)s, beveiligingsniveau %(level)s)",
                provider=provider_of(placement),
                setting=setting.lower(),
                level=placement.security_level,
            ),
        )
        add(
            placement.end_date,
            Category.ZORG,
            _("Plaatsing beëindigd"),
            provider_of(placement),
        )
    for refusal in refusals:
        add(
            refusal.refused_on,
            Category.ZORG,
            _("Weigering"),
            _(
                "%(provider)s weigerde een plaats (%(setting)s)",
                provider=provider_of(refusal),
                setting=str(SETTINGS.get(refusal.setting, refusal.setting)).lower(),
            ),
        )
    return entries
