"""Werkdagen: Monday to Friday, except Dutch public holidays.

The calendar is the Netherlands calendar of the `holidays` package (its public category,
unchanged), so the dates stay maintained upstream instead of in a list of our own. That calendar
follows the Algemene termijnenwet: Nieuwjaarsdag, Goede Vrijdag, Eerste en Tweede Paasdag,
Koningsdag (moved to Saturday 26 April when 27 April is a Sunday), Hemelvaartsdag, Eerste en
Tweede Pinksterdag, Eerste en Tweede Kerstdag.

Bevrijdingsdag (5 May): the law names it every year, but many employers, in care among them,
give the day off only once every five years (2025, 2030, ...). We follow the library's public
calendar, which counts 5 May as a holiday only in those years. In other years 5 May is a
werkdag here, so a deadline can come a day earlier, never later. A region that gives the day off
every year sees a response time that is one day stricter around 5 May.

No application context is needed: jobs, services and tests use the same functions.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays

COUNTRY = "NL"
SATURDAY = 5


@lru_cache(maxsize=64)
def holidays_in(year: int) -> frozenset[date]:
    """The Dutch public holidays of one year (an immutable copy, cached per year)."""
    return frozenset(holidays.country_holidays(COUNTRY, years=year))


def holiday_name(day: date) -> str | None:
    """The (Dutch) name of the public holiday on `day`, or None."""
    if day not in holidays_in(day.year):
        return None
    return holidays.country_holidays(COUNTRY, years=day.year, language="nl").get(day)


def is_workday(day: date) -> bool:
    """Monday to Friday and not a Dutch public holiday."""
    return day.weekday() < SATURDAY and day not in holidays_in(day.year)


def add_workdays(start: date, n: int) -> date:
    """The day `n` werkdagen after `start`; counting starts the day after `start`, so
    `add_workdays(friday, 1)` is the next werkdag (usually Monday). `n == 0` gives `start`
    itself; a negative `n` counts back."""
    step = 1 if n >= 0 else -1
    day, left = start, abs(n)
    while left:
        day += timedelta(days=step)
        if is_workday(day):
            left -= 1
    return day


def workdays_between(a: date, b: date) -> int:
    """The number of werkdagen after `a` up to and including `b` (negative when `b` lies
    before `a`), so that `workdays_between(a, add_workdays(a, n)) == n` for every n >= 0."""
    if b < a:
        return -workdays_between(b, a)
    return sum(1 for offset in range(1, (b - a).days + 1) if is_workday(a + timedelta(offset)))


def next_workday(day: date) -> date:
    """`day` itself when it is a werkdag, else the first werkdag after it."""
    while not is_workday(day):
        day += timedelta(days=1)
    return day
