"""The states of a referral (DOMAIN.md §2, step 1 and 2)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from levensloop.workflow import StateMachine

INGEDIEND, IN_TRIAGE = "ingediend", "in_triage"
NAAR_INCLUSIETAFEL, ANDERE_ROUTE, NIET_PASSEND = (
    "naar_inclusietafel",
    "andere_route",
    "niet_passend",
)
TRIAGE_OUTCOMES = (NAAR_INCLUSIETAFEL, ANDERE_ROUTE, NIET_PASSEND)

REFERRAL = StateMachine(
    name="aanmelding",
    labels={
        INGEDIEND: _l("Ingediend"),
        IN_TRIAGE: _l("In triage"),
        NAAR_INCLUSIETAFEL: _l("Naar de inclusietafel"),
        ANDERE_ROUTE: _l("Andere route"),
        NIET_PASSEND: _l("Niet passend"),
    },
    allowed={
        INGEDIEND: frozenset({IN_TRIAGE}),
        IN_TRIAGE: frozenset(TRIAGE_OUTCOMES),
        NAAR_INCLUSIETAFEL: frozenset(),
        ANDERE_ROUTE: frozenset(),
        NIET_PASSEND: frozenset(),
    },
    initial=INGEDIEND,
)

# The ZVH criteria a referrer ticks (DOMAIN.md §2, step 1).
REFERRAL_CRITERIA = {
    "meerdere_leefgebieden": _l("Zorgen op meerdere leefgebieden"),
    "veiligheid": _l("De veiligheid is in het geding"),
    "meerdere_ketens": _l("Meerdere ketens zijn nodig"),
    "veel_geprobeerd": _l("Er is al veel geprobeerd"),
}

# The inclusion table's decision per person (DOMAIN.md §2, step 3).
GEINCLUDEERD, NIET_GEINCLUDEERD, AANGEHOUDEN = "geincludeerd", "niet_geincludeerd", "aangehouden"
DECISIONS = {
    GEINCLUDEERD: _l("Geïncludeerd"),
    NIET_GEINCLUDEERD: _l("Niet geïncludeerd"),
    AANGEHOUDEN: _l("Aangehouden"),
}

# The five national criteria, each answered ja / nee / onbekend with evidence.
NATIONAL_CRITERIA = {
    "hoog_risico": _l(
        "Aantoonbaar hoog risico op gevaarlijk gedrag naar anderen of de samenleving"
    ),
    "multiproblematiek": _l(
        "Langdurige, terugkerende multiproblematiek die de bestaande zorg niet beheerst"
    ),
    "structuur_nodig": _l(
        "Behoefte aan structurerende behandeling, begeleiding en begrenzing, bij voorkeur ambulant"
    ),
    "titel": _l("Er is of was een zorgmachtiging of strafrechtelijke titel vanwege dat gedrag"),
    "herhaling": _l(
        "Zonder sluitend aanbod van intensieve ambulante zorg, begeleiding of huisvesting "
        "herhaalt het gedrag zich waarschijnlijk"
    ),
}
ANSWERS = {"ja": _l("ja"), "nee": _l("nee"), "onbekend": _l("onbekend")}

# A trajectory (inclusion period) and how it ends (DOMAIN.md §2, step 4).
PLAN_IN_OPSTELLING, IN_UITVOERING = "plan_in_opstelling", "in_uitvoering"
UITSTROOM_VOORBEREIDING, UITGESTROOMD = "uitstroom_voorbereiding", "uitgestroomd"
TRAJECTORY = StateMachine(
    name="traject",
    labels={
        PLAN_IN_OPSTELLING: _l("Plan in opstelling"),
        IN_UITVOERING: _l("In uitvoering"),
        UITSTROOM_VOORBEREIDING: _l("Uitstroom in voorbereiding"),
        UITGESTROOMD: _l("Uitgestroomd"),
    },
    allowed={
        PLAN_IN_OPSTELLING: frozenset({IN_UITVOERING, UITGESTROOMD}),
        IN_UITVOERING: frozenset({UITSTROOM_VOORBEREIDING, UITGESTROOMD}),
        UITSTROOM_VOORBEREIDING: frozenset({IN_UITVOERING, UITGESTROOMD}),
        UITGESTROOMD: frozenset(),
    },
    initial=PLAN_IN_OPSTELLING,
)
EXIT_REASONS = {
    "stabiel": _l("Stabiel / doel bereikt"),
    "andere_regio": _l("Overdracht naar andere ZVH-regio"),
    "opgenomen_geborgd": _l("Langdurig opgenomen en geborgd"),
    "overleden": _l("Overleden"),
    "buitenland": _l("Verhuisd buiten Nederland"),
    "exclusie": _l("Exclusie op besluit van de tafel"),
}
AVE_PHASES = {
    "groen": _l("groen"),
    "geel": _l("geel"),
    "rood": _l("rood"),
    "donkerrood": _l("donkerrood"),
}
