"""The escalation route as data (DOMAIN.md §6): the states and their allowed steps, the
reasons, the levels and the kinds of national escalation point."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from levensloop.workflow import StateMachine

OPEN, IN_BEHANDELING = "open", "in_behandeling"
OPGELOST, OPGESCHAALD, INGETROKKEN = "opgelost", "opgeschaald", "ingetrokken"
ACTIVE = (OPEN, IN_BEHANDELING)
CLOSED = (OPGELOST, OPGESCHAALD, INGETROKKEN)

ESCALATION = StateMachine(
    name="escalatie",
    labels={
        OPEN: _l("Open"),
        IN_BEHANDELING: _l("In behandeling"),
        OPGELOST: _l("Opgelost"),
        OPGESCHAALD: _l("Opgeschaald"),
        INGETROKKEN: _l("Ingetrokken"),
    },
    allowed={
        OPEN: frozenset({IN_BEHANDELING}),
        IN_BEHANDELING: frozenset({OPGELOST, OPGESCHAALD, INGETROKKEN}),
        OPGELOST: frozenset(),
        OPGESCHAALD: frozenset(),
        INGETROKKEN: frozenset(),
    },
    initial=OPEN,
)

# Status badge variant per state (the text carries the meaning, colour only supports it).
BADGES = {
    OPEN: "warning",
    IN_BEHANDELING: "neutral",
    OPGELOST: "success",
    OPGESCHAALD: "neutral",
    INGETROKKEN: "neutral",
}

LEVELS = (0, 1, 2, 3)
TOP_LEVEL = 3

REASONS = {
    "geen_passend_bed": _l("Geen passend bed of passende plek"),
    "dreigende_dakloosheid": _l("Dreigende dakloosheid"),
    "financiering": _l("Financiering"),
    "stagnerende_samenwerking": _l("Stagnerende samenwerking"),
    "wlz_indicatie": _l("Wlz-indicatie"),
    "informatiedeling": _l("Informatiedeling"),
    "overig": _l("Overig"),
}

# Level 3 is national; its kind says which national point takes it up.
LEVEL3_TYPES = {
    "lcbb": _l("LCBB: beveiligd bed op niveau 2 tot en met 4"),
    "coordinatiepunt": _l("Coördinatiepunt Levensloopaanpak"),
    "landelijk_escalatiepunt": _l("Landelijk escalatiepunt"),
    "dreigende_dakloosheid": _l("Route dreigende dakloosheid"),
}


def reason_label(reason: str) -> str:
    return str(REASONS.get(reason, reason))


def level3_type_label(kind: str | None) -> str:
    return str(LEVEL3_TYPES.get(kind, kind)) if kind else ""
