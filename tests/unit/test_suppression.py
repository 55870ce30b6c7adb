"""Disclosure control of the national tables: primary suppression below the threshold,
secondary suppression so that no hidden cell can be worked out from a row or column total,
national totals exact."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from levensloop.reports.suppression import KNOWN, PUBLISHED, SECONDARY_MARK, protect


def labels(table):
    return [[c.label for c in row] for row in table.cells]


def _lines(table, values, row_totals):
    """Every published relation as (hidden/shown entries, total entry): rows, columns, the
    column of row totals, the row of national totals and everything at once."""
    n, k = table.rows, table.columns
    cells = table.cells
    lines = [([cells[i][j] for i in range(n)], table.column_totals[j]) for j in range(k)]
    if row_totals == PUBLISHED:
        lines += [(list(cells[i]), table.row_totals[i]) for i in range(n)]
        lines.append((table.row_totals, table.grand_total))
        lines.append((table.column_totals, table.grand_total))
        lines.append(([c for row in cells for c in row], table.grand_total))
    return lines


def _bounds(entry, threshold):
    if entry.reason == "primary":
        return 0, threshold - 1
    if entry.reason == "secondary" and entry.label == SECONDARY_MARK:
        return 0, math.inf
    return entry.value, entry.value


def _assert_protected(table, values, thresholds, row_totals):
    # Primary: every cell below its threshold is hidden, with the right marker.
    for i, row in enumerate(values):
        for j, value in enumerate(row):
            cell = table.cells[i][j]
            if value < thresholds[j]:
                assert cell.hidden and cell.label == f"<{thresholds[j]}"
            if not cell.hidden:
                assert cell.label == str(value)
    if table.row_totals is not None:
        for i, row in enumerate(values):
            if sum(row) < max(thresholds):
                assert table.row_totals[i].hidden
    # Secondary: no relation has exactly one hidden entry whose value is its total minus the
    # entries shown (it would simply be that difference).
    for parts, total in _lines(table, values, row_totals):
        entries = [*parts, total]
        hidden = [e for e in entries if e.hidden]
        if total.hidden:
            assert len(hidden) >= 2
            continue
        hidden_parts = [e for e in parts if e.hidden]
        if len(hidden_parts) == 1:
            derived = total.value - sum(e.value for e in parts if not e.hidden)
            assert hidden_parts[0].value != derived or False, "verborgen cel is af te leiden"
        assert len(hidden) != 1


def test_a_small_cell_is_hidden_and_a_neighbour_protects_it():
    table = protect([[12, 3, 20], [15, 9, 7]], 5)
    # The 3 is hidden; the 9 below it, the 12 beside it and the 15 that closes the rectangle
    # are hidden too ("x"), so every row and column has two hidden cells.
    assert labels(table) == [["x", "<5", "20"], ["x", "x", "7"]]
    assert [c.label for c in table.row_totals] == ["35", "31"]
    # National totals stay exact.
    assert [c.label for c in table.column_totals] == ["27", "12", "27"]
    assert table.grand_total.label == "66"


def test_sensitive_columns_use_the_higher_threshold():
    table = protect([[7, 30], [40, 25]], [10, 5], row_totals=None)
    assert table.cells[0][0].label == "<10"
    assert table.cells[0][1].label == "30"
    assert table.cells[1][0].hidden  # the column total would give it away otherwise


def test_two_small_cells_that_add_up_to_a_known_value_are_protected():
    # "<5" + "<5" with a total of 8 means 4 and 4: a third cell is hidden as well.
    table = protect([[4, 4, 30], [20, 20, 20]], 5)
    row = table.cells[0]
    assert row[0].hidden and row[1].hidden
    assert row[2].hidden or table.row_totals[0].hidden


def test_known_row_totals_are_never_hidden_and_unprotectable_rows_are_reported():
    # Wlz ja/nee adds up to the number of included persons, which is published elsewhere.
    table = protect([[3, 40], [9, 9]], 10, row_totals=KNOWN)
    assert table.row_totals is None
    assert table.cells[0][0].label == "<10" and table.cells[0][1].hidden
    # 9 + 9 = 18 with both below 10: only hiding the 18 elsewhere protects them.
    assert table.stuck_rows == {1}


def test_a_forced_cell_is_hidden_and_protected_in_turn():
    table = protect([[18, 30], [40, 50]], 5, row_totals=None, force_hidden=[(0, 0)])
    assert table.cells[0][0].hidden and table.cells[1][0].hidden
    assert [c.label for c in table.column_totals] == ["58", "80"]


def test_a_single_region_cannot_hide_behind_the_national_total():
    table = protect([[3, 12]], 5, row_totals=None)
    assert table.cells[0][0].hidden
    # The national total would equal the hidden cell: it is hidden as the last resort.
    assert table.column_totals[0].hidden
    assert table.column_totals[1].label == "12"


def test_small_cells_whose_bounds_meet_keep_an_exact_national_total():
    # Both regions "<5" and 8 nationally: nothing but the national total could keep them
    # apart, and national totals stay exact.
    table = protect([[4], [4]], 5, row_totals=None)
    assert all(row[0].hidden for row in table.cells)
    assert table.column_totals[0].label == "8"


def test_all_large_cells_show_exactly():
    table = protect([[10, 20], [30, 40]], 5)
    assert not table.hidden_cells()
    assert table.grand_total.value == 100


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        protect([[1, 2], [3]], 5)
    with pytest.raises(ValueError):
        protect([[-1, 2]], 5)
    with pytest.raises(ValueError):
        protect([[1], [2]], 5, row_totals=KNOWN)


tables = st.integers(min_value=2, max_value=6).flatmap(
    lambda cols: st.lists(
        st.lists(st.integers(min_value=0, max_value=40), min_size=cols, max_size=cols),
        min_size=2,
        max_size=6,
    )
)


@settings(max_examples=300, deadline=None)
@given(values=tables, sensitive=st.booleans(), published=st.booleans())
def test_no_hidden_cell_can_be_recomputed_from_the_totals(values, sensitive, published):
    threshold = 10 if sensitive else 5
    thresholds = [threshold] * len(values[0])
    row_totals = PUBLISHED if published else None
    table = protect(values, thresholds, row_totals=row_totals)
    _assert_protected(table, values, thresholds, row_totals)
    # With two or more regions the national totals are exact.
    assert not any(total.hidden for total in table.column_totals)
    assert table.grand_total is None or not table.grand_total.hidden


def _entries(table):
    """(entry, kind) for every relation: kind cell, row (published row total) or national."""
    n, k = table.rows, table.columns
    cells = [[(table.cells[i][j], "cell") for j in range(k)] for i in range(n)]
    rows = [(t, "row") for t in table.row_totals]
    columns = [(t, "national") for t in table.column_totals]
    grand = (table.grand_total, "national")
    lines = [([cells[i][j] for i in range(n)], columns[j]) for j in range(k)]
    lines += [(cells[i], rows[i]) for i in range(n)]
    lines += [(rows, grand), (columns, grand), ([c for row in cells for c in row], grand)]
    return lines


def _range(entry, kind, threshold):
    """What a reader knows of an entry: its value, or bounds from its marker."""
    if not entry.hidden:
        return entry.value, entry.value
    if entry.reason == "primary":
        return 0, threshold - 1
    return (threshold, math.inf) if kind in ("cell", "row") else (0, math.inf)


@settings(max_examples=300, deadline=None)
@given(values=tables)
def test_no_hidden_cell_can_be_pinned_down_with_bounds(values):
    """A reader knows that "<5" is 0..4 and that "x" is at least 5. Per relation, no hidden
    entry may come out at exactly one value."""
    table = protect(values, 5)
    for parts, total in _entries(table):
        signed = [(e, kind, 1) for e, kind in parts] + [(total[0], total[1], -1)]
        for index, (entry, kind, sign) in enumerate(signed):
            if not entry.hidden:
                continue
            # sign * entry = -(sum of the others with their signs)
            low_rest = high_rest = 0
            for other_index, (other, other_kind, other_sign) in enumerate(signed):
                if other_index == index:
                    continue
                lo, hi = _range(other, other_kind, 5)
                if other_sign > 0:
                    low_rest, high_rest = low_rest + lo, high_rest + hi
                else:
                    low_rest, high_rest = low_rest - hi, high_rest - lo
            low, high = (-high_rest, -low_rest) if sign > 0 else (low_rest, high_rest)
            own_low, own_high = _range(entry, kind, 5)
            if max(low, own_low) == min(high, own_high):
                # Only where nothing is left to hide but an exact national total.
                rest = [e for e, k, _s in signed if k != "national"]
                assert all(e.hidden for e in rest), "verborgen waarde is vast te pinnen"
                assert total[1] == "national" and not total[0].hidden
