"""Legal titles, placements and refusals of a person, and the signals the overviews use.

Reading goes by data category: a title is shown only to who may see its type's category
(`justitie`, `zorg` or `sociaal`, see types.py); placements and refusals are `zorg`. Writing
needs the right to update the person's file and the category of what is written (else 403).
Every read and change is audited with the categories involved; no free text goes into the log.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from sqlalchemy.orm import contains_eager, selectinload
from sqlalchemy.orm.exc import StaleDataError

from levensloop.audit.services import record
from levensloop.db import local_today
from levensloop.errors import Conflict, DomainError, NotAllowed, NotFound
from levensloop.extensions import db
from levensloop.organisations.models import Organisation
from levensloop.sharing import policy
from levensloop.sharing.categories import Category
from levensloop.titles import rules
from levensloop.titles.models import (
    LegalTitle,
    Placement,
    PlacementRefusal,
    TitleExtension,
    TitleType,
)
from levensloop.titles.states import (
    ACTIEF,
    BEEINDIGD,
    CARROUSEL_MONTHS,
    CARROUSEL_THRESHOLD,
    CURRENT,
    ENDING_SOON_DAYS,
    FINANCIERS,
    RUNNING,
    SECURITY_LEVELS,
    SETTINGS,
    STATUS_FORM_TARGETS,
    SUPERVISORS,
    TITLE,
    VERLENGD,
    VERVALLEN,
    VOORWAARDELIJK_BEEINDIGD,
)
from levensloop.titles.types import TITLE_TYPES
from levensloop.workflow import transition

TITLE_CATEGORIES = frozenset({Category.JUSTITIE, Category.ZORG, Category.SOCIAAL})
EARLIEST = date(1950, 1, 1)
MAX_TEXT = 5000
MAX_NOTE = 2000


# ---------------------------------------------------------------- title types


def ensure_title_types() -> int:
    """Add the types of `types.TITLE_TYPES` that the table lacks (the migration seeds them;
    this covers a type added later and an emptied database). Returns how many were added."""
    existing = set(db.session.scalars(sa.select(TitleType.code)))
    missing = [spec for spec in TITLE_TYPES if spec.code not in existing]
    for spec in missing:
        db.session.add(TitleType(**spec.as_row()))
    if missing:
        db.session.commit()
    return len(missing)


def title_types(categories=None) -> list[TitleType]:
    """The title types, in the order of the list; only those of `categories` when given."""
    query = sa.select(TitleType).order_by(TitleType.sort_order, TitleType.code)
    if categories is not None:
        query = query.where(TitleType.category.in_([str(c) for c in categories]))
    return list(db.session.scalars(query))


def format_term(months: int | None, weeks: int | None = None) -> str | None:
    """ "2 jaar", "6 maanden", "3 weken"; None when there is no term."""
    if months:
        if months % 12 == 0:
            return ngettext("%(num)s jaar", "%(num)s jaar", months // 12)
        return ngettext("%(num)s maand", "%(num)s maanden", months)
    if weeks:
        return ngettext("%(num)s week", "%(num)s weken", weeks)
    return None


def type_choice_label(title_type: TitleType) -> str:
    """The option text of a type: name plus its defaults, marked when still to be confirmed."""
    parts = []
    first = format_term(title_type.default_months, title_type.default_weeks)
    if first:
        parts.append(_("standaard %(term)s", term=first))
    maximum = format_term(title_type.max_months, title_type.max_weeks)
    if maximum:
        parts.append(_("max. %(term)s", term=maximum))
    label = title_type.name
    if parts:
        label += " – " + ", ".join(parts)
        if not title_type.verified:
            label += " " + _("(te bevestigen)")
    return label


# ---------------------------------------------------------------- reading: the tab


@dataclass
class TitleRow:
    title: LegalTitle
    type: TitleType
    current: bool
    ending_soon: bool  # running and the expected end within ENDING_SOON_DAYS
    overdue: bool  # running while the expected end has passed
    executor_name: str | None
    extensions: list[TitleExtension]
    next_states: list[str]  # what the status form offers
    can_extend: bool
    end_unconfirmed: bool = False  # the expected end is an unverified default term
    maximum_unconfirmed: bool = False  # the maximum comes from an unverified type

    @property
    def category(self) -> str:
        return self.type.category


@dataclass
class HistoryRow:
    """One line of the behandelgeschiedenis: a placement or a refusal."""

    kind: str  # "plaatsing" | "weigering"
    on: date
    provider: str
    setting: str
    security_level: int
    end: date | None = None
    text: str | None = None  # end reason of a placement, reason of a refusal
    placement_id: uuid.UUID | None = None
    open: bool = False  # a placement without an end date


@dataclass
class TitlesView:
    title_categories: frozenset  # the title categories the viewer may see
    titles: list[TitleRow]
    history: list[HistoryRow] | None  # None: the viewer may not see `zorg`
    carrousel_count: int | None  # placements and refusals in the window, when flagged
    can_edit: bool
    choosable_types: list[TitleType] = field(default_factory=list)
    today: date = field(default_factory=date.today)

    @property
    def current(self) -> list[TitleRow]:
        return [row for row in self.titles if row.current]

    @property
    def past(self) -> list[TitleRow]:
        return [row for row in self.titles if not row.current]


def _organisation_names(ids) -> dict:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return dict(
        db.session.execute(
            sa.select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids))
        ).all()
    )


def _row(title: LegalTitle, today: date, names: dict) -> TitleRow:
    running = title.status in RUNNING
    end = title.expected_end
    return TitleRow(
        title=title,
        type=title.type,
        current=title.status in CURRENT,
        ending_soon=bool(
            running and end and today <= end <= today + timedelta(days=ENDING_SOON_DAYS)
        ),
        overdue=bool(running and end and end < today),
        executor_name=names.get(title.executor_organisation_id),
        extensions=list(title.extensions),
        next_states=[s for s in STATUS_FORM_TARGETS if TITLE.can(title.status, s)],
        can_extend=running and end is not None,
        end_unconfirmed=bool(
            not title.type.verified
            and end is not None
            and not title.extensions
            and end == rules.expected_end(title.type, title.start_date)
        ),
        maximum_unconfirmed=not title.type.verified and title.maximum_end is not None,
    )


def _visible_titles(person, categories) -> list[LegalTitle]:
    wanted = [str(c) for c in categories if c in TITLE_CATEGORIES]
    if not wanted:
        return []
    current_first = sa.case((LegalTitle.status.in_(CURRENT), 0), else_=1)
    return list(
        db.session.scalars(
            sa.select(LegalTitle)
            .join(LegalTitle.type)
            .options(contains_eager(LegalTitle.type), selectinload(LegalTitle.extensions))
            .where(LegalTitle.person_id == person.id, TitleType.category.in_(wanted))
            .order_by(current_first, LegalTitle.start_date.desc(), LegalTitle.created_at.desc())
        ).unique()
    )


def _history(person) -> list[HistoryRow]:
    placements = list(
        db.session.scalars(sa.select(Placement).where(Placement.person_id == person.id))
    )
    refusals = list(
        db.session.scalars(
            sa.select(PlacementRefusal).where(PlacementRefusal.person_id == person.id)
        )
    )
    names = _organisation_names(
        [p.provider_organisation_id for p in placements]
        + [r.provider_organisation_id for r in refusals]
    )

    def provider(item) -> str:
        return item.provider_name or names.get(item.provider_organisation_id) or ""

    rows = [
        HistoryRow(
            "plaatsing",
            p.start_date,
            provider(p),
            p.setting,
            p.security_level,
            end=p.end_date,
            text=p.end_reason,
            placement_id=p.id,
            open=p.end_date is None,
        )
        for p in placements
    ] + [
        HistoryRow(
            "weigering", r.refused_on, provider(r), r.setting, r.security_level, text=r.reason
        )
        for r in refusals
    ]
    return sorted(rows, key=lambda row: (row.on, row.kind))


def titles_view(actor, region, person, decision) -> TitlesView:
    """What the tab shows: the titles of the categories the viewer may see (current first),
    the behandelgeschiedenis and the carrousel signal for who may see `zorg`. One read is
    recorded with the categories shown. A fixed number of queries."""
    today = local_today()
    categories = frozenset() if person.is_shredded else decision.categories
    title_categories = frozenset(c for c in categories if c in TITLE_CATEGORIES)
    titles = _visible_titles(person, title_categories)
    names = _organisation_names(t.executor_organisation_id for t in titles)
    rows = [_row(t, today, names) for t in titles]
    history = carrousel = None
    if Category.ZORG in categories:
        history = _history(person)
        count = carrousel_count(person.id, today)
        carrousel = count if count >= CARROUSEL_THRESHOLD else None
    can_edit = decision.can_update and not person.is_shredded
    shown = {row.category for row in rows} | {"proces"}
    if history is not None:
        shown.add("zorg")
    record(
        "read",
        actor=actor,
        region_id=region.id,
        person_id=person.id,
        object_type="titels",
        categories=sorted(shown),
        legal_basis=decision.legal_basis,
        purpose="noodtoegang" if decision.break_glass is not None else None,
    )
    db.session.commit()
    return TitlesView(
        title_categories=title_categories,
        titles=rows,
        history=history,
        carrousel_count=carrousel,
        can_edit=can_edit,
        choosable_types=title_types(title_categories) if can_edit else [],
        today=today,
    )


def title_row(actor, region, person, title: LegalTitle) -> TitleRow:
    """One title for a page of its own (status change, extension); the read is recorded."""
    row = _row(title, local_today(), _organisation_names([title.executor_organisation_id]))
    record(
        "read",
        actor=actor,
        region_id=region.id,
        person_id=person.id,
        object_type="titel",
        object_id=title.id,
        categories=[title.type.category],
    )
    db.session.commit()
    return row


# ---------------------------------------------------------------- loading by id


def get_title(actor, person, title_id: uuid.UUID | None) -> LegalTitle:
    """A title of this person (else 404) whose category the actor may see (else 403)."""
    title = db.session.get(LegalTitle, title_id) if title_id else None
    if title is None or title.person_id != person.id:
        raise NotFound(_("Deze titel bestaat niet bij deze persoon."))
    if title.type.category not in policy.visible_categories(actor, person):
        raise NotAllowed(_("U mag deze titel niet inzien."))
    return title


def get_placement(actor, person, placement_id: uuid.UUID | None) -> Placement:
    placement = db.session.get(Placement, placement_id) if placement_id else None
    if placement is None or placement.person_id != person.id:
        raise NotFound(_("Deze plaatsing bestaat niet bij deze persoon."))
    if Category.ZORG not in policy.visible_categories(actor, person):
        raise NotAllowed(_("U mag de behandelgeschiedenis van deze persoon niet inzien."))
    return placement


def placement_row(actor, region, person, placement: Placement) -> HistoryRow:
    names = _organisation_names([placement.provider_organisation_id])
    record(
        "read",
        actor=actor,
        region_id=region.id,
        person_id=person.id,
        object_type="plaatsing",
        object_id=placement.id,
        categories=["zorg"],
    )
    db.session.commit()
    return HistoryRow(
        "plaatsing",
        placement.start_date,
        placement.provider_name or names.get(placement.provider_organisation_id) or "",
        placement.setting,
        placement.security_level,
        end=placement.end_date,
        text=placement.end_reason,
        placement_id=placement.id,
        open=placement.end_date is None,
    )


# ---------------------------------------------------------------- checks shared by the writes


def _require_update(actor, person) -> None:
    if person.is_shredded or not policy.can(actor, policy.UPDATE, person):
        raise NotAllowed(_("U mag de titels en plaatsingen van deze persoon niet wijzigen."))


def _require_category(actor, person, category: str) -> None:
    if category not in policy.visible_categories(actor, person):
        raise NotAllowed(
            _("U mag geen gegevens van de categorie %(category)s vastleggen.", category=category)
        )


def check_title_type(actor, person, type_code: str | None) -> None:
    """403 when `type_code` is a title type of a category the actor may not see: writing it is
    refused outright, not answered as an unknown choice."""
    title_type = db.session.get(TitleType, type_code) if type_code else None
    if title_type is not None:
        _require_category(actor, person, title_type.category)


def _date(value: date | None, field_name: str, *, required_message: str, future_days=0) -> date:
    if value is None:
        raise DomainError(required_message, field=field_name)
    latest = local_today() + timedelta(days=future_days)
    if value < EARLIEST or value > latest:
        if future_days:
            message = _(
                "Kies een datum tussen %(first)s en %(last)s.",
                first=format_date(EARLIEST, "medium"),
                last=format_date(latest, "medium"),
            )
        else:
            message = _("De datum mag niet in de toekomst liggen.")
        raise DomainError(message, field=field_name)
    return value


def _text(value: str | None, field_name: str, limit: int) -> str | None:
    text = (value or "").strip()
    if len(text) > limit:
        message = {
            MAX_NOTE: _("Gebruik hoogstens 2000 tekens."),
            MAX_TEXT: _("Gebruik hoogstens 5000 tekens."),
        }[limit]
        raise DomainError(message, field=field_name)
    return text or None


def _organisation(region, organisation_id, field_name: str) -> uuid.UUID | None:
    if organisation_id is None:
        return None
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None or organisation.region_id != region.id:
        raise DomainError(_("Kies een organisatie uit de lijst."), field=field_name)
    return organisation.id


def _check_version(obj, version: int | None, message: str) -> None:
    if version is not None and obj.version != version:
        raise Conflict(message)


def _commit(message: str) -> None:
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise Conflict(message) from None


def _stale_title() -> str:
    return _("Iemand anders heeft deze titel intussen gewijzigd. Bekijk de nieuwe stand.")


# ---------------------------------------------------------------- titles


def create_title(
    actor,
    region,
    person,
    *,
    type_code: str | None,
    start_date: date | None,
    expected_end: date | None = None,
    executor_organisation_id: uuid.UUID | None = None,
    financier: str | None = None,
    supervisor: str | None = None,
    conditions: str | None = None,
    legal_basis_note: str | None = None,
) -> LegalTitle:
    """Record a title. Without an expected end, the type's default term gives it (Wvggz rule
    where it applies); the maximum end follows from the type and the start. A title that has
    started is active at once (gepland -> actief through the state machine)."""
    _require_update(actor, person)
    title_type = db.session.get(TitleType, type_code) if type_code else None
    if title_type is None:
        raise DomainError(_("Kies het soort titel."), field="title_type")
    _require_category(actor, person, title_type.category)
    start = _date(
        start_date,
        "start_date",
        required_message=_("Vul de begindatum in."),
        future_days=2 * 366,
    )
    maximum = rules.maximum_end(title_type, start)
    end = expected_end or rules.expected_end(title_type, start)
    if end is not None and end < start:
        raise DomainError(
            _("De verwachte einddatum ligt voor de begindatum."), field="expected_end"
        )
    if end is not None and maximum is not None and end > maximum:
        raise DomainError(
            _(
                "De verwachte einddatum ligt na de maximale einddatum van deze titel (%(date)s).",
                date=format_date(maximum, "long"),
            ),
            field="expected_end",
        )
    if financier and financier not in FINANCIERS:
        raise DomainError(_("Kies een financier uit de lijst."), field="financier")
    if supervisor and supervisor not in SUPERVISORS:
        raise DomainError(_("Kies het toezicht uit de lijst."), field="supervisor")
    executor = _organisation(region, executor_organisation_id, "executor")
    conditions = _text(conditions, "conditions", MAX_TEXT)
    legal_basis_note = _text(legal_basis_note, "legal_basis_note", MAX_NOTE)

    title = LegalTitle(
        id=uuid.uuid4(),
        person_id=person.id,
        region_id=region.id,
        type_code=title_type.code,
        status=TITLE.initial,
        start_date=start,
        expected_end=end,
        maximum_end=maximum,
        executor_organisation_id=executor,
        financier=financier or None,
        supervisor=supervisor or None,
        created_by_id=actor.id if actor is not None else None,
    )
    title.type = title_type
    db.session.add(title)
    title.conditions = conditions
    title.legal_basis_note = legal_basis_note
    record(
        "create",
        actor=actor,
        region_id=region.id,
        person_id=person.id,
        object_type="titel",
        object_id=title.id,
        categories=[title_type.category],
        details={"type": title_type.code},
    )
    if start <= local_today():
        transition(TITLE, title, ACTIEF, actor=actor, region_id=region.id, person_id=person.id)
    db.session.commit()
    return title


def change_status(
    actor,
    region,
    person,
    title_id: uuid.UUID | None,
    *,
    target: str,
    on: date | None = None,
    version: int | None = None,
) -> LegalTitle:
    """Move a title along its state machine. `on` is the date of a (voorwaardelijke)
    beëindiging or of lapsing (default today). Extending goes through `extend_title`."""
    _require_update(actor, person)
    title = get_title(actor, person, title_id)
    _require_category(actor, person, title.type.category)
    _check_version(title, version, _stale_title())
    if target == VERLENGD:
        raise DomainError(
            _("Een verlenging legt u vast met het formulier Verlengen."), field="status"
        )
    if target not in STATUS_FORM_TARGETS:
        raise DomainError(_("Kies de nieuwe status."), field="status")
    on = on or local_today()
    if on < EARLIEST or on > local_today():
        raise DomainError(_("De datum mag niet in de toekomst liggen."), field="on")
    if target in (BEEINDIGD, VOORWAARDELIJK_BEEINDIGD) and on < title.start_date:
        raise DomainError(_("De datum ligt voor de begindatum van de titel."), field="on")
    previous = title.status
    transition(
        TITLE,
        title,
        target,
        actor=actor,
        region_id=region.id,
        person_id=person.id,
        details={"on": on.isoformat()},
    )
    if target == VOORWAARDELIJK_BEEINDIGD:
        title.conditionally_ended_on = on
    elif target in (BEEINDIGD, VERVALLEN):
        title.ended_on = on
    elif target == ACTIEF and previous == VOORWAARDELIJK_BEEINDIGD:
        title.conditionally_ended_on = None  # herleving: back under the same title
    record(
        "update",
        actor=actor,
        region_id=region.id,
        person_id=person.id,
        object_type="titel",
        object_id=title.id,
        categories=[title.type.category],
        details={"status": target},
    )
    _commit(_stale_title())
    return title


def extend_title(
    actor,
    region,
    person,
    title_id: uuid.UUID | None,
    *,
    new_end: date | None,
    decided_on: date | None,
    note: str | None = None,
    version: int | None = None,
) -> TitleExtension:
    """Record an extension: the new end date must lie after the current one and not after the
    maximum end of the title (refused with a message naming the maximum)."""
    _require_update(actor, person)
    title = get_title(actor, person, title_id)
    _require_category(actor, person, title.type.category)
    _check_version(title, version, _stale_title())
    if title.status not in RUNNING:
        raise DomainError(_("Alleen een lopende titel kan worden verlengd."), field="new_end")
    if title.expected_end is None:
        raise DomainError(
            _("Deze titel heeft geen einddatum; er valt niets te verlengen."), field="new_end"
        )
    if new_end is None:
        raise DomainError(_("Vul de nieuwe einddatum in."), field="new_end")
    current_end = title.expected_end
    if new_end <= current_end:
        raise DomainError(
            _(
                "De nieuwe einddatum moet na de huidige einddatum (%(date)s) liggen.",
                date=format_date(current_end, "long"),
            ),
            field="new_end",
        )
    if title.maximum_end is not None and new_end > title.maximum_end:
        raise DomainError(
            _(
                "Verlengen tot %(new)s kan niet: deze titel mag ten hoogste duren tot en met "
                "%(max)s.",
                new=format_date(new_end, "long"),
                max=format_date(title.maximum_end, "long"),
            ),
            field="new_end",
        )
    decided = _date(
        decided_on, "decided_on", required_message=_("Vul de datum van het besluit in.")
    )
    if decided < title.start_date - timedelta(days=366):
        raise DomainError(
            _("Het besluit ligt te ver voor de begindatum van de titel."), field="decided_on"
        )
    note = _text(note, "note", MAX_NOTE)
    extension = TitleExtension(
        id=uuid.uuid4(),
        title_id=title.id,
        person_id=person.id,
        previous_end=title.expected_end,
        new_end=new_end,
        decided_on=decided,
        created_by_id=actor.id if actor is not None else None,
    )
    db.session.add(extension)
    extension.note = note
    title.expected_end = new_end
    if title.status in (ACTIEF, VERLENGD):
        transition(TITLE, title, VERLENGD, actor=actor, region_id=region.id, person_id=person.id)
    # An extended voorwaardelijke beëindiging stays conditional (see states.py).
    record(
        "update",
        actor=actor,
        region_id=region.id,
        person_id=person.id,
        object_type="titel",
        object_id=title.id,
        categories=[title.type.category],
        details={"action": "verlengd"},
    )
    _commit(_stale_title())
    return extension


# ---------------------------------------------------------------- placements and refusals


def _provider(region, organisation_id, name: str | None) -> tuple[uuid.UUID | None, str | None]:
    organisation = _organisation(region, organisation_id, "provider_organisation")
    name = " ".join((name or "").split())
    if len(name) > 200:
        raise DomainError(_("Gebruik hoogstens 200 tekens."), field="provider_name")
    if organisation is None and len(name) < 2:
        raise DomainError(
            _("Kies een aanbieder uit de lijst of vul de naam van de aanbieder in."),
            field="provider_name",
        )
    return organisation, name or None


def _setting_and_level(setting: str | None, level: int | None) -> tuple[str, int]:
    if setting not in SETTINGS:
        raise DomainError(_("Kies de setting."), field="setting")
    if level not in SECURITY_LEVELS:
        raise DomainError(
            _("Kies een beveiligingsniveau van 0 tot en met 4."), field="security_level"
        )
    return setting, level


def add_placement(
    actor,
    region,
    person,
    *,
    provider_organisation_id: uuid.UUID | None = None,
    provider_name: str | None = None,
    setting: str | None,
    security_level: int | None,
    start_date: date | None,
    end_date: date | None = None,
    end_reason: str | None = None,
) -> Placement:
    _require_update(actor, person)
    _require_category(actor, person, Category.ZORG)
    organisation, name = _provider(region, provider_organisation_id, provider_name)
    setting, level = _setting_and_level(setting, security_level)
    start = _date(
        start_date, "start_date", required_message=_("Vul de begindatum in."), future_days=366
    )
    if end_date is not None and end_date < start:
        raise DomainError(_("De einddatum ligt voor de begindatum."), field="end_date")
    end_reason = _text(end_reason, "end_reason", MAX_NOTE)
    if end_reason and end_date is None:
        raise DomainError(
            _("Vul ook de einddatum in, of laat de reden van beëindiging leeg."), field="end_date"
        )
    placement = Placement(
        id=uuid.uuid4(),
        person_id=person.id,
        region_id=region.id,
        provider_organisation_id=organisation,
        setting=setting,
        security_level=level,
        start_date=start,
        end_date=end_date,
        created_by_id=actor.id if actor is not None else None,
    )
    db.session.add(placement)
    placement.provider_name = name
    placement.end_reason = end_reason
    record(
        "create",
        actor=actor,
        region_id=region.id,
        person_id=person.id,
        object_type="plaatsing",
        object_id=placement.id,
        categories=["zorg"],
        details={"setting": setting, "niveau": level},
    )
    db.session.commit()
    return placement


def end_placement(
    actor,
    region,
    person,
    placement_id: uuid.UUID | None,
    *,
    end_date: date | None,
    end_reason: str | None = None,
    version: int | None = None,
) -> Placement:
    _require_update(actor, person)
    placement = get_placement(actor, person, placement_id)
    stale = _("Iemand anders heeft deze plaatsing intussen gewijzigd. Bekijk de nieuwe stand.")
    _check_version(placement, version, stale)
    if placement.end_date is not None:
        raise DomainError(_("Deze plaatsing is al beëindigd."), field="end_date")
    end = _date(end_date, "end_date", required_message=_("Vul de einddatum in."), future_days=366)
    if end < placement.start_date:
        raise DomainError(_("De einddatum ligt voor de begindatum."), field="end_date")
    placement.end_date = end
    placement.end_reason = _text(end_reason, "end_reason", MAX_NOTE)
    record(
        "update",
        actor=actor,
        region_id=region.id,
        person_id=person.id,
        object_type="plaatsing",
        object_id=placement.id,
        categories=["zorg"],
        details={"action": "beeindigd"},
    )
    _commit(stale)
    return placement


def add_refusal(
    actor,
    region,
    person,
    *,
    provider_organisation_id: uuid.UUID | None = None,
    provider_name: str | None = None,
    setting: str | None,
    security_level: int | None,
    refused_on: date | None,
    reason: str | None,
) -> PlacementRefusal:
    _require_update(actor, person)
    _require_category(actor, person, Category.ZORG)
    organisation, name = _provider(region, provider_organisation_id, provider_name)
    setting, level = _setting_and_level(setting, security_level)
    on = _date(refused_on, "refused_on", required_message=_("Vul de datum van de weigering in."))
    reason = _text(reason, "reason", MAX_NOTE)
    if not reason or len(reason) < 5:
        raise DomainError(
            _("Beschrijf de reden van de weigering: de tafel moet zien wat er is geprobeerd."),
            field="reason",
        )
    refusal = PlacementRefusal(
        id=uuid.uuid4(),
        person_id=person.id,
        region_id=region.id,
        provider_organisation_id=organisation,
        setting=setting,
        security_level=level,
        refused_on=on,
        created_by_id=actor.id if actor is not None else None,
    )
    db.session.add(refusal)
    refusal.provider_name = name
    refusal.reason = reason
    record(
        "create",
        actor=actor,
        region_id=region.id,
        person_id=person.id,
        object_type="weigering",
        object_id=refusal.id,
        categories=["zorg"],
        details={"setting": setting, "niveau": level},
    )
    db.session.commit()
    return refusal


# ---------------------------------------------------------------- signals for the overviews


def _window(today: date) -> date:
    """The carrousel window is the last 12 months: after this day, up to and including today."""
    return rules.months_ago(today, CARROUSEL_MONTHS)


def _carrousel_events(today: date, person_id: uuid.UUID | None = None, persons=None):
    since = _window(today)
    placements = sa.select(Placement.person_id.label("person_id")).where(
        Placement.start_date > since, Placement.start_date <= today
    )
    refusals = sa.select(PlacementRefusal.person_id.label("person_id")).where(
        PlacementRefusal.refused_on > since, PlacementRefusal.refused_on <= today
    )
    if person_id is not None:
        placements = placements.where(Placement.person_id == person_id)
        refusals = refusals.where(PlacementRefusal.person_id == person_id)
    if persons is not None:
        placements = placements.where(Placement.person_id.in_(persons))
        refusals = refusals.where(PlacementRefusal.person_id.in_(persons))
    return sa.union_all(placements, refusals).subquery("carrousel_events")


def carrousel_count(person_id: uuid.UUID, today: date) -> int:
    """Placements started and refusals in the last 12 months (one query)."""
    events = _carrousel_events(today, person_id)
    return db.session.scalar(sa.select(sa.func.count()).select_from(events)) or 0


def is_carrousel(person_id: uuid.UUID, today: date) -> bool:
    """The carrousel signal (DOMAIN.md §4, D): 3 or more placements started or refusals in the
    last 12 months. A signal for the table, not a decision."""
    return carrousel_count(person_id, today) >= CARROUSEL_THRESHOLD


def carrousel_person_ids(today: date, persons=None):
    """A select of the ids of every flagged person, as one SQL statement:
    `Person.id.in_(carrousel_person_ids(today))`. Not limited to a viewer: the caller combines
    it with its own policy filters. `persons` (a select of person ids) limits the work to the
    persons of a list, so a list's cost follows its own size, not the country's."""
    events = _carrousel_events(today, persons=persons)
    return (
        sa.select(events.c.person_id)
        .group_by(events.c.person_id)
        .having(sa.func.count() >= CARROUSEL_THRESHOLD)
    )


def titles_ending_within(
    today: date, days: int = ENDING_SOON_DAYS, *, categories=None, region_id=None
):
    """A select of `(person_id, ends_on)`: per person the first expected end, from today up to
    `days` days ahead, of a title that still runs (actief, verlengd, voorwaardelijk
    beëindigd). `categories` limits it to title types the viewer may see (a title's existence
    tells its category); `region_id` to one region. Use it as a subquery or join."""
    query = (
        sa.select(LegalTitle.person_id, sa.func.min(LegalTitle.expected_end).label("ends_on"))
        .where(
            LegalTitle.status.in_(RUNNING),
            LegalTitle.expected_end >= today,
            LegalTitle.expected_end <= today + timedelta(days=days),
        )
        .group_by(LegalTitle.person_id)
    )
    if categories is not None:
        query = query.join(TitleType, TitleType.code == LegalTitle.type_code).where(
            TitleType.category.in_([str(c) for c in categories])
        )
    if region_id is not None:
        query = query.where(LegalTitle.region_id == region_id)
    return query
