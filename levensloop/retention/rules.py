"""What can be kept how long: the record types, their triggers, the (unconfirmed) defaults, the
states of an entry on the destruction list, and the month arithmetic.

THE DEFAULT PERIODS BELOW ARE NOT CONFIRMED. The Wgs and the BGS do not yet give the periods
for the Zorg- en Veiligheidshuizen (DOMAIN.md §7); these are placeholders so the flow works.
Every screen shows them as "standaardwaarde — door de privacy officer vast te stellen"; the
privacy officer of each region sets the real period on the rules page.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from levensloop.workflow import StateMachine

PERSOON_NA_UITSTROOM = "persoon_na_uitstroom"
PERSOON_NIET_GEINCLUDEERD = "persoon_niet_geincludeerd"
AUDITLOG = "auditlog"

MIN_MONTHS, MAX_MONTHS = 1, 1200


@dataclass(frozen=True)
class RecordType:
    key: str
    label: object
    trigger_kind: str
    trigger_label: object
    default_months: int  # UNCONFIRMED default, see the module docstring
    destroyed_here: bool  # False: informational, this flow never destroys it
    note: object = ""


RECORD_TYPES: dict[str, RecordType] = {
    PERSOON_NA_UITSTROOM: RecordType(
        PERSOON_NA_UITSTROOM,
        _l("Persoon na uitstroom"),
        "uitstroomdatum",
        _l(
            "de uitstroomdatum van het laatste traject (of een latere afgesloten aanmelding, "
            "als die er is)"
        ),
        60,  # UNCONFIRMED: 5 years after the exit
        True,
    ),
    PERSOON_NIET_GEINCLUDEERD: RecordType(
        PERSOON_NIET_GEINCLUDEERD,
        _l("Persoon niet geïncludeerd"),
        "einde_aanmelding",
        _l(
            "de datum waarop de laatste aanmelding eindigde: andere route, niet passend of "
            "niet geïncludeerd door de tafel"
        ),
        12,  # UNCONFIRMED: 1 year after the referral ended
        True,
    ),
    AUDITLOG: RecordType(
        AUDITLOG,
        _l("Auditlogboek"),
        "datum_gebeurtenis",
        _l("de datum van de gebeurtenis"),
        60,  # UNCONFIRMED, and informational only
        False,
        _l(
            "Alleen ter informatie: deze lijst vernietigt het auditlogboek niet. Het logboek is "
            "onveranderbaar en met een hashketen beveiligd; na vernietiging van een persoon "
            "blijven daarin alleen kenmerken over, geen leesbare persoonsgegevens."
        ),
    ),
}
PERSON_TYPES = (PERSOON_NA_UITSTROOM, PERSOON_NIET_GEINCLUDEERD)

UNCONFIRMED_TEXT = _l(
    "standaardwaarde — door de privacy officer vast te stellen; de Wgs-termijnen zijn nog niet "
    "bevestigd"
)
PROVISIONAL_TEXT = _l("voorlopige termijn — de Wgs-termijnen zijn nog niet bevestigd")


# ---------------------------------------------------------------- the entry's states

VOORGESTELD = "voorgesteld"
VERNIETIGD = "vernietigd"
VERLENGD = "verlengd"
JURIDISCHE_BLOKKADE = "juridische_blokkade"
BLOKKADE_OPGEHEVEN = "blokkade_opgeheven"
INGETROKKEN = "ingetrokken"

# The audit object type of every step is the machine's name: "vernietiging".
ENTRY = StateMachine(
    name="vernietiging",
    labels={
        VOORGESTELD: _l("Voorgesteld"),
        VERNIETIGD: _l("Vernietigd"),
        VERLENGD: _l("Bewaartermijn verlengd"),
        JURIDISCHE_BLOKKADE: _l("Juridische blokkade"),
        BLOKKADE_OPGEHEVEN: _l("Blokkade opgeheven"),
        INGETROKKEN: _l("Ingetrokken"),
    },
    allowed={
        VOORGESTELD: frozenset({VERNIETIGD, VERLENGD, JURIDISCHE_BLOKKADE, INGETROKKEN}),
        JURIDISCHE_BLOKKADE: frozenset({BLOKKADE_OPGEHEVEN}),
        VERNIETIGD: frozenset(),
        VERLENGD: frozenset(),
        BLOKKADE_OPGEHEVEN: frozenset(),
        INGETROKKEN: frozenset(),
    },
    initial=VOORGESTELD,
)
LIST_STATUSES = (VOORGESTELD, JURIDISCHE_BLOKKADE, VERLENGD, INGETROKKEN, BLOKKADE_OPGEHEVEN)

# Why a person may not (now) be destroyed. The night job withdraws a proposal for these.
RUNNING_TRAJECTORY = "traject_loopt"
OPEN_REFERRAL = "aanmelding_open"
PENDING_REQUEST = "verzoek_open"
LEGAL_HOLD = "juridische_blokkade"
EXTENDED = "verlengd"
NOT_DUE = "termijn_niet_verstreken"
SHREDDED = "al_vernietigd"
BLOCKERS = {
    RUNNING_TRAJECTORY: _l("er loopt een traject"),
    OPEN_REFERRAL: _l("er is een aanmelding in behandeling"),
    PENDING_REQUEST: _l("er staat een verzoek van de betrokkene open"),
    LEGAL_HOLD: _l("er geldt een juridische blokkade"),
    EXTENDED: _l("de bewaartermijn is verlengd"),
    NOT_DUE: _l("de bewaartermijn is (nog) niet verstreken"),
    SHREDDED: _l("de gegevens zijn al vernietigd"),
}


def blocker_label(code: str | None) -> str:
    return str(BLOCKERS.get(code or "", code or ""))


# ---------------------------------------------------------------- months


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later (or earlier, for a negative number); a day
    that does not exist in the target month becomes that month's last day."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def cutoff(today: date, months: int) -> date:
    """The last trigger date whose period has passed on `today`: the largest d with
    add_months(d, months) <= today. Lets the database compare plain dates."""
    found = add_months(today, -months)
    if today.day == calendar.monthrange(today.year, today.month)[1]:
        found = found.replace(day=calendar.monthrange(found.year, found.month)[1])
    return found
