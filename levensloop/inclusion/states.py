"""The states of a referral (DOMAIN.md §2, step 1 and 2)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from levensloop.workflow import StateMachine

INGEDIEND, IN_TRIAGE = "ingediend", "in_triage"
NAAR_INCLUSIETAFEL, ANDERE_ROUTE, NIET_PASSEND = "naar_inclusietafel", "andere_route", "niet_passend"
TRIAGE_OUTCOMES = (NAAR_INCLUSIETAFEL, ANDERE_ROUTE, NIET_PASSEND)

REFERRAL = StateMachine(
    name="aanmelding",
    labels={INGEDIEND: _l("Ingediend"), IN_TRIAGE: _l("In triage"),
            NAAR_INCLUSIETAFEL: _l("Naar de inclusietafel"), ANDERE_ROUTE: _l("Andere route"),
            NIET_PASSEND: _l("Niet passend")},
    allowed={INGEDIEND: frozenset({IN_TRIAGE}),
             IN_TRIAGE: frozenset(TRIAGE_OUTCOMES),
             NAAR_INCLUSIETAFEL: frozenset(), ANDERE_ROUTE: frozenset(), NIET_PASSEND: frozenset()},
    initial=INGEDIEND,
)

# The ZVH criteria a referrer ticks (DOMAIN.md §2, step 1).
REFERRAL_CRITERIA = {
    "meerdere_leefgebieden": _l("Zorgen op meerdere leefgebieden"),
    "veiligheid": _l("De veiligheid is in het geding"),
    "meerdere_ketens": _l("Meerdere ketens zijn nodig"),
    "veel_geprobeerd": _l("Er is al veel geprobeerd"),
}
