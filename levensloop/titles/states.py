"""The states of a legal title (DOMAIN.md §4), the choices of a title and of a placement.

    gepland -> actief | vervallen
    actief, verlengd -> verlengd | voorwaardelijk_beeindigd | beeindigd | vervallen
    voorwaardelijk_beeindigd -> beeindigd | actief
    beeindigd, vervallen: final

`voorwaardelijk_beeindigd -> actief` is the herleving (D, from research-domain.md §3.2): the
court can revoke a voorwaardelijke beëindiging of tbs-verpleging, and a PIJ in its conditional
last year can be resumed. The person returns under the same title, so the term and the maximum
keep running from the original start (gemaximeerde tbs: 4 years including the conditional
phase). A later step on the same title is a new transition; a new title is a new row.

An extension (`verlenging`) of an actief or verlengd title moves it to `verlengd`; an extension
of a voorwaardelijke beëindiging (which the court extends by 1 or 2 years) keeps that status:
the extension is recorded, the status stays conditional.

`vervallen` is for a title that lapses without running its course (a planned title that never
starts, a decision annulled on appeal); `beeindigd` for one that has ended.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from levensloop.workflow import StateMachine

GEPLAND, ACTIEF, VERLENGD = "gepland", "actief", "verlengd"
VOORWAARDELIJK_BEEINDIGD, BEEINDIGD, VERVALLEN = (
    "voorwaardelijk_beeindigd",
    "beeindigd",
    "vervallen",
)

_RUNNING_TARGETS = frozenset({VERLENGD, VOORWAARDELIJK_BEEINDIGD, BEEINDIGD, VERVALLEN})

TITLE = StateMachine(
    name="titel",
    labels={
        GEPLAND: _l("Gepland"),
        ACTIEF: _l("Actief"),
        VERLENGD: _l("Verlengd"),
        VOORWAARDELIJK_BEEINDIGD: _l("Voorwaardelijk beëindigd"),
        BEEINDIGD: _l("Beëindigd"),
        VERVALLEN: _l("Vervallen"),
    },
    allowed={
        GEPLAND: frozenset({ACTIEF, VERVALLEN}),
        ACTIEF: _RUNNING_TARGETS,
        VERLENGD: _RUNNING_TARGETS,
        VOORWAARDELIJK_BEEINDIGD: frozenset({BEEINDIGD, ACTIEF}),
        BEEINDIGD: frozenset(),
        VERVALLEN: frozenset(),
    },
    initial=GEPLAND,
)

# The title still binds the person: shown first, counted for "ends within n days".
RUNNING = (ACTIEF, VERLENGD, VOORWAARDELIJK_BEEINDIGD)
CURRENT = (GEPLAND, *RUNNING)
# Changes that close a title: the screen asks for confirmation first.
DESTRUCTIVE = (BEEINDIGD, VERVALLEN)
# The status changes the status form offers; `verlengd` goes through the extension form.
STATUS_FORM_TARGETS = (ACTIEF, VOORWAARDELIJK_BEEINDIGD, BEEINDIGD, VERVALLEN)
BADGES = {
    GEPLAND: "neutral",
    ACTIEF: "success",
    VERLENGD: "success",
    VOORWAARDELIJK_BEEINDIGD: "warning",
    BEEINDIGD: "neutral",
    VERVALLEN: "neutral",
}

FINANCIERS = {
    "dji": _l("DJI"),
    "zorgverzekeraar": _l("Zorgverzekeraar"),
    "zorgkantoor": _l("Zorgkantoor"),
    "gemeente": _l("Gemeente"),
    "anders": _l("Anders"),
}
SUPERVISORS = {
    "reclassering": _l("Reclassering"),
    "om": _l("Openbaar Ministerie"),
    "geen": _l("Geen toezicht"),
    "anders": _l("Anders"),
}

# Placements and refusals (DOMAIN.md §4).
SETTINGS = {
    "ambulant": _l("Ambulant"),
    "beschermd_wonen": _l("Beschermd wonen"),
    "klinisch": _l("Klinisch"),
}
SECURITY_LEVELS = {
    0: _l("0 – geen (ambulant)"),
    1: _l("1 – besloten"),
    2: _l("2 – FPA/FVA"),
    3: _l("3 – FPK/FVK"),
    4: _l("4 – FPC"),
}

# The carrousel signal (DOMAIN.md §4, D): this many placements and refusals within the window.
CARROUSEL_THRESHOLD = 3
CARROUSEL_MONTHS = 12
ENDING_SOON_DAYS = 90
