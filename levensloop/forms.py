"""Small helpers shared by the forms of every module."""

from __future__ import annotations

from collections.abc import Iterable

from wtforms.fields.choices import SelectChoice


def choices(pairs: Iterable[tuple[str, object]]) -> list[SelectChoice]:
    """Select options from (value, label) pairs; labels may be lazy strings."""
    return [SelectChoice(value, label) for value, label in pairs]


def parse_date(value: str | None):
    """An ISO date from a date input, or None (the service then names the field)."""
    from datetime import date

    try:
        return date.fromisoformat((value or "").strip()) if value else None
    except ValueError:
        return None
