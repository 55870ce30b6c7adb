"""The plan's domains, their data category, ZRM-style scores and action states."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from levensloop.workflow import StateMachine

# domain -> (label, data category for the sharing policy)
DOMAINS = {
    "wonen": (_l("Wonen"), "sociaal"),
    "werk": (_l("Werk en dagbesteding"), "sociaal"),
    "inkomen": (_l("Inkomen"), "sociaal"),
    "zorg": (_l("Zorg"), "zorg"),
    "netwerk": (_l("Netwerk"), "sociaal"),
    "veiligheid": (_l("Veiligheid"), "veiligheid"),
    "juridisch": (_l("Juridisch kader"), "justitie"),
}
SCORES = {
    1: _l("1 – acuut"),
    2: _l("2 – niet zelfredzaam"),
    3: _l("3 – beperkt zelfredzaam"),
    4: _l("4 – voldoende zelfredzaam"),
    5: _l("5 – volledig zelfredzaam"),
}

CONCEPT, VASTGESTELD, VERVALLEN = "concept", "vastgesteld", "vervallen"
PLAN = StateMachine(
    name="levensloopplan",
    labels={CONCEPT: _l("Concept"), VASTGESTELD: _l("Vastgesteld"), VERVALLEN: _l("Vervallen")},
    allowed={
        CONCEPT: frozenset({VASTGESTELD}),
        VASTGESTELD: frozenset({VERVALLEN}),
        VERVALLEN: frozenset(),
    },
    initial=CONCEPT,
)
ACTION_STATES = {
    "open": _l("open"),
    "loopt": _l("loopt"),
    "gereed": _l("gereed"),
    "gestagneerd": _l("gestagneerd"),
}
