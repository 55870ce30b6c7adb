"""The date rules of legal titles: Wvggz end dates (HR 22-01-2021), ordinary terms, defaults
and maxima from the title types. Pure functions: no app, no database."""

from __future__ import annotations

from datetime import date

import pytest

from levensloop.titles import rules
from levensloop.titles.types import BY_CODE, TITLE_TYPES, TitleTypeSpec


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 15), 6, date(2026, 7, 15)),  # the HR example shape: same day number
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # no 31 February: last day of the month
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # leap year
        (date(2026, 1, 29), 1, date(2026, 2, 28)),
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2028, 2, 29), 12, date(2029, 2, 28)),  # from a leap day
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),  # over the year end
        (date(2026, 5, 1), 12, date(2027, 5, 1)),
    ],
)
def test_wvggz_end_is_the_day_with_the_same_number(start, months, expected):
    assert rules.wvggz_end(start, months=months) == expected


def test_wvggz_weeks_end_on_the_same_weekday():
    start = date(2026, 11, 2)  # a Monday
    end = rules.wvggz_end(start, weeks=3)
    assert end == date(2026, 11, 23) and end.weekday() == start.weekday()
    assert rules.wvggz_end(start, weeks=6) == date(2026, 12, 14)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2024, 3, 10), 24, date(2026, 3, 9)),  # the start day is the first day
        (date(2026, 3, 1), 1, date(2026, 3, 31)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # no 31 February: to the month's end
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 1, 28), 1, date(2026, 2, 27)),
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2027, 2, 28), 12, date(2028, 2, 27)),
        (date(2026, 1, 1), 12, date(2026, 12, 31)),
    ],
)
def test_ordinary_end_counts_the_start_day(start, months, expected):
    assert rules.ordinary_end(start, months=months) == expected


def test_ordinary_weeks():
    assert rules.ordinary_end(date(2026, 11, 2), weeks=1) == date(2026, 11, 8)
    assert rules.ordinary_end(date(2026, 11, 2)) == date(2026, 11, 2)


def test_negative_terms_are_refused():
    with pytest.raises(ValueError):
        rules.wvggz_end(date(2026, 1, 1), months=-1)
    with pytest.raises(ValueError):
        rules.ordinary_end(date(2026, 1, 1), weeks=-1)


def test_add_months_backwards_for_the_carrousel_window():
    assert rules.months_ago(date(2026, 11, 2), 12) == date(2025, 11, 2)
    assert rules.months_ago(date(2028, 2, 29), 12) == date(2027, 2, 28)
    assert rules.add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)


def test_zorgmachtiging_default_follows_the_wvggz_rule():
    zm = BY_CODE["wvggz_zorgmachtiging"]
    assert zm.wvggz_rule and zm.category == "zorg"
    assert rules.expected_end(zm, date(2026, 1, 15)) == date(2026, 7, 15)
    assert rules.expected_end(zm, date(2026, 8, 31)) == date(2027, 2, 28)
    assert rules.maximum_end(zm, date(2026, 1, 15)) is None


def test_voortzetting_crisismaatregel_three_weeks_up_to_six():
    vz = BY_CODE["wvggz_voortzetting_crisismaatregel"]
    assert rules.expected_end(vz, date(2026, 11, 2)) == date(2026, 11, 23)
    assert rules.maximum_end(vz, date(2026, 11, 2)) == date(2026, 12, 14)


@pytest.mark.parametrize(
    ("code", "start", "default_end", "maximum"),
    [
        # tbs met voorwaarden: 2 years, max 9 years
        ("tbs_voorwaarden", date(2024, 3, 10), date(2026, 3, 9), date(2033, 3, 9)),
        # gemaximeerde tbs: max 4 years including the voorwaardelijke beëindiging
        (
            "tbs_dwangverpleging_gemaximeerd",
            date(2024, 3, 10),
            date(2026, 3, 9),
            date(2028, 3, 9),
        ),
        ("tbs_dwangverpleging_ongemaximeerd", date(2024, 3, 10), date(2026, 3, 9), None),
        # PIJ: 3 years, max 7 years
        ("pij", date(2025, 6, 1), date(2028, 5, 31), date(2032, 5, 31)),
        # the planned strafrechtelijke zorgmaatregel: no default, max 2 years
        ("strafrechtelijke_zorgmaatregel", date(2026, 1, 1), None, date(2027, 12, 31)),
        # open-ended and court-set frames
        ("wlz_indicatie", date(2026, 1, 1), None, None),
        ("voorwaardelijke_veroordeling", date(2026, 1, 1), None, None),
        ("wmo_beschermd_wonen", date(2026, 1, 1), None, None),
    ],
)
def test_defaults_and_maxima_per_type(code, start, default_end, maximum):
    spec = BY_CODE[code]
    assert rules.expected_end(spec, start) == default_end
    assert rules.maximum_end(spec, start) == maximum


def test_every_type_of_domain_section_4_is_listed_with_its_category():
    codes = {spec.code for spec in TITLE_TYPES}
    assert codes >= {
        "tbs_voorwaarden",
        "tbs_dwangverpleging_gemaximeerd",
        "tbs_dwangverpleging_ongemaximeerd",
        "tbs_voorwaardelijke_beeindiging",
        "pij",
        "voorwaardelijke_veroordeling",
        "voorwaardelijke_invrijheidstelling",
        "gvm",
        "wfz_2_3_machtiging",
        "wvggz_crisismaatregel",
        "wvggz_voortzetting_crisismaatregel",
        "wvggz_zorgmachtiging",
        "wzd_ibs",
        "wzd_rechterlijke_machtiging",
        "wlz_indicatie",
        "zvw",
        "wmo_beschermd_wonen",
        "vrijwillig",
        "strafrechtelijke_zorgmaatregel",
    }
    justitie = {s.code for s in TITLE_TYPES if s.category == "justitie"}
    assert justitie == {
        "tbs_voorwaarden",
        "tbs_dwangverpleging_gemaximeerd",
        "tbs_dwangverpleging_ongemaximeerd",
        "tbs_voorwaardelijke_beeindiging",
        "pij",
        "voorwaardelijke_veroordeling",
        "voorwaardelijke_invrijheidstelling",
        "gvm",
        "wfz_2_3_machtiging",
        "strafrechtelijke_zorgmaatregel",
    }
    assert BY_CODE["wmo_beschermd_wonen"].category == "sociaal"
    assert {BY_CODE[c].category for c in ("wlz_indicatie", "zvw", "vrijwillig")} == {"zorg"}
    assert len(codes) == len(TITLE_TYPES)  # codes are unique
    assert all(len(s.code) <= 40 and len(s.name) <= 200 for s in TITLE_TYPES)
    assert all(s.note is None or len(s.note) <= 300 for s in TITLE_TYPES)


def test_verified_marks_follow_domain():
    assert BY_CODE["tbs_voorwaarden"].verified and BY_CODE["pij"].verified
    assert not BY_CODE["wvggz_zorgmachtiging"].verified  # 6/12/24 months: K
    assert not BY_CODE["gvm"].verified
    assert BY_CODE["wvggz_voortzetting_crisismaatregel"].verified


def test_term_end_without_a_term_is_none():
    spec = TitleTypeSpec("x", "x", "x", "zorg")
    assert rules.term_end(spec, date(2026, 1, 1)) is None
    assert rules.proposed_extension(spec, date(2026, 1, 1)) is None
    assert rules.proposed_extension(BY_CODE["tbs_voorwaarden"], date(2026, 3, 9)) == date(
        2027, 3, 9
    )
