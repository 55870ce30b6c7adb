"""Disclosure control for a table of counts (regions x categories): primary and secondary
suppression. Pure Python: no Flask, no database.

The table has cells, optionally a total per row, and a national total per column (plus a grand
total when rows have totals). Each total gives one linear relation, a *line*: the cells of a
row (or column) add up to its total. A reader who sees all but one entry of a line can work
out the missing one, and a reader who knows that hidden cells are small can often narrow a
hidden cell down to one value. So:

1. Primary: every cell (and published row total) below its threshold is hidden and shown as
   "<5" (or "<10" for sensitive measures).
2. Secondary: while some line lets a reader pin down a hidden entry to one value, the smallest
   entry still shown in that line is hidden too (shown as "x"). The check works per line with
   the bounds a reader knows: a "<5" cell lies in 0..4, an "x" cell is at least its threshold
   (it would have been "<5" otherwise), so a line with exactly one hidden entry always counts
   as pinned, and so does, for example, "<5" + "<5" = 8.
3. National totals (column totals and the grand total) stay exact. Only when a line has
   exactly one hidden entry and nothing else left to hide (a column with a single region) is
   a national total hidden as well: it would be that entry. With two or more regions this
   never happens. A line of small cells whose bounds alone give them away (every region
   "<5" and a national total of 8) keeps its exact total: the rule for national totals wins
   there, and the page says so.

Row totals can be *published* (shown in the table, protected like cells), *known* (not shown
here but known to the reader from elsewhere, e.g. the number of included persons behind a
breakdown by Wlz indication: never hidden, the cells are protected against it), or absent
(the columns are different measures that do not add up).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

PUBLISHED, KNOWN = "published", "known"

CELL, ROW_TOTAL, KNOWN_TOTAL, NATIONAL = "cell", "row_total", "known_total", "national"
PRIMARY, SECONDARY = "primary", "secondary"
SECONDARY_MARK = "x"


@dataclass(frozen=True)
class Shown:
    """One entry as published: the value, or a marker."""

    value: int
    hidden: bool
    label: str  # "12", "<5", "<10" or "x"
    reason: str | None = None  # primary | secondary


@dataclass
class _Entry:
    value: int
    kind: str
    threshold: int
    hidden: str | None = None  # None | primary | secondary
    order: int = 0

    def bounds(self) -> tuple[float, float]:
        """What a reader knows of the value of a hidden entry."""
        if self.hidden == PRIMARY:
            return 0.0, float(self.threshold - 1)
        if self.hidden == SECONDARY and self.kind in (CELL, ROW_TOTAL):
            return float(self.threshold), math.inf
        return 0.0, math.inf


@dataclass
class ProtectedTable:
    """The result: every entry with its published form."""

    rows: int
    columns: int
    cells: list[list[Shown]]
    row_totals: list[Shown] | None  # None unless row totals are published
    column_totals: list[Shown]
    grand_total: Shown | None
    thresholds: list[int] = field(default_factory=list)
    # Rows whose known total lets a reader pin down a hidden cell whatever this table hides:
    # the table that publishes that total must hide it.
    stuck_rows: set[int] = field(default_factory=set)

    def hidden_cells(self) -> set[tuple[int, int]]:
        return {
            (i, j) for i in range(self.rows) for j in range(self.columns) if self.cells[i][j].hidden
        }


def protect(
    values: Sequence[Sequence[int]],
    thresholds: Sequence[int] | int,
    *,
    row_totals: str | None = PUBLISHED,
    force_hidden: Sequence[tuple[int, int]] = (),
) -> ProtectedTable:
    """Suppress the table `values` (rows x columns of non-negative counts).

    `thresholds`: one per column (this also gives the number of columns of a table without
    rows), or one for all; a cell below its threshold is hidden.
    `row_totals`: PUBLISHED (the sum of each row, shown and protected), KNOWN (the sum of each
    row is known to the reader from elsewhere: not shown, never hidden) or None.
    `force_hidden`: cells to hide from the start (secondary), e.g. a total that another table
    cannot be protected against (see `ProtectedTable.stuck_rows`)."""
    rows = len(values)
    if isinstance(thresholds, int):
        if not rows:
            raise ValueError("geef bij een lege tabel één drempel per kolom")
        thresholds = [thresholds] * len(values[0])
    thresholds = list(thresholds)
    columns = len(thresholds)
    if any(len(row) != columns for row in values):
        raise ValueError("één drempel per kolom, en alle rijen even lang")
    if any(v < 0 for row in values for v in row):
        raise ValueError("aantallen zijn niet negatief")
    if row_totals == KNOWN and columns < 2:
        raise ValueError("een bekend rijtotaal met één kolom verraadt die kolom")
    total_threshold = max(thresholds, default=0)

    order = iter(range(10**9))
    grid: dict[tuple[int, int], _Entry] = {}
    for i in range(rows):
        for j in range(columns):
            grid[i, j] = _Entry(int(values[i][j]), CELL, thresholds[j], order=next(order))
    for j in range(columns):
        column_sum = sum(int(values[i][j]) for i in range(rows))
        grid[rows, j] = _Entry(column_sum, NATIONAL, 0, order=next(order))
    if row_totals is not None:
        sums = [sum(int(v) for v in row) for row in values]
        kind = ROW_TOTAL if row_totals == PUBLISHED else KNOWN_TOTAL
        for i in range(rows):
            grid[i, columns] = _Entry(sums[i], kind, total_threshold, order=next(order))
        grid[rows, columns] = _Entry(sum(sums), NATIONAL, 0, order=next(order))

    # Lines: (entries adding up, their total).
    lines: list[tuple[list[tuple[int, int]], tuple[int, int]]] = []
    for j in range(columns):
        lines.append(([(i, j) for i in range(rows)], (rows, j)))
    if row_totals is not None:
        for i in range(rows):
            lines.append(([(i, j) for j in range(columns)], (i, columns)))
        lines.append(([(i, columns) for i in range(rows)], (rows, columns)))
        # The national totals add up to the grand total, and so do all cells together.
        lines.append(([(rows, j) for j in range(columns)], (rows, columns)))
        lines.append(([(i, j) for i in range(rows) for j in range(columns)], (rows, columns)))

    for entry in grid.values():
        if entry.kind in (CELL, ROW_TOTAL) and entry.value < entry.threshold:
            entry.hidden = PRIMARY
    for key in force_hidden:
        if grid[key].hidden is None:
            grid[key].hidden = SECONDARY

    lines_of: dict[tuple[int, int], list[list[tuple[int, int]]]] = {key: [] for key in grid}
    for parts, total in lines:
        for key in (*parts, total):
            lines_of[key].append([*parts, total])

    while True:
        changed = False
        for parts, total in lines:
            keys = [*parts, total]
            if not _pinned(grid, parts, total):
                continue
            single = sum(bool(grid[k].hidden) for k in keys) == 1
            candidate = _candidate(grid, keys, lines_of, single=single)
            if candidate is not None:
                grid[candidate].hidden = SECONDARY
                changed = True
        if not changed:
            break
    stuck = {
        i
        for i in range(rows)
        if row_totals == KNOWN and _pinned(grid, [(i, j) for j in range(columns)], (i, columns))
    }

    def shown(key: tuple[int, int]) -> Shown:
        entry = grid[key]
        if entry.hidden == PRIMARY:
            return Shown(entry.value, True, f"<{entry.threshold}", PRIMARY)
        if entry.hidden == SECONDARY:
            return Shown(entry.value, True, SECONDARY_MARK, SECONDARY)
        return Shown(entry.value, False, str(entry.value))

    return ProtectedTable(
        rows=rows,
        columns=columns,
        cells=[[shown((i, j)) for j in range(columns)] for i in range(rows)],
        row_totals=[shown((i, columns)) for i in range(rows)] if row_totals == PUBLISHED else None,
        column_totals=[shown((rows, j)) for j in range(columns)],
        grand_total=shown((rows, columns)) if row_totals == PUBLISHED else None,
        thresholds=thresholds,
        stuck_rows=stuck,
    )


def _pinned(grid, parts, total) -> bool:
    """Can a reader work out a hidden entry of this line exactly (from this line alone)?"""
    signed = [(key, 1) for key in parts] + [(total, -1)]
    hidden = [(key, sign) for key, sign in signed if grid[key].hidden]
    if not hidden:
        return False
    # sum(sign * value) == 0 over the line; known part:
    known = sum(sign * grid[key].value for key, sign in signed if not grid[key].hidden)
    for key, sign in hidden:
        low_rest, high_rest = 0.0, 0.0
        for other, other_sign in hidden:
            if other == key:
                continue
            lo, hi = grid[other].bounds()
            if other_sign > 0:
                low_rest, high_rest = low_rest + lo, high_rest + hi
            else:
                low_rest, high_rest = low_rest - hi, high_rest - lo
        # sign * x = -(known + rest)
        if sign > 0:
            low, high = -known - high_rest, -known - low_rest
        else:
            low, high = known + low_rest, known + high_rest
        own_low, own_high = grid[key].bounds()
        low, high = max(low, own_low), min(high, own_high)
        if low == high:
            return True
    return False


def _candidate(grid, keys, lines_of, *, single: bool) -> tuple[int, int] | None:
    """The entry to hide next in a pinned line: the smallest shown cell or published row
    total. A national total only when nothing else is left and the line has exactly one
    hidden entry (which the total would give away outright); national totals stay exact
    otherwise, so a line of small cells whose bounds meet (4 + 4 = 8) is left as it is."""

    def balance(key) -> int:
        """Lines this entry would leave with a single hidden entry, minus those it mends."""
        result = 0
        for line in lines_of[key]:
            if line is keys or set(line) == set(keys):
                continue
            hidden = sum(bool(grid[k].hidden) for k in line)
            result += 1 if hidden == 0 else -1 if hidden == 1 else 0
        return result

    def rank(key):
        entry = grid[key]
        return (balance(key), entry.value, entry.kind != CELL, entry.order)

    shown = [key for key in keys if not grid[key].hidden]
    hideable = [key for key in shown if grid[key].kind in (CELL, ROW_TOTAL)]
    if hideable:
        return min(hideable, key=rank)
    national = [key for key in shown if grid[key].kind == NATIONAL]
    if national and single:
        return min(national, key=rank)
    return None
