"""Pure date rules for legal titles: no Flask, no database.

Every end date here is the last day on which a title runs (it ends at the end of that day).

- Wvggz terms (`wvggz_rule`): the start day is not counted, and the term ends at the end of
  the day with the same number as the start day (HR 22-01-2021, ECLI:NL:HR:2021:107). A
  zorgmachtiging of 6 months from 15 January runs to the end of 15 July. Weeks end on the same
  weekday. When the end month has no day with that number (31 January + 1 month), the term ends
  at the end of the last day of that month (28 or 29 February).
- Other titles (K): the start day is the first day, so the term ends at the end of the day
  before the day with the same number (2 years from 10 March 2024: to 9 March 2026). When the
  end month has no day with that number, it ends on the last day of that month.

`type_` is anything with the attributes of a title type (the `TitleType` row or a
`TitleTypeSpec`): default_months, default_weeks, max_months, max_weeks, wvggz_rule.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def _days_in_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def add_months(start: date, months: int) -> date:
    """The day with the same number `months` later (or earlier, for a negative number); the
    last day of that month when it has no such day."""
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(start.day, _days_in_month(year, month)))


def wvggz_end(start: date, *, months: int = 0, weeks: int = 0) -> date:
    """The last day of a Wvggz term: the day with the same number (or weekday), start day not
    counted."""
    if months < 0 or weeks < 0:
        raise ValueError("een termijn is niet negatief")
    return add_months(start, months) + timedelta(weeks=weeks)


def ordinary_end(start: date, *, months: int = 0, weeks: int = 0) -> date:
    """The last day of a term whose start day counts as its first day."""
    if months < 0 or weeks < 0:
        raise ValueError("een termijn is niet negatief")
    if not months and not weeks:
        return start
    if months:
        index = start.year * 12 + (start.month - 1) + months
        year, month = divmod(index, 12)
        month += 1
        if start.day > _days_in_month(year, month):
            end = date(year, month, _days_in_month(year, month))
        else:
            end = date(year, month, start.day) - timedelta(days=1)
    else:
        end = start - timedelta(days=1)
    return end + timedelta(weeks=weeks)


def term_end(type_, start: date, *, months: int | None = None, weeks: int | None = None):
    """The last day of a term of `months` and/or `weeks` from `start` under the type's rule,
    or None when neither is given."""
    if not months and not weeks:
        return None
    compute = wvggz_end if type_.wvggz_rule else ordinary_end
    return compute(start, months=months or 0, weeks=weeks or 0)


def expected_end(type_, start: date) -> date | None:
    """The default expected end of a title of this type starting on `start`; None when the
    court, the burgemeester or a beschikking sets it, or the frame is open-ended."""
    return term_end(type_, start, months=type_.default_months, weeks=type_.default_weeks)


def maximum_end(type_, start: date) -> date | None:
    """The last day the title may run in total from `start`, extensions and a voorwaardelijke
    beëindiging included; None when the law sets no maximum."""
    return term_end(type_, start, months=type_.max_months, weeks=type_.max_weeks)


def proposed_extension(type_, current_end: date | None) -> date | None:
    """The end date the extension form proposes: one usual step after the current end."""
    if current_end is None or not type_.extension_months:
        return None
    return add_months(current_end, type_.extension_months)


def months_ago(today: date, months: int) -> date:
    return add_months(today, -months)
