"""The maintained list of legal bases for taking part in a person's case."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

LEGAL_BASES = {
    "wgs": _l("Wet gegevensverwerking door samenwerkingsverbanden (Zorg- en Veiligheidshuis)"),
    "wfz_2_5": _l("Wet forensische zorg, artikel 2.5"),
    "toestemming": _l("Toestemming van de betrokkene"),
    "andere_wet": _l("Andere wettelijke grondslag (noem het artikel)"),
}
NEEDS_ARTICLE = frozenset({"andere_wet"})


def label(code: str | None, article: str | None = None) -> str:
    if not code:
        return ""
    text = str(LEGAL_BASES.get(code, code))
    return f"{text}: {article}" if article else text
