"""The legal title types (DOMAIN.md §4) as data: the single source for the `title_types` table.

The migration `c41e7a2b9d10` seeds the table from this list with `op.bulk_insert`, and
`services.ensure_title_types()` adds types that are missing (a new type added here later, or
an emptied test database). Change a type here together with a data migration for existing
databases. This module has no Flask or database imports so the migration can read it.

Data categories (D), decided from ARCHITECTURE.md "Data categories" and DOMAIN.md §7:

- `justitie`: every criminal title (tbs in all its forms, PIJ, voorwaardelijke veroordeling,
  voorwaardelijke invrijheidstelling, GVM, the planned strafrechtelijke zorgmaatregel) and the
  art. 2.3 Wfz machtiging. That last one is a civil machtiging, but it is given by the
  strafrechter in a criminal case and makes the person a forensic patient: the title itself
  reveals criminal data, so it is `justitie`.
- `zorg`: the civil care titles and financing frames (Wvggz, Wzd, Wlz, Zvw) and vrijwillige
  zorg: they reveal health data.
- `sociaal`: the Wmo beschikking beschermd wonen, a municipal housing and support decision.

Durations, per DOMAIN.md §4 and research-domain.md §3.2:

- `default_months` / `default_weeks`: the usual first term; None when the court, the
  burgemeester or a beschikking sets it, or when the frame is open-ended. The user can always
  change the expected end.
- `extension_months`: the usual extension step, proposed in the extension form (tbs: 1 or 2
  years, the form proposes 1).
- `max_months` / `max_weeks`: the legal maximum from the start, None when there is none.
  Gemaximeerde tbs: 4 years including the voorwaardelijke beëindiging, which is why that stays
  a status of the same title (see states.py).
- `wvggz_rule`: the term ends at the end of the day with the same number as the start day
  (HR 22-01-2021, ECLI:NL:HR:2021:107). Without it the start day counts as the first day.
- `verified`: True where DOMAIN.md marks the defaults (V); False (K, "te bevestigen") where
  they still need confirming. The art. 2.3 Wfz machtiging is marked V in DOMAIN.md for being
  "as the civil titles", but the durations it borrows are those of the zorgmachtiging, which
  are K: so its defaults show as te bevestigen too.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

JUSTITIE, ZORG, SOCIAAL = "justitie", "zorg", "sociaal"


@dataclass(frozen=True)
class TitleTypeSpec:
    code: str
    name: str
    legal_basis: str
    category: str
    default_months: int | None = None
    default_weeks: int | None = None
    extension_months: int | None = None
    max_months: int | None = None
    max_weeks: int | None = None
    wvggz_rule: bool = False
    verified: bool = False
    sort_order: int = 0
    note: str | None = None

    def as_row(self) -> dict:
        return asdict(self)


TITLE_TYPES: tuple[TitleTypeSpec, ...] = (
    TitleTypeSpec(
        "tbs_voorwaarden",
        "Tbs met voorwaarden",
        "art. 38, 38a en 38d-38e Sr",
        JUSTITIE,
        default_months=24,
        extension_months=12,
        max_months=108,
        verified=True,
        sort_order=10,
        note="Eerste termijn 2 jaar; verlenging met 1 of 2 jaar; ten hoogste 9 jaar.",
    ),
    TitleTypeSpec(
        "tbs_dwangverpleging_gemaximeerd",
        "Tbs met dwangverpleging (gemaximeerd)",
        "art. 37a, 37b en 38d-38e Sr",
        JUSTITIE,
        default_months=24,
        extension_months=12,
        max_months=48,
        verified=True,
        sort_order=20,
        note="Ten hoogste 4 jaar, de voorwaardelijke beëindiging inbegrepen.",
    ),
    TitleTypeSpec(
        "tbs_dwangverpleging_ongemaximeerd",
        "Tbs met dwangverpleging (ongemaximeerd)",
        "art. 37a, 37b en 38e lid 1 Sr",
        JUSTITIE,
        default_months=24,
        extension_months=12,
        verified=True,
        sort_order=30,
        note="Delict gericht tegen of gevaarzettend voor de onaantastbaarheid van het "
        "lichaam: geen maximum.",
    ),
    TitleTypeSpec(
        "tbs_voorwaardelijke_beeindiging",
        "Voorwaardelijke beëindiging tbs-verpleging",
        "art. 38g Sr",
        JUSTITIE,
        extension_months=12,
        verified=True,
        sort_order=40,
        note="Geen maximum; verlenging per 1 of 2 jaar. Bij gemaximeerde tbs telt de "
        "voorwaardelijke beëindiging mee in de 4 jaar.",
    ),
    TitleTypeSpec(
        "pij",
        "PIJ-maatregel",
        "art. 77s-77t Sr",
        JUSTITIE,
        default_months=36,
        extension_months=12,
        max_months=84,
        verified=True,
        sort_order=50,
        note="3 jaar; verlenging tot ten hoogste 7 jaar; het laatste jaar voorwaardelijk.",
    ),
    TitleTypeSpec(
        "voorwaardelijke_veroordeling",
        "Voorwaardelijke veroordeling met bijzondere voorwaarden",
        "art. 14a-14c Sr",
        JUSTITIE,
        verified=True,
        sort_order=60,
        note="De rechter bepaalt de proeftijd (meestal 2 jaar).",
    ),
    TitleTypeSpec(
        "voorwaardelijke_invrijheidstelling",
        "Voorwaardelijke invrijheidstelling",
        "art. 15-15c Sr",
        JUSTITIE,
        default_months=12,
        verified=True,
        sort_order=70,
        note="De proeftijd is gelijk aan de periode van de v.i., maar ten minste 1 jaar.",
    ),
    TitleTypeSpec(
        "gvm",
        "Gedragsbeïnvloedende en vrijheidsbeperkende maatregel (GVM)",
        "art. 38z Sr",
        JUSTITIE,
        extension_months=60,
        verified=False,
        sort_order=80,
        note="Ten hoogste 5 jaar per keer, verlengbaar.",
    ),
    TitleTypeSpec(
        "wfz_2_3_machtiging",
        "Machtiging art. 2.3 Wfz (zorgmachtiging of rechterlijke machtiging door de strafrechter)",
        "art. 2.3 Wet forensische zorg",
        JUSTITIE,
        default_months=6,
        extension_months=12,
        wvggz_rule=True,
        verified=False,
        sort_order=90,
        note="Duur als bij de Wvggz-zorgmachtiging of de Wzd-machtiging; verlof en ontslag "
        "met toestemming van de minister van JenV.",
    ),
    TitleTypeSpec(
        "wvggz_crisismaatregel",
        "Wvggz crisismaatregel",
        "art. 7:1 Wvggz",
        ZORG,
        wvggz_rule=True,
        verified=False,
        sort_order=100,
        note="Door de burgemeester; ten hoogste 3 dagen.",
    ),
    TitleTypeSpec(
        "wvggz_voortzetting_crisismaatregel",
        "Wvggz machtiging tot voortzetting van de crisismaatregel",
        "art. 7:6-7:10 Wvggz",
        ZORG,
        default_weeks=3,
        max_weeks=6,
        wvggz_rule=True,
        verified=True,
        sort_order=110,
        note="3 weken; tot 6 weken als een zorgmachtiging is aangevraagd.",
    ),
    TitleTypeSpec(
        "wvggz_zorgmachtiging",
        "Wvggz zorgmachtiging",
        "art. 6:1 en 6:5 Wvggz",
        ZORG,
        default_months=6,
        extension_months=12,
        wvggz_rule=True,
        verified=False,
        sort_order=120,
        note="Eerst ten hoogste 6 maanden, daarna 12 maanden, na 5 jaar 24 maanden.",
    ),
    TitleTypeSpec(
        "wzd_ibs",
        "Wzd inbewaringstelling (IBS)",
        "art. 29 Wzd",
        ZORG,
        verified=False,
        sort_order=130,
        note="Door de burgemeester; kortdurend.",
    ),
    TitleTypeSpec(
        "wzd_rechterlijke_machtiging",
        "Wzd rechterlijke machtiging",
        "art. 24 en 28a Wzd",
        ZORG,
        default_months=6,
        extension_months=12,
        verified=False,
        sort_order=140,
        note="Eerst ten hoogste 6 maanden, daarna ten hoogste 12 maanden.",
    ),
    TitleTypeSpec(
        "wlz_indicatie",
        "Wlz-indicatie (CIZ)",
        "art. 3.2.1-3.2.3 Wlz",
        ZORG,
        verified=False,
        sort_order=150,
        note="Indicatiebesluit van het CIZ; in de regel zonder einddatum.",
    ),
    TitleTypeSpec(
        "zvw",
        "Zorgverzekeringswet (ggz zonder titel)",
        "Zorgverzekeringswet",
        ZORG,
        verified=True,
        sort_order=160,
        note="Verzekerde zorg; geen einddatum van een titel.",
    ),
    TitleTypeSpec(
        "wmo_beschermd_wonen",
        "Wmo-beschikking beschermd wonen",
        "art. 2.3.5 Wmo 2015",
        SOCIAAL,
        verified=True,
        sort_order=170,
        note="De einddatum staat in de beschikking van de gemeente.",
    ),
    TitleTypeSpec(
        "vrijwillig",
        "Vrijwillig kader (geen titel)",
        "geen",
        ZORG,
        verified=True,
        sort_order=180,
        note="Zorg en begeleiding zonder wettelijke titel.",
    ),
    TitleTypeSpec(
        "strafrechtelijke_zorgmaatregel",
        "Strafrechtelijke zorgmaatregel (wetsvoorstel)",
        "wetsvoorstel, nog niet in werking",
        JUSTITIE,
        max_months=24,
        verified=False,
        sort_order=190,
        note="Voorgenomen maatregel: opname en behandeling, ten hoogste 2 jaar.",
    ),
)

BY_CODE = {spec.code: spec for spec in TITLE_TYPES}
