"""Werkdagen arithmetic: weekends and Dutch public holidays (the `holidays` NL calendar)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from levensloop.workdays import (
    add_workdays,
    holiday_name,
    holidays_in,
    is_workday,
    next_workday,
    workdays_between,
)


@pytest.mark.parametrize(
    "day,expected",
    [
        (date(2026, 4, 24), True),  # Friday
        (date(2026, 4, 25), False),  # Saturday
        (date(2026, 4, 26), False),  # Sunday
        (date(2026, 4, 27), False),  # Koningsdag, a Monday
        (date(2026, 4, 28), True),
        (date(2026, 4, 3), False),  # Goede Vrijdag
        (date(2026, 4, 6), False),  # Tweede Paasdag
        (date(2026, 5, 14), False),  # Hemelvaartsdag
        (date(2026, 5, 25), False),  # Tweede Pinksterdag
        (date(2026, 12, 25), False),  # Eerste Kerstdag
        (date(2026, 12, 28), True),
        (date(2027, 1, 1), False),  # Nieuwjaarsdag
        (date(2025, 4, 26), False),  # Koningsdag 2025: a Saturday, and a weekend day anyway
    ],
)
def test_is_workday(day, expected):
    assert is_workday(day) is expected


def test_easter_comes_from_the_library_not_a_fixed_date():
    assert {date(2026, 4, 5), date(2026, 4, 6)} <= holidays_in(2026)
    assert {date(2027, 3, 28), date(2027, 3, 29)} <= holidays_in(2027)
    assert date(2027, 4, 6) not in holidays_in(2027)


def test_bevrijdingsdag_counts_only_in_lustrum_years():
    assert not is_workday(date(2025, 5, 5))  # Monday, lustrum year
    assert is_workday(date(2026, 5, 5))  # Tuesday, an ordinary werkdag
    assert is_workday(date(2029, 5, 4))
    assert date(2030, 5, 5) in holidays_in(2030)


def test_holiday_names_are_dutch():
    assert holiday_name(date(2026, 4, 27)) == "Koningsdag"
    assert holiday_name(date(2026, 12, 25)) == "Eerste kerstdag"
    assert holiday_name(date(2026, 4, 28)) is None


def test_five_workdays_from_the_friday_before_koningsdag():
    # Fri 24 Apr 2026 + 5: Tue 28, Wed 29, Thu 30, Fri 1 May, Mon 4 May (Mon 27 is Koningsdag).
    assert add_workdays(date(2026, 4, 24), 5) == date(2026, 5, 4)


def test_add_workdays_across_christmas_and_new_year():
    # Thu 24 Dec 2026: Fri 25 and Sat 26 are Kerst, then Mon 28 ... Thu 31, Fri 1 Jan is a holiday.
    assert add_workdays(date(2026, 12, 24), 1) == date(2026, 12, 28)
    assert add_workdays(date(2026, 12, 24), 5) == date(2027, 1, 4)


def test_add_workdays_across_easter():
    # Thu 2 Apr 2026, then Goede Vrijdag, the weekend and Tweede Paasdag.
    assert add_workdays(date(2026, 4, 2), 1) == date(2026, 4, 7)


def test_add_workdays_zero_and_from_a_weekend():
    assert add_workdays(date(2026, 4, 25), 0) == date(2026, 4, 25)
    assert add_workdays(date(2026, 4, 25), 1) == date(2026, 4, 28)  # Sat -> Tue (Koningsdag Mon)


def test_add_workdays_backwards():
    assert add_workdays(date(2026, 4, 28), -1) == date(2026, 4, 24)
    assert add_workdays(date(2026, 5, 4), -5) == date(2026, 4, 24)


def test_workdays_between():
    assert workdays_between(date(2026, 4, 24), date(2026, 5, 4)) == 5
    assert workdays_between(date(2026, 5, 4), date(2026, 4, 24)) == -5
    assert workdays_between(date(2026, 4, 24), date(2026, 4, 27)) == 0
    assert workdays_between(date(2026, 4, 24), date(2026, 4, 24)) == 0


@pytest.mark.parametrize("n", range(0, 40, 3))
def test_workdays_between_inverts_add_workdays(n):
    for start in (date(2026, 4, 20) + timedelta(days=k) for k in range(14)):
        assert workdays_between(start, add_workdays(start, n)) == n


def test_next_workday():
    assert next_workday(date(2026, 4, 25)) == date(2026, 4, 28)
    assert next_workday(date(2026, 4, 28)) == date(2026, 4, 28)
