"""A line chart as plain numbers for a server-rendered SVG (templates/reports/_chart.html).

No JavaScript and no CSS classes: the template uses SVG presentation attributes (stroke,
fill), which the strict CSP allows. Series differ by colour and by dash pattern and marker,
so colour is never the only difference; the page always shows the same numbers as a table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from flask_babel import format_date

WIDTH, HEIGHT = 720, 320
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 48

# Dark enough against white for graphics (WCAG 1.4.11, at least 3:1), each with its own dash
# pattern and marker shape.
STYLES = (
    ("#1f4e8c", "", "circle"),
    ("#a4341c", "8 4", "square"),
    ("#2e6b30", "2 4", "diamond"),
)


@dataclass
class Point:
    x: float
    y: float
    value: int


@dataclass
class Series:
    label: str
    stroke: str
    dash: str
    marker: str
    segments: list[list[Point]]  # unbroken runs of months that have a value

    @property
    def points(self) -> list[Point]:
        return [p for segment in self.segments for p in segment]

    def path(self, segment: list[Point]) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in segment)


@dataclass
class Tick:
    value: int
    y: float


@dataclass
class XLabel:
    text: str
    x: float


@dataclass
class Chart:
    width: int
    height: int
    left: int
    right: float
    top: int
    bottom: float
    ticks: list[Tick]
    labels: list[XLabel]
    series: list[Series]
    empty: bool


def _nice_max(value: int) -> tuple[int, int]:
    """An axis maximum and a step: 1, 2 or 5 times a power of ten, at most five steps."""
    if value <= 0:
        return 5, 1
    for exponent in range(0, 10):
        for base in (1, 2, 5):
            step = base * 10**exponent
            if math.ceil(value / step) <= 5:
                return step * math.ceil(value / step), step
    return value, value  # pragma: no cover - numbers this large do not occur


def line_chart(months, series: list[tuple[str, list[int | None]]]) -> Chart:
    """`months`: the x axis (Month objects, oldest first); `series`: (label, values), a value
    None leaves a gap."""
    right, bottom = WIDTH - RIGHT, HEIGHT - BOTTOM
    values = [v for _label, vs in series for v in vs if v is not None]
    top_value, step = _nice_max(max(values, default=0))
    count = max(len(months), 1)
    slot = (right - LEFT) / count

    def x_of(index: int) -> float:
        return LEFT + slot * (index + 0.5)

    def y_of(value: int) -> float:
        return bottom - (bottom - TOP) * value / top_value

    ticks = [Tick(v, y_of(v)) for v in range(0, top_value + 1, step)]
    labels = [
        XLabel(format_date(month.first_day, "MMM yy"), x_of(i)) for i, month in enumerate(months)
    ]
    drawn = []
    for n, (label, vs) in enumerate(series):
        stroke, dash, marker = STYLES[n % len(STYLES)]
        segments: list[list[Point]] = []
        current: list[Point] = []
        for i, v in enumerate(vs):
            if v is None:
                if current:
                    segments.append(current)
                current = []
                continue
            current.append(Point(x_of(i), y_of(v), v))
        if current:
            segments.append(current)
        drawn.append(Series(label, stroke, dash, marker, segments))
    return Chart(WIDTH, HEIGHT, LEFT, right, TOP, bottom, ticks, labels, drawn, not values)
