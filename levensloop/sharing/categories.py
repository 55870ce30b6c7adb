"""The data categories of the sharing matrix and the default grants per organisation type.

The defaults are a design decision (D) made from DOMAIN.md §1 and §7: every participating
organisation sees identity and process data; health (`zorg`) and criminal (`justitie`) data go
only to organisations whose task needs them. Each region's functioneel beheerder can change
the grants; every change is recorded with who, when and why.
"""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l

from levensloop.organisations.models import OrganisationType as T


class Category(enum.StrEnum):
    IDENTITEIT = "identiteit"
    CONTACT = "contact"
    ZORG = "zorg"
    JUSTITIE = "justitie"
    SOCIAAL = "sociaal"
    VEILIGHEID = "veiligheid"
    PROCES = "proces"

    @property
    def label(self) -> str:
        return str(CATEGORY_LABELS[self])

    @property
    def description(self) -> str:
        return str(CATEGORY_DESCRIPTIONS[self])

    @property
    def special(self) -> bool:
        """Health and criminal data: hidden by default, shown on purpose, every view logged."""
        return self in SPECIAL


SPECIAL = frozenset({Category.ZORG, Category.JUSTITIE})
ALL = frozenset(Category)

CATEGORY_LABELS = {
    Category.IDENTITEIT: _l("Identiteit"),
    Category.CONTACT: _l("Contact"),
    Category.ZORG: _l("Zorg"),
    Category.JUSTITIE: _l("Justitie"),
    Category.SOCIAAL: _l("Sociaal"),
    Category.VEILIGHEID: _l("Veiligheid"),
    Category.PROCES: _l("Proces"),
}
CATEGORY_DESCRIPTIONS = {
    Category.IDENTITEIT: _l("naam, BSN, geboortedatum"),
    Category.CONTACT: _l("adres, telefoon, contacten in het netwerk"),
    Category.ZORG: _l("diagnoses, behandelgeschiedenis, plaatsingen, Wlz-indicatie"),
    Category.JUSTITIE: _l("strafrechtelijke titels, delicten, toezicht"),
    Category.SOCIAAL: _l("wonen, werk en dagbesteding, inkomen, netwerk in het plan"),
    Category.VEILIGHEID: _l("risicotaxaties, incidenten, signalen"),
    Category.PROCES: _l("status, coördinator, termijnen, overdrachten en escalaties"),
}

C = Category
_BASE = {C.IDENTITEIT, C.PROCES}
DEFAULT_GRANTS: dict[T, frozenset[Category]] = {
    T.ZVH: ALL,
    T.GEMEENTE: frozenset(_BASE | {C.CONTACT, C.SOCIAAL, C.VEILIGHEID}),
    T.POLITIE: frozenset(_BASE | {C.CONTACT, C.JUSTITIE, C.VEILIGHEID}),
    T.OM: frozenset(_BASE | {C.JUSTITIE, C.VEILIGHEID}),
    T.RECLASSERING: frozenset(_BASE | {C.CONTACT, C.JUSTITIE, C.SOCIAAL, C.VEILIGHEID}),
    T.GGZ: frozenset(_BASE | {C.CONTACT, C.ZORG, C.SOCIAAL, C.VEILIGHEID}),
    T.VG_AANBIEDER: frozenset(_BASE | {C.CONTACT, C.ZORG, C.SOCIAAL, C.VEILIGHEID}),
    T.FORENSISCHE_ZORG: frozenset(_BASE | {C.CONTACT, C.ZORG, C.JUSTITIE, C.SOCIAAL, C.VEILIGHEID}),
    T.VERSLAVINGSZORG: frozenset(_BASE | {C.CONTACT, C.ZORG, C.SOCIAAL, C.VEILIGHEID}),
    T.MO_BW: frozenset(_BASE | {C.CONTACT, C.SOCIAAL, C.VEILIGHEID}),
    T.DJI: frozenset(_BASE | {C.ZORG, C.JUSTITIE, C.VEILIGHEID}),
    T.NIFP: frozenset(_BASE | {C.ZORG, C.JUSTITIE}),
    T.ZORGVERZEKERAAR: frozenset(_BASE | {C.ZORG}),
    T.ZORGKANTOOR: frozenset(_BASE | {C.ZORG}),
    T.CIZ: frozenset(_BASE | {C.ZORG}),
    T.VEILIG_THUIS: frozenset(_BASE | {C.CONTACT, C.VEILIGHEID}),
    T.WONINGCORPORATIE: frozenset(_BASE | {C.CONTACT, C.SOCIAAL}),
    T.RVDK_GI: frozenset(_BASE | {C.CONTACT, C.SOCIAAL, C.VEILIGHEID}),
    T.LANDELIJK: frozenset(_BASE),
}
