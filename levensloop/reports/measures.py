"""The measures of the monthly counts (DOMAIN.md §9) and how each is computed from the recorded
history of a region.

Every measure is computed from dates (included_on, exited_on, created_at, held_on, title and
placement start and end dates, escalations' opened_on and closed_on), not from today's state,
so a month in the past can be computed later and gives that month's numbers. Nothing here
reads an encrypted column or a person's name: a crypto-shredded person keeps their rows as
tombstones (region and dates), so shredding does not change any count.

A few aggregate queries per region and month; no query per person.
"""

from __future__ import annotations

import re
import statistics
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from levensloop.extensions import db
from levensloop.reports.suppression import KNOWN, PUBLISHED

TIMEZONE = ZoneInfo("Europe/Amsterdam")
MONTH_RE = re.compile(r"(\d{4})-(\d{2})")
FIRST_YEAR = 2000


# ---------------------------------------------------------------- months


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str | None) -> Month | None:
        """`YYYY-MM`, or None when it is not a month we can report on."""
        match = MONTH_RE.fullmatch((text or "").strip())
        if not match:
            return None
        year, month = int(match.group(1)), int(match.group(2))
        if not (1 <= month <= 12) or year < FIRST_YEAR or year > 9998:
            return None
        return cls(year, month)

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return self.next().first_day - timedelta(days=1)

    def next(self) -> Month:
        return self.shift(1)

    def previous(self) -> Month:
        return self.shift(-1)

    def shift(self, months: int) -> Month:
        index = self.year * 12 + (self.month - 1) + months
        return Month(index // 12, index % 12 + 1)

    def start_utc(self) -> datetime:
        """Midnight at the start of the month in Europe/Amsterdam, as UTC."""
        return datetime(self.year, self.month, 1, tzinfo=TIMEZONE).astimezone(UTC)

    def is_complete(self, today: date) -> bool:
        """The month is over (only then can it be frozen)."""
        return self.last_day < today


def last_months(end: Month, count: int) -> list[Month]:
    """`count` months up to and including `end`, oldest first."""
    return [end.shift(-n) for n in range(count - 1, -1, -1)]


# ---------------------------------------------------------------- measures


@dataclass(frozen=True)
class Measure:
    code: str
    label: object  # lazy string
    dimensions: tuple[tuple[str, object], ...] = (("", _l("Totaal")),)
    sensitive: bool = False  # health or criminal characteristics: the higher threshold
    # How the national table treats the sum of a region's row: published (shown, protected),
    # known (equal to a number published elsewhere: the cells are protected against it), or
    # None (no breakdown).
    row_totals: str | None = None
    note: object = None

    @property
    def has_breakdown(self) -> bool:
        return self.dimensions[0][0] != ""

    def dimension_label(self, key: str) -> str:
        for code, label in self.dimensions:
            if code == key:
                return str(label)
        return key


def _exit_reasons():
    from levensloop.inclusion.states import EXIT_REASONS

    return (*EXIT_REASONS.items(), ("onbekend", _l("Reden niet vastgelegd")))


def _triage_outcomes():
    from levensloop.inclusion.states import REFERRAL, TRIAGE_OUTCOMES

    return tuple((code, REFERRAL.labels[code]) for code in TRIAGE_OUTCOMES)


def _decisions():
    from levensloop.inclusion.states import DECISIONS

    return tuple(DECISIONS.items())


def _levels():
    from levensloop.escalations.sla import DEFAULTS

    return tuple(
        (str(level), _l("%(level)s – %(name)s", level=level, name=name))
        for level, (name, _days) in DEFAULTS.items()
    )


def _escalation_reasons():
    from levensloop.escalations.states import REASONS

    return tuple(REASONS.items())


def _title_types():
    from levensloop.titles.types import TITLE_TYPES

    return (
        *((spec.code, spec.name) for spec in TITLE_TYPES),
        ("geen", _l("Geen lopende titel")),
    )


def _security_levels():
    from levensloop.titles.states import SECURITY_LEVELS

    return (
        *((str(level), label) for level, label in SECURITY_LEVELS.items()),
        ("geen", _l("Geen lopende plaatsing")),
    )


INCLUDED, INFLOW, OUTFLOW, REFERRALS = "included", "inflow", "outflow", "referrals"
TRIAGE, DECISIONS, DAYS = "triage", "decisions", "days_to_inclusion"
ESCALATIONS_LEVEL, ESCALATIONS_REASON = "escalations_level", "escalations_reason"
HANDOVERS, TITLE_TYPE, SECURITY_LEVEL, WLZ = "handovers", "title_type", "security_level", "wlz"
MEDIAN, COUNT = "mediaan", "aantal"


def measures() -> tuple[Measure, ...]:
    """The measures in the order of the report (built on use: labels follow the locale)."""
    return (
        Measure(INCLUDED, _l("Geïncludeerd aan het eind van de maand")),
        Measure(INFLOW, _l("Instroom: nieuwe inclusies")),
        Measure(OUTFLOW, _l("Uitstroom naar reden"), _exit_reasons(), row_totals=PUBLISHED),
        Measure(REFERRALS, _l("Aanmeldingen")),
        Measure(TRIAGE, _l("Uitkomsten van de triage"), _triage_outcomes(), row_totals=PUBLISHED),
        Measure(
            DECISIONS, _l("Besluiten van de inclusietafel"), _decisions(), row_totals=PUBLISHED
        ),
        Measure(
            DAYS,
            _l("Dagen van aanmelding tot inclusie"),
            ((MEDIAN, _l("Mediaan (dagen)")), (COUNT, _l("Aantal inclusies met aanmelding"))),
            note=_l(
                "Over de inclusies van deze maand met een aanmelding in Levensloop; de mediaan "
                "in hele dagen, afgerond."
            ),
        ),
        Measure(
            ESCALATIONS_LEVEL,
            _l("Open escalaties aan het eind van de maand, naar niveau"),
            _levels(),
            row_totals=PUBLISHED,
        ),
        Measure(
            ESCALATIONS_REASON,
            _l("Open escalaties aan het eind van de maand, naar reden"),
            _escalation_reasons(),
            row_totals=KNOWN,
        ),
        Measure(HANDOVERS, _l("Afgeronde warme overdrachten")),
        Measure(
            TITLE_TYPE,
            _l("Geïncludeerde personen naar lopende titel"),
            _title_types(),
            sensitive=True,
            note=_l(
                "Iemand met meer titels telt bij elke titel mee; de kolommen tellen dus niet op."
            ),
        ),
        Measure(
            SECURITY_LEVEL,
            _l("Geïncludeerde personen naar beveiligingsniveau"),
            _security_levels(),
            sensitive=True,
            row_totals=KNOWN,
            note=_l("Het hoogste niveau van de plaatsingen die aan het eind van de maand lopen."),
        ),
        Measure(
            WLZ,
            _l("Geïncludeerde personen met een Wlz-indicatie"),
            (("ja", _l("Ja")), ("nee", _l("Nee"))),
            sensitive=True,
            row_totals=KNOWN,
        ),
    )


def measure_map() -> dict[str, Measure]:
    return {m.code: m for m in measures()}


# ---------------------------------------------------------------- computing a month


Cells = dict[tuple[str, str], int]


def compute_month(region_id: uuid.UUID, month: Month) -> Cells:
    """Every cell of one region and month, from the recorded history. Dimensions without any
    case are there with 0, so every snapshot has the same shape."""
    cells: Cells = {}
    for measure in measures():
        for key, _label in measure.dimensions:
            cells[measure.code, key] = 0
    start, end = month.first_day, month.last_day

    _inclusions(cells, region_id, start, end)
    _referrals(cells, region_id, month)
    _triage_and_decisions(cells, region_id, start, end)
    _days_to_inclusion(cells, region_id, start, end)
    _escalations(cells, region_id, end)
    _handovers(cells, region_id, month)
    _titles_and_placements(cells, region_id, end)
    return cells


def _included_at(region_id: uuid.UUID, end: date):
    """The persons with an inclusion period running at the end of `end` (a subquery)."""
    from levensloop.inclusion.models import Trajectory

    return (
        sa.select(Trajectory.person_id)
        .where(
            Trajectory.region_id == region_id,
            Trajectory.included_on <= end,
            sa.or_(Trajectory.exited_on.is_(None), Trajectory.exited_on > end),
        )
        .distinct()
    )


def _inclusions(cells: Cells, region_id, start: date, end: date) -> None:
    from levensloop.inclusion.models import Trajectory

    included = _included_at(region_id, end).subquery()
    cells[INCLUDED, ""] = db.session.scalar(sa.select(sa.func.count()).select_from(included)) or 0
    cells[INFLOW, ""] = (
        db.session.scalar(
            sa.select(sa.func.count()).where(
                Trajectory.region_id == region_id,
                Trajectory.included_on >= start,
                Trajectory.included_on <= end,
            )
        )
        or 0
    )
    reason = sa.func.coalesce(Trajectory.exit_reason, "onbekend")
    for key, count in db.session.execute(
        sa.select(reason, sa.func.count())
        .where(
            Trajectory.region_id == region_id,
            Trajectory.exited_on >= start,
            Trajectory.exited_on <= end,
        )
        .group_by(reason)
    ):
        cells[OUTFLOW, key] = count


def _referrals(cells: Cells, region_id, month: Month) -> None:
    from levensloop.inclusion.models import Referral

    cells[REFERRALS, ""] = (
        db.session.scalar(
            sa.select(sa.func.count()).where(
                Referral.region_id == region_id,
                Referral.created_at >= month.start_utc(),
                Referral.created_at < month.next().start_utc(),
            )
        )
        or 0
    )


def _triage_and_decisions(cells: Cells, region_id, start: date, end: date) -> None:
    from levensloop.inclusion.models import InclusionDecision, InclusionMeeting, Referral, Triage

    for key, count in db.session.execute(
        sa.select(Triage.outcome, sa.func.count())
        .join(Referral, Referral.id == Triage.referral_id)
        .where(Referral.region_id == region_id, Triage.held_on >= start, Triage.held_on <= end)
        .group_by(Triage.outcome)
    ):
        cells[TRIAGE, key] = count
    for key, count in db.session.execute(
        sa.select(InclusionDecision.outcome, sa.func.count())
        .join(InclusionMeeting, InclusionMeeting.id == InclusionDecision.meeting_id)
        .where(
            InclusionMeeting.region_id == region_id,
            InclusionMeeting.held_on >= start,
            InclusionMeeting.held_on <= end,
        )
        .group_by(InclusionDecision.outcome)
    ):
        cells[DECISIONS, key] = count


def _days_to_inclusion(cells: Cells, region_id, start: date, end: date) -> None:
    """Median days from the referral (its local date) to the start of the inclusion period,
    over this month's inclusions that came through a referral in Levensloop."""
    from levensloop.inclusion.models import InclusionDecision, Referral, Trajectory

    rows = db.session.execute(
        sa.select(Trajectory.included_on, Referral.created_at)
        .join(InclusionDecision, InclusionDecision.id == Trajectory.decision_id)
        .join(Referral, Referral.id == InclusionDecision.referral_id)
        .where(
            Trajectory.region_id == region_id,
            Trajectory.included_on >= start,
            Trajectory.included_on <= end,
        )
    ).all()
    days = [
        max(0, (included_on - created_at.astimezone(TIMEZONE).date()).days)
        for included_on, created_at in rows
    ]
    cells[DAYS, COUNT] = len(days)
    # Half a day rounds up (statistics.median of an even count can end in .5).
    cells[DAYS, MEDIAN] = int(statistics.median(days) + 0.5) if days else 0


def _escalations(cells: Cells, region_id, end: date) -> None:
    from levensloop.escalations.models import Escalation

    open_at_end = (
        Escalation.region_id == region_id,
        Escalation.opened_on <= end,
        sa.or_(Escalation.closed_on.is_(None), Escalation.closed_on > end),
    )
    for level, count in db.session.execute(
        sa.select(Escalation.level, sa.func.count()).where(*open_at_end).group_by(Escalation.level)
    ):
        cells[ESCALATIONS_LEVEL, str(level)] = count
    for reason, count in db.session.execute(
        sa.select(Escalation.reason, sa.func.count())
        .where(*open_at_end)
        .group_by(Escalation.reason)
    ):
        cells[ESCALATIONS_REASON, reason] = count


def _handovers(cells: Cells, region_id, month: Month) -> None:
    """Warm handovers completed (afgerond) in the month."""
    model = handover_model()
    if model is None:
        return
    completed = model.completed_at
    cells[HANDOVERS, ""] = (
        db.session.scalar(
            sa.select(sa.func.count()).where(
                model.region_id == region_id,
                completed >= month.start_utc(),
                completed < month.next().start_utc(),
            )
        )
        or 0
    )


def handover_model():
    """The warm-handover model when that module has it (it is being built alongside)."""
    try:
        from levensloop.handovers.models import Handover
    except ImportError:
        return None
    if not all(hasattr(Handover, name) for name in ("region_id", "completed_at")):
        return None
    return Handover


def _titles_and_placements(cells: Cells, region_id, end: date) -> None:
    """Titles and placements running at the end of the month, of the persons included then.
    A planned title that has not started is not running; a title runs from its start date up
    to (not including) the day it ended."""
    from levensloop.titles.models import LegalTitle, Placement
    from levensloop.titles.states import GEPLAND

    included = _included_at(region_id, end).subquery()
    included_count = cells[INCLUDED, ""]
    title_running = (
        LegalTitle.person_id.in_(sa.select(included.c.person_id)),
        LegalTitle.status != GEPLAND,
        LegalTitle.start_date <= end,
        sa.or_(LegalTitle.ended_on.is_(None), LegalTitle.ended_on > end),
    )
    for type_code, count in db.session.execute(
        sa.select(LegalTitle.type_code, sa.func.count(sa.distinct(LegalTitle.person_id)))
        .where(*title_running)
        .group_by(LegalTitle.type_code)
    ):
        cells[TITLE_TYPE, type_code] = count
    with_title = (
        db.session.scalar(
            sa.select(sa.func.count(sa.distinct(LegalTitle.person_id))).where(*title_running)
        )
        or 0
    )
    cells[TITLE_TYPE, "geen"] = included_count - with_title
    wlz = (
        db.session.scalar(
            sa.select(sa.func.count(sa.distinct(LegalTitle.person_id))).where(
                *title_running, LegalTitle.type_code == "wlz_indicatie"
            )
        )
        or 0
    )
    cells[WLZ, "ja"], cells[WLZ, "nee"] = wlz, included_count - wlz

    highest = (
        sa.select(Placement.person_id, sa.func.max(Placement.security_level).label("level"))
        .where(
            Placement.person_id.in_(sa.select(included.c.person_id)),
            Placement.start_date <= end,
            sa.or_(Placement.end_date.is_(None), Placement.end_date > end),
        )
        .group_by(Placement.person_id)
        .subquery()
    )
    placed = 0
    for level, count in db.session.execute(
        sa.select(highest.c.level, sa.func.count()).group_by(highest.c.level)
    ):
        cells[SECURITY_LEVEL, str(level)] = count
        placed += count
    cells[SECURITY_LEVEL, "geen"] = included_count - placed
