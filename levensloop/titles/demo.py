"""Demo titles, placements and refusals for the demo coördinator's persons. Fictional, marked
"(demo)"; call `seed_demo(region, today)` after `levensloop.demo.seed_case_work`."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import sqlalchemy as sa

from levensloop.auth.models import User
from levensloop.db import local_today
from levensloop.extensions import db
from levensloop.organisations.models import Organisation
from levensloop.titles import rules
from levensloop.titles.models import (
    LegalTitle,
    Placement,
    PlacementRefusal,
    TitleExtension,
    TitleType,
)
from levensloop.titles.services import ensure_title_types
from levensloop.titles.states import ACTIEF, BEEINDIGD, VERLENGD

COORDINATOR = "coordinator@zvh-demo.example"


def _persons(region) -> list[uuid.UUID]:
    from levensloop.persons.models import Person
    from levensloop.sharing.models import CaseAssignment

    coordinator = db.session.scalar(sa.select(User).where(User.username == COORDINATOR))
    if coordinator is None:
        return []
    return list(
        db.session.scalars(
            sa.select(CaseAssignment.person_id)
            .join(Person, Person.id == CaseAssignment.person_id)
            .where(CaseAssignment.user_id == coordinator.id, Person.region_id == region.id)
            .order_by(CaseAssignment.start_date, CaseAssignment.person_id)
        )
    )


def _organisation(region, name: str) -> uuid.UUID | None:
    return db.session.scalar(
        sa.select(Organisation.id).where(
            Organisation.region_id == region.id, Organisation.name == name
        )
    )


def _title(region, person_id, type_code, start, *, status=ACTIEF, expected_end=None, **values):
    title_type = db.session.get(TitleType, type_code)
    title = LegalTitle(
        id=uuid.uuid4(),
        person_id=person_id,
        region_id=region.id,
        type_code=type_code,
        status=status,
        start_date=start,
        expected_end=expected_end or rules.expected_end(title_type, start),
        maximum_end=rules.maximum_end(title_type, start),
        executor_organisation_id=values.pop("executor", None),
        financier=values.pop("financier", None),
        supervisor=values.pop("supervisor", None),
    )
    db.session.add(title)
    title.conditions = values.pop("conditions", None)
    title.legal_basis_note = values.pop("note", None)
    title.ended_on = values.pop("ended_on", None)
    return title


def _placement(region, person_id, provider, setting, level, start, end=None, reason=None):
    placement = Placement(
        id=uuid.uuid4(),
        person_id=person_id,
        region_id=region.id,
        setting=setting,
        security_level=level,
        start_date=start,
        end_date=end,
    )
    db.session.add(placement)
    placement.provider_name = provider
    placement.end_reason = reason


def _refusal(region, person_id, provider, setting, level, on, reason):
    refusal = PlacementRefusal(
        id=uuid.uuid4(),
        person_id=person_id,
        region_id=region.id,
        setting=setting,
        security_level=level,
        refused_on=on,
    )
    db.session.add(refusal)
    refusal.provider_name = provider
    refusal.reason = reason


def seed_demo(region, today: date | None = None) -> int:
    """Titles and treatment history for four of the demo coördinator's persons: a Wvggz
    zorgmachtiging ending within 60 days, a tbs met voorwaarden (extended once), a Wmo
    beschikking beschermd wonen, and one person in a carrousel (four placements and refusals
    in twelve months). Does nothing when the region already has titles. Commits; returns the
    number of persons given titles."""
    today = today or local_today()
    ensure_title_types()
    if db.session.scalar(sa.select(LegalTitle.id).where(LegalTitle.region_id == region.id)):
        return 0
    persons = _persons(region)
    if len(persons) < 4:
        return 0
    ggz = _organisation(region, "GGZ Voorbeeld (FACT)")
    forensisch = _organisation(region, "Forensische Zorg Fictief")
    zorgmachtiging, tbs, wmo, carrousel = persons[:4]

    # 1. A zorgmachtiging of 6 months that ends in about five weeks (Wvggz end-date rule).
    start = rules.add_months(today, -6) + timedelta(days=35)
    _title(
        region,
        zorgmachtiging,
        "wvggz_zorgmachtiging",
        start,
        executor=ggz,
        financier="zorgverzekeraar",
        supervisor="geen",
        conditions="Verplichte medicatie en wekelijks contact met het FACT-team (demo).",
        note="Beschikking rechtbank Demostad, kenmerk DEMO/ZM/0001 (demo).",
    )
    _placement(
        region,
        zorgmachtiging,
        "GGZ Voorbeeld, kliniek De Proef (demo)",
        "klinisch",
        1,
        start,
        start + timedelta(days=60),
        "Ontslagen naar ambulante zorg bij het FACT-team (demo).",
    )
    _placement(
        region,
        zorgmachtiging,
        "GGZ Voorbeeld, FACT-team (demo)",
        "ambulant",
        0,
        start + timedelta(days=60),
    )

    # 2. Tbs met voorwaarden since a little over two years, extended by one year.
    start = rules.add_months(today, -26)
    first_end = rules.ordinary_end(start, months=24)
    title = _title(
        region,
        tbs,
        "tbs_voorwaarden",
        start,
        status=VERLENGD,
        expected_end=rules.add_months(first_end, 12),
        executor=forensisch,
        financier="dji",
        supervisor="reclassering",
        conditions="Contactverbod met het slachtoffer; locatieverbod centrum Demostad; "
        "behandeling bij de forensische polikliniek (demo).",
        note="Vonnis rechtbank Demostad, parketnummer DEMO-00-000000-00 (demo).",
    )
    extension = TitleExtension(
        id=uuid.uuid4(),
        title_id=title.id,
        person_id=tbs,
        previous_end=first_end,
        new_end=title.expected_end,
        decided_on=first_end - timedelta(days=30),
    )
    db.session.add(extension)
    extension.note = "Verlengd met een jaar op vordering van het OM (demo)."
    _placement(
        region,
        tbs,
        "Forensische Zorg Fictief, FPK De Oefening (demo)",
        "klinisch",
        3,
        start,
        start + timedelta(days=400),
        "Doorgestroomd naar beschermd wonen (demo).",
    )
    _placement(
        region,
        tbs,
        "Beschermd wonen Het Voorbeeld (demo)",
        "beschermd_wonen",
        1,
        start + timedelta(days=400),
    )

    # 3. A Wmo beschikking beschermd wonen, and an earlier zorgmachtiging that has ended.
    start = today - timedelta(days=300)
    _title(
        region,
        wmo,
        "wmo_beschermd_wonen",
        start,
        expected_end=start + timedelta(days=730),
        financier="gemeente",
        supervisor="geen",
        note="Beschikking gemeente Voorbeeldstad, kenmerk DEMO-WMO-0003 (demo).",
    )
    earlier = start - timedelta(days=400)
    _title(
        region,
        wmo,
        "wvggz_zorgmachtiging",
        earlier,
        status=BEEINDIGD,
        executor=ggz,
        financier="zorgverzekeraar",
        ended_on=rules.wvggz_end(earlier, months=6),
    )
    _placement(region, wmo, "Beschermd wonen Het Voorbeeld (demo)", "beschermd_wonen", 0, start)

    # 4. The carrousel: two placements and two refusals within twelve months.
    _title(
        region, carrousel, "vrijwillig", today - timedelta(days=330), financier="zorgverzekeraar"
    )
    _placement(
        region,
        carrousel,
        "Verslavingskliniek Denkbeeld (demo)",
        "klinisch",
        2,
        today - timedelta(days=300),
        today - timedelta(days=240),
        "Vertrokken na een conflict met een medebewoner (demo).",
    )
    _refusal(
        region,
        carrousel,
        "FPK De Oefening (demo)",
        "klinisch",
        3,
        today - timedelta(days=200),
        "Geen plaats op niveau 3; wachtlijst van vier maanden (demo).",
    )
    _placement(
        region,
        carrousel,
        "Beschermd wonen Het Voorbeeld (demo)",
        "beschermd_wonen",
        0,
        today - timedelta(days=150),
        today - timedelta(days=90),
        "Uit huis gezet na agressie tegen begeleiders (demo).",
    )
    _refusal(
        region,
        carrousel,
        "Beschermd wonen De Proeftuin (demo)",
        "beschermd_wonen",
        0,
        today - timedelta(days=40),
        "Zorgzwaarte te hoog voor de groep (demo).",
    )
    db.session.commit()
    return 4
