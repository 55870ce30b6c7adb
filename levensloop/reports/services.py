"""Monthly counts: freezing a month, correcting it with a new revision, and what the region
report, the national report, the exports, the CLI and the API show.

A snapshot is frozen once per region and month (revision 1) and never changed. A correction
computes the month again from the recorded history and adds the next revision with a reason;
when nothing changed, no revision is made. Readers take the latest revision.

Inside the region the numbers are exact. The national view (landelijk analist, exports of it,
the API) applies primary and secondary suppression (`levensloop.reports.suppression`).
Nothing here holds person data: cells are counts.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from levensloop.audit.services import record
from levensloop.db import local_today
from levensloop.errors import Conflict, DomainError
from levensloop.extensions import db
from levensloop.organisations.models import Region
from levensloop.reports import charts
from levensloop.reports import measures as m
from levensloop.reports.measures import Month
from levensloop.reports.models import ReportCell, ReportSnapshot
from levensloop.reports.suppression import KNOWN, ProtectedTable, Shown, protect

SCREEN, CLI, JOB, DEMO = "scherm", "cli", "taak", "demo"
SOURCE_LABELS = {
    SCREEN: _l("het scherm"),
    CLI: _l("de opdrachtregel"),
    JOB: _l("de dagelijkse taak"),
    DEMO: _l("demodata"),
}
MIN_REASON, MAX_REASON = 10, 500
TREND_MONTHS = 12
TREND_MEASURES = (m.INCLUDED, m.INFLOW, m.OUTFLOW)
# The national overview: one column per measure without a breakdown (they do not add up).
SUMMARY_MEASURES = (m.INCLUDED, m.INFLOW, m.REFERRALS, m.HANDOVERS)


def thresholds() -> tuple[int, int]:
    """(general, sensitive) minimum cell values for the national view."""
    config = current_app.config
    return (
        int(config.get("REPORT_SUPPRESSION_MIN", 5)),
        int(config.get("REPORT_SUPPRESSION_SENSITIVE_MIN", 10)),
    )


# ---------------------------------------------------------------- reading snapshots


def latest_snapshot(region_id: uuid.UUID, month: Month) -> ReportSnapshot | None:
    return db.session.scalar(
        sa.select(ReportSnapshot)
        .where(ReportSnapshot.region_id == region_id, ReportSnapshot.month == str(month))
        .order_by(ReportSnapshot.revision.desc())
        .limit(1)
    )


def revisions_of(region_id: uuid.UUID, month: Month) -> list[ReportSnapshot]:
    return list(
        db.session.scalars(
            sa.select(ReportSnapshot)
            .where(ReportSnapshot.region_id == region_id, ReportSnapshot.month == str(month))
            .order_by(ReportSnapshot.revision.desc())
        )
    )


def _latest_snapshots(months: list[Month], region_id: uuid.UUID | None = None):
    """The latest revision of each (region, month) asked for, in one query."""
    names = [str(month) for month in months]
    latest = sa.select(
        ReportSnapshot.region_id,
        ReportSnapshot.month,
        sa.func.max(ReportSnapshot.revision).label("revision"),
    ).where(ReportSnapshot.month.in_(names))
    if region_id is not None:
        latest = latest.where(ReportSnapshot.region_id == region_id)
    latest = latest.group_by(ReportSnapshot.region_id, ReportSnapshot.month).subquery()
    return list(
        db.session.scalars(
            sa.select(ReportSnapshot).join(
                latest,
                sa.and_(
                    ReportSnapshot.region_id == latest.c.region_id,
                    ReportSnapshot.month == latest.c.month,
                    ReportSnapshot.revision == latest.c.revision,
                ),
            )
        )
    )


def _cells_of(snapshot_ids, measure_codes=None) -> dict[uuid.UUID, m.Cells]:
    """The cells of several snapshots in one query."""
    result: dict[uuid.UUID, m.Cells] = defaultdict(dict)
    ids = list(snapshot_ids)
    if not ids:
        return result
    query = sa.select(
        ReportCell.snapshot_id, ReportCell.measure, ReportCell.dimension, ReportCell.value
    ).where(ReportCell.snapshot_id.in_(ids))
    if measure_codes:
        query = query.where(ReportCell.measure.in_(list(measure_codes)))
    for snapshot_id, measure, dimension, value in db.session.execute(query):
        result[snapshot_id][measure, dimension] = value
    return result


def _user_names(ids) -> dict[uuid.UUID, str]:
    from levensloop.auth.models import User

    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return dict(
        db.session.execute(sa.select(User.id, User.display_name).where(User.id.in_(ids))).all()
    )


# ---------------------------------------------------------------- freezing and correcting


def _check_month(month: Month | None, today: date, field: str) -> Month:
    if month is None:
        raise DomainError(_("Kies een maand in de vorm JJJJ-MM, bijvoorbeeld 2026-10."), field)
    if not month.is_complete(today):
        raise DomainError(_("Een maand kan pas worden vastgelegd als die voorbij is."), field=field)
    return month


def _new_snapshot(region_id, month: Month, revision: int, cells: m.Cells, *, actor, source, reason):
    snapshot = ReportSnapshot(
        id=uuid.uuid4(),
        region_id=region_id,
        month=str(month),
        revision=revision,
        reason=reason,
        source=source,
        created_by_id=actor.id if actor is not None else None,
    )
    db.session.add(snapshot)
    db.session.add_all(
        ReportCell(
            id=uuid.uuid4(), snapshot=snapshot, measure=measure, dimension=dimension, value=value
        )
        for (measure, dimension), value in sorted(cells.items())
    )
    return snapshot


def _commit_snapshot() -> None:
    try:
        db.session.commit()
    except sa.exc.IntegrityError:
        db.session.rollback()
        raise Conflict(
            _("Iemand anders heeft deze maand intussen vastgelegd. Laad de pagina opnieuw.")
        ) from None


def freeze_month(
    actor, region: Region, month: Month | None, *, source: str, field: str = "month"
) -> ReportSnapshot:
    """Freeze a month of a region (revision 1), computed from the recorded history."""
    month = _check_month(month, local_today(), field)
    existing = latest_snapshot(region.id, month)
    if existing is not None:
        raise DomainError(
            _(
                "Deze maand is al vastgelegd (revisie %(revision)s). Moeten de cijfers "
                "veranderen, leg dan een correctie vast.",
                revision=existing.revision,
            ),
            field=field,
        )
    snapshot = _new_snapshot(
        region.id,
        month,
        1,
        m.compute_month(region.id, month),
        actor=actor,
        source=source,
        reason=None,
    )
    record(
        "report_snapshot",
        actor=actor,
        region_id=region.id,
        object_type="maandcijfers",
        object_id=snapshot.id,
        details={"maand": str(month), "revisie": 1, "bron": source},
    )
    _commit_snapshot()
    return snapshot


def correct_month(
    actor,
    region: Region,
    month: Month | None,
    *,
    reason: str,
    source: str,
    month_field: str = "month",
    reason_field: str = "reason",
) -> ReportSnapshot:
    """Compute a frozen month again and keep the result as the next revision, with a reason.
    Refused when the numbers did not change: there is nothing to correct."""
    month = _check_month(month, local_today(), month_field)
    reason = " ".join((reason or "").split())
    if len(reason) < MIN_REASON:
        raise DomainError(
            _("Geef de reden van de correctie, in minstens %(n)s tekens.", n=MIN_REASON),
            field=reason_field,
        )
    if len(reason) > MAX_REASON:
        raise DomainError(_("Gebruik hoogstens %(n)s tekens.", n=MAX_REASON), field=reason_field)
    current = latest_snapshot(region.id, month)
    if current is None:
        raise DomainError(
            _("Deze maand is nog niet vastgelegd. Leg de maand eerst vast."), field=month_field
        )
    cells = m.compute_month(region.id, month)
    old = _cells_of([current.id])[current.id]
    if old == cells:
        raise DomainError(
            _(
                "De cijfers zijn niet veranderd sinds revisie %(revision)s; een correctie is "
                "niet nodig.",
                revision=current.revision,
            ),
            field=month_field,
        )
    changed = sorted({key[0] for key in set(old) | set(cells) if old.get(key) != cells.get(key)})
    snapshot = _new_snapshot(
        region.id,
        month,
        current.revision + 1,
        cells,
        actor=actor,
        source=source,
        reason=reason,
    )
    record(
        "report_correction",
        actor=actor,
        region_id=region.id,
        object_type="maandcijfers",
        object_id=snapshot.id,
        details={
            "maand": str(month),
            "revisie": snapshot.revision,
            "bron": source,
            "gewijzigde_maatregelen": changed,
        },
    )
    _commit_snapshot()
    return snapshot


def freeze_missing(month: Month, *, source: str, regions=None) -> list[Region]:
    """Freeze `month` for every active region (or those given) that has no snapshot of it yet.
    Harmless to repeat: a region that has one is skipped."""
    if regions is None:
        regions = list(
            db.session.scalars(sa.select(Region).where(Region.active).order_by(Region.code))
        )
    done_ids = set(
        db.session.scalars(
            sa.select(ReportSnapshot.region_id).where(ReportSnapshot.month == str(month))
        )
    )
    frozen = []
    for region in regions:
        if region.id in done_ids:
            continue
        try:
            freeze_month(None, region, month, source=source)
        except Conflict:
            continue  # another process froze it just now
        frozen.append(region)
    return frozen


def backfill(region: Region, months: list[Month], *, source: str) -> int:
    """Freeze past months of a region from the recorded history; existing ones are kept."""
    count = 0
    for month in months:
        if freeze_missing(month, source=source, regions=[region]):
            count += 1
    return count


# ---------------------------------------------------------------- the region report


@dataclass
class CellRow:
    label: str
    value: int | None  # None: nothing to report (a median over no inclusions)


@dataclass
class MeasureBlock:
    measure: m.Measure
    rows: list[CellRow]  # one per dimension (a single row without a breakdown)
    total: int | None  # the sum of the breakdown, where that means something


@dataclass
class RevisionInfo:
    revision: int
    created_at: datetime
    created_by: str | None
    source: str
    reason: str | None


@dataclass
class TrendRow:
    month: Month
    values: dict[str, int | None]  # measure -> value; None: no snapshot (or not published)
    labels: dict[str, str] = field(default_factory=dict)


@dataclass
class RegionReport:
    region: Region
    month: Month
    snapshot: ReportSnapshot | None
    blocks: list[MeasureBlock]
    revisions: list[RevisionInfo]
    trend: list[TrendRow]
    chart: charts.Chart


def _blocks(cells: m.Cells) -> list[MeasureBlock]:
    blocks = []
    for measure in m.measures():
        keys = [key for key, _label in measure.dimensions]
        keys += sorted(d for (code, d) in cells if code == measure.code and d not in keys)
        rows = [CellRow(measure.dimension_label(k), cells.get((measure.code, k), 0)) for k in keys]
        if measure.code == m.DAYS and not cells.get((m.DAYS, m.COUNT)):
            rows[0].value = None  # no median without inclusions
        total = (
            sum(r.value for r in rows)
            if measure.has_breakdown and measure.row_totals is not None
            else None
        )
        blocks.append(MeasureBlock(measure, rows, total))
    return blocks


def _revision_infos(snapshots: list[ReportSnapshot]) -> list[RevisionInfo]:
    names = _user_names(s.created_by_id for s in snapshots)
    return [
        RevisionInfo(
            s.revision,
            s.created_at,
            names.get(s.created_by_id),
            str(SOURCE_LABELS.get(s.source, s.source)),
            s.reason,
        )
        for s in snapshots
    ]


def trend_labels() -> dict[str, str]:
    codes = m.measure_map()
    return {
        m.INCLUDED: str(codes[m.INCLUDED].label),
        m.INFLOW: _("Instroom"),
        m.OUTFLOW: _("Uitstroom"),
    }


def _measure_total(cells: m.Cells, code: str) -> int:
    return sum(value for (measure, _d), value in cells.items() if measure == code)


def region_trend(region_id: uuid.UUID, end: Month) -> list[TrendRow]:
    months = m.last_months(end, TREND_MONTHS)
    snapshots = {s.month: s for s in _latest_snapshots(months, region_id)}
    cells = _cells_of([s.id for s in snapshots.values()], TREND_MEASURES)
    rows = []
    for month in months:
        snapshot = snapshots.get(str(month))
        values = {
            code: _measure_total(cells[snapshot.id], code) if snapshot else None
            for code in TREND_MEASURES
        }
        rows.append(
            TrendRow(month, values, {c: "" if v is None else str(v) for c, v in values.items()})
        )
    return rows


def region_report(actor, region: Region, month: Month) -> RegionReport:
    """The exact numbers of the region for the procesregisseur; viewing is recorded."""
    snapshots = revisions_of(region.id, month)
    snapshot = snapshots[0] if snapshots else None
    cells = _cells_of([snapshot.id])[snapshot.id] if snapshot else {}
    trend = region_trend(region.id, month)
    report = RegionReport(
        region=region,
        month=month,
        snapshot=snapshot,
        blocks=_blocks(cells) if snapshot else [],
        revisions=_revision_infos(snapshots),
        trend=trend,
        chart=charts.line_chart(
            [row.month for row in trend],
            [
                (trend_labels()[code], [row.values[code] for row in trend])
                for code in TREND_MEASURES
            ],
        ),
    )
    record(
        "report_read",
        actor=actor,
        region_id=region.id,
        object_type="maandcijfers",
        object_id=snapshot.id if snapshot else None,
        details={"rapport": "regio", "maand": str(month)},
    )
    db.session.commit()
    return report


def region_export_rows(region: Region, month: Month) -> tuple[ReportSnapshot, list[list]]:
    """Exact rows for the region's own export (no audit: the caller records the export)."""
    snapshot = latest_snapshot(region.id, month)
    if snapshot is None:
        raise DomainError(
            _("Deze maand is nog niet vastgelegd; er is nog niets te downloaden."), field="maand"
        )
    cells = _cells_of([snapshot.id])[snapshot.id]
    rows = []
    for block in _blocks(cells):
        for row in block.rows:
            rows.append(
                [str(block.measure.label), row.label, "" if row.value is None else row.value]
            )
        if block.total is not None:
            rows.append([str(block.measure.label), _("Totaal"), block.total])
    return snapshot, rows


# ---------------------------------------------------------------- the national report


@dataclass
class RegionMeta:
    id: uuid.UUID
    code: str
    name: str
    revision: int
    frozen_at: datetime


@dataclass
class NationalTable:
    measure: m.Measure | None  # None: the overview of measures without a breakdown
    caption: str
    columns: list[tuple[str, str]]  # (key, label)
    table: ProtectedTable
    threshold: int


@dataclass
class NationalTables:
    month: Month
    regions: list[RegionMeta]  # the rows of every table, in this order
    missing: list[Region]  # active regions without a snapshot of this month
    summary: NationalTable
    tables: list[NationalTable]
    medians: list[Shown | None]  # per region; None: too few inclusions to publish
    threshold: int
    sensitive_threshold: int


def national_tables(month: Month, *, region_ids: set[uuid.UUID] | None = None) -> NationalTables:
    """Every region's latest revision of `month`, protected as one national table per measure.
    The protection is always computed over all regions; `region_ids` (the API's filter) only
    selects which rows the caller gets to see afterwards."""
    general, sensitive = thresholds()
    regions = list(db.session.scalars(sa.select(Region).order_by(Region.name, Region.code)))
    snapshots = {s.region_id: s for s in _latest_snapshots([month])}
    present = [r for r in regions if r.id in snapshots]
    missing = [r for r in regions if r.id not in snapshots and r.active]
    cells = _cells_of([s.id for s in snapshots.values()])
    rows = [cells[snapshots[r.id].id] for r in present]
    defs = m.measure_map()

    def columns_of(measure: m.Measure) -> list[tuple[str, str]]:
        keys = [key for key, _label in measure.dimensions]
        extra = sorted({d for row in rows for (code, d) in row if code == measure.code} - set(keys))
        return [(k, measure.dimension_label(k)) for k in keys + extra]

    def matrix(code: str, keys: list[str]) -> list[list[int]]:
        return [[row.get((code, key), 0) for key in keys] for row in rows]

    # Tables whose row totals are known from elsewhere come first: a row they cannot protect
    # makes the table that publishes that total hide it.
    force_included: set[int] = set()
    force_escalations: set[int] = set()
    tables: dict[str, NationalTable] = {}
    known_first = [c for c, d in defs.items() if d.row_totals == KNOWN]
    for code in known_first + [c for c in defs if c not in known_first]:
        measure = defs[code]
        if not measure.has_breakdown or code == m.DAYS:
            continue
        threshold = sensitive if measure.sensitive else general
        columns = columns_of(measure)
        forced = []
        if code == m.ESCALATIONS_LEVEL:
            forced = [(i, len(columns)) for i in force_escalations]
        table = protect(
            matrix(code, [k for k, _l in columns]),
            [threshold] * len(columns),
            row_totals=measure.row_totals,
            force_hidden=forced,
        )
        if code in (m.SECURITY_LEVEL, m.WLZ):
            force_included |= table.stuck_rows
        if code == m.ESCALATIONS_REASON:
            force_escalations |= table.stuck_rows
        tables[code] = NationalTable(measure, str(measure.label), columns, table, threshold)

    summary_columns = [(code, str(defs[code].label)) for code in SUMMARY_MEASURES]
    included_column = SUMMARY_MEASURES.index(m.INCLUDED)
    summary = NationalTable(
        None,
        _("Overzicht per regio"),
        summary_columns,
        protect(
            [[row.get((code, ""), 0) for code in SUMMARY_MEASURES] for row in rows],
            [general] * len(SUMMARY_MEASURES),
            row_totals=None,
            force_hidden=[(i, included_column) for i in force_included],
        ),
        general,
    )
    medians = [
        Shown(row.get((m.DAYS, m.MEDIAN), 0), False, str(row.get((m.DAYS, m.MEDIAN), 0)))
        if row.get((m.DAYS, m.COUNT), 0) >= general
        else None
        for row in rows
    ]
    metas = [
        RegionMeta(r.id, r.code, r.name, snapshots[r.id].revision, snapshots[r.id].created_at)
        for r in present
    ]
    result = NationalTables(
        month=month,
        regions=metas,
        missing=missing,
        summary=summary,
        tables=[tables[code] for code in defs if code in tables],
        medians=medians,
        threshold=general,
        sensitive_threshold=sensitive,
    )
    if region_ids is not None:
        result.regions = [r if r.id in region_ids else None for r in metas]
        result.missing = [r for r in missing if r.id in region_ids]
    return result


def national_trend(end: Month) -> list[TrendRow]:
    """National totals per month (latest revisions), protected like the tables: exact unless
    only a hidden national total keeps a region's small number from showing."""
    general, _sensitive = thresholds()
    months = m.last_months(end, TREND_MONTHS)
    snapshots = _latest_snapshots(months)
    cells = _cells_of([s.id for s in snapshots], TREND_MEASURES)
    by_month: dict[str, list[m.Cells]] = defaultdict(list)
    for snapshot in snapshots:
        by_month[snapshot.month].append(cells[snapshot.id])
    rows = []
    for month in months:
        found = by_month.get(str(month), [])
        if not found:
            rows.append(
                TrendRow(month, dict.fromkeys(TREND_MEASURES), dict.fromkeys(TREND_MEASURES, ""))
            )
            continue
        table = protect(
            [[_measure_total(c, code) for code in TREND_MEASURES] for c in found],
            general,
            row_totals=None,
        )
        values, labels = {}, {}
        for index, code in enumerate(TREND_MEASURES):
            total = table.column_totals[index]
            values[code] = None if total.hidden else total.value
            labels[code] = total.label
        rows.append(TrendRow(month, values, labels))
    return rows


@dataclass
class NationalReport:
    month: Month
    tables: NationalTables
    trend: list[TrendRow]
    chart: charts.Chart


def national_report(actor, region: Region | None, month: Month) -> NationalReport:
    """The national view for the landelijk analist: protected, never person data."""
    tables = national_tables(month)
    trend = national_trend(month)
    report = NationalReport(
        month,
        tables,
        trend,
        charts.line_chart(
            [row.month for row in trend],
            [
                (trend_labels()[code], [row.values[code] for row in trend])
                for code in TREND_MEASURES
            ],
        ),
    )
    record(
        "report_read",
        actor=actor,
        region_id=region.id if region else None,
        object_type="maandcijfers",
        details={"rapport": "landelijk", "maand": str(month)},
    )
    db.session.commit()
    return report


def national_export_rows(tables: NationalTables) -> list[list]:
    """Rows (regio, revisie, maatregel, uitsplitsing, waarde) of the protected national tables.
    Hidden cells carry their marker ("<5", "<10", "x"), never the value."""
    national = _("Landelijk totaal")

    def value(shown: Shown):
        return shown.label if shown.hidden else shown.value

    rows: list[list] = []
    for t in [tables.summary, *tables.tables]:
        for i, region in enumerate(tables.regions):
            if region is None:
                continue
            for j, (_key, label) in enumerate(t.columns):
                measure, breakdown = (label, "") if t.measure is None else (t.caption, label)
                rows.append(
                    [region.name, region.revision, measure, breakdown, value(t.table.cells[i][j])]
                )
            if t.table.row_totals is not None:
                rows.append(
                    [
                        region.name,
                        region.revision,
                        t.caption,
                        _("Totaal"),
                        value(t.table.row_totals[i]),
                    ]
                )
        for j, (_key, label) in enumerate(t.columns):
            measure, breakdown = (label, "") if t.measure is None else (t.caption, label)
            rows.append([national, "", measure, breakdown, value(t.table.column_totals[j])])
        if t.table.grand_total is not None:
            rows.append([national, "", t.caption, _("Totaal"), value(t.table.grand_total)])
    days = str(m.measure_map()[m.DAYS].label)
    for region, median in zip(tables.regions, tables.medians, strict=True):
        if region is not None:
            rows.append(
                [
                    region.name,
                    region.revision,
                    days,
                    _("Mediaan (dagen)"),
                    median.value if median else "–",
                ]
            )
    return rows


# ---------------------------------------------------------------- exports


@dataclass
class ExportData:
    filename: str
    header: list[str]
    rows: list[list]
    about: list[tuple[str, str]]


FORMATS = ("csv", "xlsx")


def _about(actor_role: str, month: Month, area: str, protection: str) -> list[tuple[str, str]]:
    from flask_babel import format_datetime

    from levensloop.db import utcnow

    return [
        (_("Gemaakt op"), format_datetime(utcnow(), "d MMM yyyy HH:mm")),
        (_("Door rol"), actor_role),
        (_("Maand"), str(month)),
        (_("Gebied"), area),
        (_("Bescherming"), protection),
        (_("Bron"), _("Levensloop, vastgelegde maandcijfers (laatste revisie)")),
    ]


def _record_export(actor, region_id, month: Month, scope: str, fmt: str, snapshot_id=None):
    record(
        "report_export",
        actor=actor,
        region_id=region_id,
        object_type="maandcijfers",
        object_id=snapshot_id,
        details={"rapport": scope, "maand": str(month), "formaat": fmt},
    )
    db.session.commit()


def region_export(actor, region: Region, month: Month, fmt: str, *, role_label: str) -> ExportData:
    """The region's exact numbers, for its own use; the export is recorded."""
    if fmt not in FORMATS:
        raise DomainError(_("Kies CSV of XLSX."), field="formaat")
    snapshot, rows = region_export_rows(region, month)
    header = [_("Maand"), _("Regio"), _("Revisie"), _("Maatregel"), _("Uitsplitsing"), _("Waarde")]
    data = ExportData(
        f"maandcijfers-regio-{month}.{fmt}",
        header,
        [[str(month), region.name, snapshot.revision, *row] for row in rows],
        _about(
            role_label,
            month,
            region.name,
            _("Geen: exacte cijfers, alleen voor gebruik binnen de regio."),
        ),
    )
    _record_export(actor, region.id, month, "regio", fmt, snapshot.id)
    return data


def protection_text(general: int, sensitive: int) -> str:
    return _(
        "Cellen onder %(general)s (onder %(sensitive)s bij zorg- en justitiekenmerken) staan als "
        '"<%(general)s" of "<%(sensitive)s"; cellen met "x" zijn verborgen zodat een kleine '
        "waarde niet uit de totalen is af te leiden. Landelijke totalen zijn exact.",
        general=general,
        sensitive=sensitive,
    )


def national_export(
    actor, region: Region | None, month: Month, fmt: str, *, role_label: str
) -> ExportData:
    """The protected national numbers; the export is recorded."""
    if fmt not in FORMATS:
        raise DomainError(_("Kies CSV of XLSX."), field="formaat")
    tables = national_tables(month)
    header = [_("Maand"), _("Regio"), _("Revisie"), _("Maatregel"), _("Uitsplitsing"), _("Waarde")]
    data = ExportData(
        f"maandcijfers-landelijk-{month}.{fmt}",
        header,
        [[str(month), *row] for row in national_export_rows(tables)],
        _about(
            role_label,
            month,
            _("Alle regio's"),
            protection_text(tables.threshold, tables.sensitive_threshold),
        ),
    )
    _record_export(actor, region.id if region else None, month, "landelijk", fmt)
    return data


# ---------------------------------------------------------------- the command line


def region_numbers(region: Region, month: Month) -> tuple[ReportSnapshot | None, m.Cells]:
    """The exact cells of a region's month: the latest revision, or, when the month has not
    been frozen yet, computed from the recorded history (the caller says which)."""
    snapshot = latest_snapshot(region.id, month)
    if snapshot is not None:
        return snapshot, _cells_of([snapshot.id])[snapshot.id]
    return None, m.compute_month(region.id, month)


def record_cli_export(region: Region, month: Month, fmt: str, snapshot) -> None:
    record(
        "report_export",
        region_id=region.id,
        object_type="maandcijfers",
        object_id=snapshot.id if snapshot else None,
        details={"rapport": "regio", "maand": str(month), "formaat": fmt, "via": "cli"},
    )
    db.session.commit()
