"""The warm handover as data (DOMAIN.md §5): its kinds, states, allowed steps and checklist.

    gepland -> aangeboden | ingetrokken
    aangeboden -> geaccepteerd | afgewezen | ingetrokken
    geaccepteerd -> afgerond
    afgerond, afgewezen, ingetrokken: final

Responsibility moves only on `geaccepteerd`; from there until `afgerond` both parties are
responsible (the overlap, "dakpansgewijs"). An accepted handover can no longer be withdrawn:
the receiver has taken over, and going back is a new handover the other way.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from levensloop.workflow import StateMachine

GEPLAND, AANGEBODEN, GEACCEPTEERD, AFGEROND = "gepland", "aangeboden", "geaccepteerd", "afgerond"
AFGEWEZEN, INGETROKKEN = "afgewezen", "ingetrokken"

HANDOVER = StateMachine(
    name="overdracht",
    labels={
        GEPLAND: _l("Gepland"),
        AANGEBODEN: _l("Aangeboden"),
        GEACCEPTEERD: _l("Geaccepteerd"),
        AFGEROND: _l("Afgerond"),
        AFGEWEZEN: _l("Afgewezen"),
        INGETROKKEN: _l("Ingetrokken"),
    },
    allowed={
        GEPLAND: frozenset({AANGEBODEN, INGETROKKEN}),
        AANGEBODEN: frozenset({GEACCEPTEERD, AFGEWEZEN, INGETROKKEN}),
        GEACCEPTEERD: frozenset({AFGEROND}),
        AFGEROND: frozenset(),
        AFGEWEZEN: frozenset(),
        INGETROKKEN: frozenset(),
    },
    initial=GEPLAND,
)

# Still running: blocks a second handover of the same responsibility (see services.py).
OPEN = (GEPLAND, AANGEBODEN, GEACCEPTEERD)
# Before the receiver has said yes.
PENDING = (GEPLAND, AANGEBODEN)
FINAL = (AFGEROND, AFGEWEZEN, INGETROKKEN)

BADGES = {
    GEPLAND: "neutral",
    AANGEBODEN: "warning",
    GEACCEPTEERD: "success",
    AFGEROND: "success",
    AFGEWEZEN: "danger",
    INGETROKKEN: "neutral",
}

# What is handed over.
TITEL, ORGANISATIE, COORDINATOR, REGIO = "titel", "organisatie", "coordinator", "regio"
KINDS = {
    TITEL: _l("Titelovergang"),
    ORGANISATIE: _l("Andere organisatie"),
    COORDINATOR: _l("Andere coördinator"),
    REGIO: _l("Andere ZVH-regio"),
}
KIND_HINTS = {
    TITEL: _l(
        "Een titel loopt af en een andere organisatie (of dezelfde, onder een nieuwe titel) "
        "neemt het over. De overdracht moet klaar zijn voordat de titel afloopt."
    ),
    ORGANISATIE: _l("Een andere organisatie wordt de Levensloopaanbieder."),
    COORDINATOR: _l("Een andere levensloopcoördinator neemt de persoon in de caseload."),
    REGIO: _l(
        "De persoon verhuist naar een andere ZVH-regio. Het traject gaat over zodra de "
        "procesregisseur van die regio accepteert."
    ),
}
# Which responsibility a kind moves: two handovers of the same group cannot run at once.
GROUPS = {TITEL: "organisatie", ORGANISATIE: "organisatie", COORDINATOR: "coordinator"}

# The checklist of DOMAIN.md §5: all items ticked before `afgerond`.
CHECKLIST = {
    "behandelhistorie": _l("Behandelhistorie overgedragen"),
    "risicotaxatie_signaleringsplan": _l("Risicotaxatie en signaleringsplan overgedragen"),
    "levensloopplan": _l("Levensloopplan overgedragen"),
    "netwerk_contacten": _l("Netwerk en contacten overgedragen"),
    "zorg_medicatie": _l("Zorg en medicatie overgedragen"),
    "financiering_indicatie": _l("Financiering en indicatie geregeld"),
    "warme_kennismaking": _l("Warme kennismaking gehouden"),
}


def kind_label(kind: str) -> str:
    return str(KINDS.get(kind, kind))
