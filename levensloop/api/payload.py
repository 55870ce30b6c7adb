"""The JSON of the monthly counts: the protected national tables, counts only."""

from __future__ import annotations

from levensloop.reports import measures as m
from levensloop.reports.services import NationalTables, protection_text
from levensloop.reports.suppression import Shown

TOTAL = "totaal"


def _cell(measure: str, dimension: str, shown: Shown | None) -> dict:
    if shown is None:
        return {
            "maatregel": measure,
            "uitsplitsing": dimension,
            "waarde": None,
            "weergave": "–",
            "onderdrukt": True,
        }
    return {
        "maatregel": measure,
        "uitsplitsing": dimension,
        "waarde": None if shown.hidden else shown.value,
        "weergave": shown.label,
        "onderdrukt": shown.hidden,
    }


def monthly(tables: NationalTables) -> dict:
    region_cells: list[list[dict]] = [[] for _region in tables.regions]
    national: list[dict] = []
    for t in [tables.summary, *tables.tables]:
        for j, (key, _label) in enumerate(t.columns):
            code, dimension = (key, "") if t.measure is None else (t.measure.code, key)
            for i, region in enumerate(tables.regions):
                if region is not None:
                    region_cells[i].append(_cell(code, dimension, t.table.cells[i][j]))
            national.append(_cell(code, dimension, t.table.column_totals[j]))
        if t.table.row_totals is not None:
            for i, region in enumerate(tables.regions):
                if region is not None:
                    region_cells[i].append(_cell(t.measure.code, TOTAL, t.table.row_totals[i]))
            national.append(_cell(t.measure.code, TOTAL, t.table.grand_total))
    for i, region in enumerate(tables.regions):
        if region is not None:
            region_cells[i].append(_cell(m.DAYS, m.MEDIAN, tables.medians[i]))
    return {
        "maand": str(tables.month),
        "afscherming": {
            "drempel": tables.threshold,
            "drempel_gevoelig": tables.sensitive_threshold,
            "toelichting": protection_text(tables.threshold, tables.sensitive_threshold),
        },
        "maatregelen": [
            {
                "code": measure.code,
                "naam": str(measure.label),
                "gevoelig": measure.sensitive,
                "uitsplitsingen": [
                    {"code": key, "naam": str(label)}
                    for key, label in measure.dimensions
                    if measure.code != m.DAYS or key == m.MEDIAN
                ],
            }
            for measure in m.measures()
        ],
        "regios": [
            {
                "code": region.code,
                "naam": region.name,
                "revisie": region.revision,
                "vastgelegd_op": region.frozen_at.isoformat(),
                "cijfers": region_cells[i],
            }
            for i, region in enumerate(tables.regions)
            if region is not None
        ],
        "landelijk": {
            "aantal_regios": len(tables.regions),
            "cijfers": national,
        },
        "regios_zonder_cijfers": [{"code": r.code, "naam": r.name} for r in tables.missing],
    }
