"""Monthly counts: every measure against a hand-computed month, backfilling from the history,
crypto-shredding that changes nothing, snapshots and revisions, the region and national pages,
CSV and XLSX exports (formula injection), the CLI and the daily job."""

from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from levensloop.audit.models import AuditEvent
from levensloop.auth.models import Role
from levensloop.db import local_today
from levensloop.escalations.models import Escalation
from levensloop.extensions import db
from levensloop.handovers.models import Handover
from levensloop.inclusion.models import (
    InclusionDecision,
    InclusionMeeting,
    Referral,
    Trajectory,
    Triage,
)
from levensloop.persons.services import PersonInput, create_person, shred_person
from levensloop.reports import measures as m
from levensloop.reports import services
from levensloop.reports.measures import Month
from levensloop.reports.models import ReportCell, ReportSnapshot
from levensloop.titles.models import LegalTitle, Placement
from levensloop.titles.services import ensure_title_types
from tests.conftest import Browser

AMS = ZoneInfo("Europe/Amsterdam")
OCTOBER = Month(2026, 10)
SEPTEMBER = Month(2026, 9)
NAMES = ("Rapportmans", "Telsma", "Cijferink", "Optelder", "Drempelaar", "Novemberg", "Laatkomer")


def local(*args) -> datetime:
    return datetime(*args, tzinfo=AMS).astimezone(UTC)


@pytest.fixture
def history(world, app, clock):
    """A hand-made history around October 2026 in region West (and one case in Oost).

    Included at the end of October: P1, P2, P5, P7 (4). Inflow in October: T2, T3, T7 (3).
    Outflow in October: stabiel 1 (T3, on the 31st), exclusie 1 (T4). Referrals created in
    October (Amsterdam time): R1 (1 Oct 00:30), R2 (31 Oct 23:30) = 2; R3 is 1 Nov 00:30.
    Triage in October: naar_inclusietafel 1, niet_passend 1. Decisions in October:
    geincludeerd 2, aangehouden 1. Days from referral to inclusion: T2 4, T3 35: median 19.5,
    rounded 20, over 2. Open escalations at the end of October: E1 (level 0) and E3 (level 2),
    both geen_passend_bed. Handovers completed in October: 1. Titles running at the end of
    October, of the included: P1 tbs_voorwaarden + wlz_indicatie, P5 wlz_indicatie (ended
    10 Nov); P2's zorgmachtiging ended on the 31st, P5's PIJ is only planned: no title for
    P2 and P7. Placements: P1 highest level 3, P5 level 0, P2 (ended the 31st) and P7
    (starts 1 Nov) none.
    """
    ensure_title_types()
    west, oost = world.west, world.oost
    persons = [create_person(None, west, PersonInput(achternaam=name)) for name in NAMES]
    p1, p2, p3, p4, p5, p6, p7 = persons
    p8 = create_person(None, oost, PersonInput(achternaam="Oostelijk"))
    referrer = world.west_zvh.id
    chair = world.user(Role.PROCESREGISSEUR)

    def referral(person, created_at):
        r = Referral(
            id=uuid.uuid4(),
            region_id=west.id,
            person_id=person.id,
            referrer_organisation_id=referrer,
            status="naar_inclusietafel",
            created_at=created_at,
        )
        db.session.add(r)
        return r

    r1 = referral(p2, local(2026, 10, 1, 0, 30))
    r2 = referral(p6, local(2026, 10, 31, 23, 30))
    referral(p6, local(2026, 11, 1, 0, 30))
    r4 = referral(p3, local(2026, 9, 15, 12, 0))
    r5 = referral(p4, local(2026, 8, 1, 12, 0))
    for ref, held_on, outcome in (
        (r1, date(2026, 10, 3), "naar_inclusietafel"),
        (r2, date(2026, 10, 31), "niet_passend"),
        (r4, date(2026, 9, 20), "naar_inclusietafel"),
    ):
        db.session.add(
            Triage(
                id=uuid.uuid4(),
                referral_id=ref.id,
                person_id=ref.person_id,
                held_on=held_on,
                outcome=outcome,
            )
        )

    def meeting(held_on):
        meet = InclusionMeeting(
            id=uuid.uuid4(), region_id=west.id, held_on=held_on, chair_id=chair.id
        )
        db.session.add(meet)
        return meet

    db.session.flush()
    m0, m1, m2 = meeting(date(2026, 9, 28)), meeting(date(2026, 10, 4)), meeting(date(2026, 10, 25))
    db.session.flush()

    def decision(meet, ref, outcome):
        d = InclusionDecision(
            id=uuid.uuid4(),
            meeting_id=meet.id,
            referral_id=ref.id,
            person_id=ref.person_id,
            outcome=outcome,
        )
        db.session.add(d)
        return d

    decision(m0, r5, "niet_geincludeerd")
    d1 = decision(m1, r1, "geincludeerd")
    d2 = decision(m1, r4, "geincludeerd")
    decision(m2, r5, "aangehouden")
    db.session.flush()  # the decisions exist before the trajectories point at them

    def trajectory(person, included_on, *, exited_on=None, reason=None, region=west, decision=None):
        db.session.add(
            Trajectory(
                id=uuid.uuid4(),
                region_id=region.id,
                person_id=person.id,
                status="uitgestroomd" if exited_on else "in_uitvoering",
                included_on=included_on,
                exited_on=exited_on,
                exit_reason=reason,
                decision_id=decision.id if decision else None,
            )
        )

    trajectory(p1, date(2026, 8, 10))
    trajectory(p2, date(2026, 10, 5), decision=d1)
    trajectory(p3, date(2026, 10, 20), exited_on=date(2026, 10, 31), reason="stabiel", decision=d2)
    trajectory(p4, date(2026, 9, 1), exited_on=date(2026, 10, 15), reason="exclusie")
    trajectory(p5, date(2026, 6, 1), exited_on=date(2026, 11, 1), reason="andere_regio")
    trajectory(p6, date(2026, 11, 1))
    trajectory(p7, date(2026, 10, 31))
    trajectory(p8, date(2026, 10, 10), region=oost)

    def escalation(level, reason, opened_on, closed_on=None):
        db.session.add(
            Escalation(
                id=uuid.uuid4(),
                region_id=west.id,
                person_id=p1.id,
                level=level,
                reason=reason,
                status="opgelost" if closed_on else "open",
                owner_organisation_id=world.west_zvh.id,
                opened_on=opened_on,
                initial_due_date=opened_on,
                due_date=opened_on,
                closed_on=closed_on,
            )
        )

    escalation(0, "geen_passend_bed", date(2026, 10, 10))
    escalation(1, "financiering", date(2026, 9, 1), date(2026, 10, 15))
    escalation(2, "geen_passend_bed", date(2026, 10, 20), date(2026, 11, 5))
    escalation(1, "wlz_indicatie", date(2026, 11, 1))
    escalation(1, "overig", date(2026, 10, 1), date(2026, 10, 31))

    for completed_at in (local(2026, 10, 15, 10, 0), local(2026, 11, 1, 0, 10), None):
        db.session.add(
            Handover(
                id=uuid.uuid4(),
                region_id=west.id,
                person_id=p1.id,
                kind="organisatie",
                status="afgerond" if completed_at else "gepland",
                due_date=date(2026, 10, 1),
                completed_at=completed_at,
            )
        )

    def title(person, code, start, *, status="actief", ended_on=None):
        db.session.add(
            LegalTitle(
                id=uuid.uuid4(),
                person_id=person.id,
                region_id=west.id,
                type_code=code,
                status=status,
                start_date=start,
                ended_on=ended_on,
            )
        )

    title(p1, "tbs_voorwaarden", date(2025, 1, 1))
    title(p1, "wlz_indicatie", date(2026, 3, 1))
    title(
        p2,
        "wvggz_zorgmachtiging",
        date(2026, 5, 1),
        status="beeindigd",
        ended_on=date(2026, 10, 31),
    )
    title(p5, "pij", date(2026, 10, 1), status="gepland")
    title(p5, "wlz_indicatie", date(2026, 1, 1), status="beeindigd", ended_on=date(2026, 11, 10))
    title(p4, "tbs_voorwaarden", date(2026, 1, 1))

    def placement(person, level, start, end=None):
        db.session.add(
            Placement(
                id=uuid.uuid4(),
                person_id=person.id,
                region_id=west.id,
                setting="klinisch" if level else "ambulant",
                security_level=level,
                start_date=start,
                end_date=end,
            )
        )

    placement(p1, 3, date(2026, 1, 1))
    placement(p1, 1, date(2026, 10, 1))
    placement(p2, 2, date(2026, 2, 1), date(2026, 10, 31))
    placement(p5, 0, date(2026, 9, 1))
    placement(p7, 4, date(2026, 11, 1))
    db.session.commit()
    return {"persons": persons, "p8": p8, "chair": chair}


EXPECTED_OCTOBER = {
    (m.INCLUDED, ""): 4,
    (m.INFLOW, ""): 3,
    (m.OUTFLOW, "stabiel"): 1,
    (m.OUTFLOW, "exclusie"): 1,
    (m.OUTFLOW, "andere_regio"): 0,
    (m.OUTFLOW, "onbekend"): 0,
    (m.REFERRALS, ""): 2,
    (m.TRIAGE, "naar_inclusietafel"): 1,
    (m.TRIAGE, "niet_passend"): 1,
    (m.TRIAGE, "andere_route"): 0,
    (m.DECISIONS, "geincludeerd"): 2,
    (m.DECISIONS, "aangehouden"): 1,
    (m.DECISIONS, "niet_geincludeerd"): 0,
    (m.DAYS, m.MEDIAN): 20,
    (m.DAYS, m.COUNT): 2,
    (m.ESCALATIONS_LEVEL, "0"): 1,
    (m.ESCALATIONS_LEVEL, "1"): 0,
    (m.ESCALATIONS_LEVEL, "2"): 1,
    (m.ESCALATIONS_LEVEL, "3"): 0,
    (m.ESCALATIONS_REASON, "geen_passend_bed"): 2,
    (m.ESCALATIONS_REASON, "financiering"): 0,
    (m.ESCALATIONS_REASON, "overig"): 0,
    (m.HANDOVERS, ""): 1,
    (m.TITLE_TYPE, "tbs_voorwaarden"): 1,
    (m.TITLE_TYPE, "wlz_indicatie"): 2,
    (m.TITLE_TYPE, "wvggz_zorgmachtiging"): 0,
    (m.TITLE_TYPE, "pij"): 0,
    (m.TITLE_TYPE, "geen"): 2,
    (m.SECURITY_LEVEL, "3"): 1,
    (m.SECURITY_LEVEL, "0"): 1,
    (m.SECURITY_LEVEL, "1"): 0,
    (m.SECURITY_LEVEL, "2"): 0,
    (m.SECURITY_LEVEL, "4"): 0,
    (m.SECURITY_LEVEL, "geen"): 2,
    (m.WLZ, "ja"): 2,
    (m.WLZ, "nee"): 2,
}


def test_every_measure_of_the_fixture_month(world, history):
    cells = m.compute_month(world.west.id, OCTOBER)
    assert {key: cells[key] for key in EXPECTED_OCTOBER} == EXPECTED_OCTOBER
    # Every dimension of every measure is there, so every snapshot has the same shape.
    for measure in m.measures():
        for key, _label in measure.dimensions:
            assert (measure.code, key) in cells
    # Oost's case stays in Oost.
    oost = m.compute_month(world.oost.id, OCTOBER)
    assert oost[m.INCLUDED, ""] == 1 and oost[m.INFLOW, ""] == 1 and oost[m.REFERRALS, ""] == 0


def test_an_earlier_month_is_computed_from_the_history_not_from_todays_state(world, history):
    cells = m.compute_month(world.west.id, SEPTEMBER)
    # P1, P4 (left in October) and P5 (left in November) were included at the end of
    # September, whatever their status is today.
    assert cells[m.INCLUDED, ""] == 3
    assert cells[m.INFLOW, ""] == 1  # P4
    # R4 only: R1 was made on 30 Sep 22:30 UTC, which is 1 October in Amsterdam.
    assert cells[m.REFERRALS, ""] == 1
    assert cells[m.TRIAGE, "naar_inclusietafel"] == 1
    assert cells[m.DECISIONS, "niet_geincludeerd"] == 1
    assert cells[m.ESCALATIONS_LEVEL, "1"] == 1  # E2, closed in October
    assert cells[m.TITLE_TYPE, "tbs_voorwaarden"] == 2  # P1 and P4
    assert cells[m.SECURITY_LEVEL, "2"] == 0 and cells[m.SECURITY_LEVEL, "0"] == 1
    assert cells[m.WLZ, "ja"] == 2


def test_shredding_a_person_changes_no_count(world, history):
    before = m.compute_month(world.west.id, OCTOBER)
    for person in history["persons"][:3]:
        shred_person(None, person, reason="retentie")
    db.session.expire_all()
    assert m.compute_month(world.west.id, OCTOBER) == before
    assert m.compute_month(world.west.id, SEPTEMBER)[m.INCLUDED, ""] == 3


# ---------------------------------------------------------------- snapshots and revisions


def _cells(snapshot) -> dict:
    return {
        (c.measure, c.dimension): c.value
        for c in db.session.scalars(
            sa.select(ReportCell).where(ReportCell.snapshot_id == snapshot.id)
        )
    }


def _late_inclusion(world, person_name="Naregistratie"):
    person = create_person(None, world.west, PersonInput(achternaam=person_name))
    db.session.add(
        Trajectory(
            id=uuid.uuid4(),
            region_id=world.west.id,
            person_id=person.id,
            status="in_uitvoering",
            included_on=date(2026, 10, 12),
        )
    )
    db.session.commit()


def test_freezing_and_correcting_with_a_new_revision(world, history):
    first = services.freeze_month(None, world.west, OCTOBER, source=services.CLI)
    assert first.revision == 1 and first.reason is None
    assert _cells(first)[m.INCLUDED, ""] == 4
    with pytest.raises(services.DomainError, match="al vastgelegd"):
        services.freeze_month(None, world.west, OCTOBER, source=services.CLI)
    with pytest.raises(services.DomainError, match="niet veranderd"):
        services.correct_month(
            None, world.west, OCTOBER, reason="Controle zonder wijziging", source=services.CLI
        )
    _late_inclusion(world)
    with pytest.raises(services.DomainError, match="minstens 10"):
        services.correct_month(None, world.west, OCTOBER, reason="kort", source=services.CLI)
    second = services.correct_month(
        None,
        world.west,
        OCTOBER,
        reason="Een inclusie van oktober is te laat geregistreerd",
        source=services.CLI,
    )
    assert second.revision == 2 and second.reason.startswith("Een inclusie")
    db.session.expire_all()
    # Revision 1 is untouched; readers take revision 2.
    assert _cells(first)[m.INCLUDED, ""] == 4
    assert _cells(second)[m.INCLUDED, ""] == 5
    assert services.latest_snapshot(world.west.id, OCTOBER).id == second.id
    events = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.event_type == "report_correction")
    ).all()
    assert len(events) == 1 and events[0].person_id is None
    assert events[0].details["gewijzigde_maatregelen"] == [
        "included",
        "inflow",
        "security_level",
        "title_type",
        "wlz",
    ]


def test_the_current_month_cannot_be_frozen(world, history):
    with pytest.raises(services.DomainError, match="voorbij"):
        services.freeze_month(None, world.west, Month(2026, 11), source=services.CLI)


def test_the_daily_job_freezes_the_previous_month_once(world, history, app):
    from levensloop.reports.jobs import freeze_previous_month

    assert freeze_previous_month(app, "2026-11-01") == "2026-10: 2 regio's vastgelegd"
    assert freeze_previous_month(app, "2026-11-02") == "2026-10: 0 regio's vastgelegd"
    snapshots = db.session.scalars(sa.select(ReportSnapshot)).all()
    assert sorted((s.month, s.revision, s.source) for s in snapshots) == [
        ("2026-10", 1, "taak"),
        ("2026-10", 1, "taak"),
    ]


def test_the_job_is_registered_daily():
    from levensloop.reports import jobs  # noqa: F401
    from levensloop.scheduler.registry import DAILY, JOBS

    job = JOBS["maandcijfers-vastleggen"]
    assert job.period == DAILY


# ---------------------------------------------------------------- pages


@pytest.fixture
def regisseur(world, app, clock):
    browser = Browser(app.test_client())
    browser.login(world.user(Role.PROCESREGISSEUR))
    return browser


@pytest.fixture
def analist(world, app, clock):
    browser = Browser(app.test_client())
    browser.login(world.user(Role.LANDELIJK_ANALIST))
    return browser


def test_empty_state_says_how_a_month_is_frozen(world, regisseur):
    html = regisseur.get("/rapportages/").get_data(as_text=True)
    assert "Nog geen cijfers voor oktober 2026" in html
    assert "reports snapshot --month" in html and "eerste dag van de volgende maand" in html


def test_procesregisseur_freezes_a_month_and_sees_exact_numbers(world, history, regisseur):
    page = regisseur.get("/rapportages/?maand=2026-10")
    response = regisseur.post_from(page, "/rapportages/vastleggen", {"snapshot_month": "2026-10"})
    assert response.status_code == 302 and "maand=2026-10" in response.headers["Location"]
    html = regisseur.get("/rapportages/?maand=2026-10").get_data(as_text=True)
    assert "Revisie 1" in html
    assert "&lt;5" not in html  # exact inside the region
    assert "Geïncludeerd aan het eind van de maand" in html
    for name in NAMES:
        assert name not in html
    # The trend: an SVG with title and description, and the same numbers in a table.
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html and 'role="img"' in html
    assert '<title id="trend-regio-title">' in html and '<desc id="trend-regio-desc">' in html
    assert "Trend per maand (dezelfde cijfers als de grafiek)" in html
    assert "style=" not in html and "<script>" not in html
    again = regisseur.post_from(
        regisseur.get("/rapportages/"), "/rapportages/vastleggen", {"snapshot_month": "2026-10"}
    )
    text = again.get_data(as_text=True)
    assert again.status_code == 200 and "al vastgelegd" in text
    assert 'aria-describedby="snapshot_month-error"' in text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReportSnapshot)) == 1


def test_correction_from_the_page_keeps_the_history(world, history, regisseur):
    services.freeze_month(None, world.west, OCTOBER, source=services.CLI)
    page = regisseur.get("/rapportages/?maand=2026-10")
    short = regisseur.post_from(
        page,
        "/rapportages/correctie",
        {"correction_month": "2026-10", "correction_reason": "kort"},
    )
    assert short.status_code == 200 and "minstens 10 tekens" in short.get_data(as_text=True)
    assert 'id="correction_reason-error"' in short.get_data(as_text=True)
    _late_inclusion(world)
    done = regisseur.post_from(
        page,
        "/rapportages/correctie",
        {"correction_month": "2026-10", "correction_reason": "Inclusie te laat geregistreerd"},
    )
    assert done.status_code == 302
    html = regisseur.get("/rapportages/?maand=2026-10").get_data(as_text=True)
    assert "Revisie 2" in html and "Inclusie te laat geregistreerd" in html
    assert "eerste vastlegging" in html  # revision 1 is still listed


def test_bad_month_in_the_address_gets_a_message_not_an_error(world, regisseur):
    for value in ("2026-13", "abc", "2026-11", "1999-01"):
        response = regisseur.get(f"/rapportages/?maand={value}")
        assert response.status_code == 200
        assert "Kies een afgelopen maand uit de lijst." in response.get_data(as_text=True)
    bad = regisseur.post_form(
        "/rapportages/", {"snapshot_month": "2026-11"}, action="/rapportages/vastleggen"
    )
    assert bad.status_code == 200 and "voorbij" in bad.get_data(as_text=True)


@pytest.mark.asvs("V1.2.10")
def test_region_exports_are_exact_and_neutralise_formulas(world, history, regisseur):
    world.west.name = '=HYPERLINK("http://example.invalid","klik")'
    db.session.commit()
    services.freeze_month(None, world.west, OCTOBER, source=services.CLI)
    response = regisseur.get("/rapportages/regio/export?maand=2026-10&formaat=csv")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="maandcijfers-regio-2026-10.csv"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    text = response.get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["Maand", "Regio", "Revisie", "Maatregel", "Uitsplitsing", "Waarde"]
    assert all(row[1].startswith("'=") for row in rows[1:])
    included = next(r for r in rows if r[3] == "Geïncludeerd aan het eind van de maand")
    assert included[5] == "4"

    xlsx = regisseur.get("/rapportages/regio/export?maand=2026-10&formaat=xlsx")
    assert xlsx.status_code == 200 and xlsx.mimetype.endswith("spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(xlsx.get_data()))
    assert book.sheetnames == ["Maandcijfers regio", "Toelichting"]
    sheet = book["Maandcijfers regio"]
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.b
    for row in book.worksheets[0].iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
    assert sheet["B2"].value.startswith("'=HYPERLINK")
    values = {(r[3], r[4]): r[5] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert values["Geïncludeerd aan het eind van de maand", "Totaal"] == 4
    about = dict(book["Toelichting"].iter_rows(values_only=True))
    assert about["Maand"] == "2026-10" and about["Door rol"] == "Procesregisseur ZVH"
    exports = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.event_type == "report_export")
    ).all()
    assert [e.details["formaat"] for e in exports] == ["csv", "xlsx"]
    assert all(e.person_id is None for e in exports)


@pytest.mark.asvs("V14.2.6")
def test_national_view_suppresses_small_cells_and_shows_no_person_data(world, history, analist):
    services.freeze_missing(OCTOBER, source=services.CLI)
    response = analist.get("/rapportages/?maand=2026-10")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Landelijke maandcijfers" in html
    assert "&lt;5" in html and "&lt;10" in html
    assert "minder dan 5" in html and "minder dan 10" in html
    for name in (*NAMES, "Oostelijk"):
        assert name not in html
    for person in history["persons"]:
        assert str(person.id) not in html
    assert "ZVH Test West" in html and "ZVH Test Oost" in html
    # National totals are exact: 4 + 1 included.
    tables = services.national_tables(OCTOBER)
    summary = tables.summary.table
    assert [c.label for c in summary.column_totals][:2] == ["5", "4"]
    assert all(c.hidden for row in summary.cells for c in row[:2])
    assert '<title id="trend-landelijk-title">' in html
    assert "style=" not in html
    read = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.event_type == "report_read")
    ).all()
    assert read[-1].details == {"rapport": "landelijk", "maand": "2026-10"}
    assert read[-1].person_id is None


def test_national_export_has_the_markers_not_the_values(world, history, analist):
    world.oost.name = "@SUM(A1:A9)"
    db.session.commit()
    services.freeze_missing(OCTOBER, source=services.CLI)
    text = analist.get("/rapportages/landelijk/export?maand=2026-10&formaat=csv").get_data(
        as_text=True
    )
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    west = [r for r in rows if r[1] == "ZVH Test West"]
    assert any(r[5] == "<5" for r in west) and any(r[5] == "<10" for r in west)
    assert not any(r[1] == "@SUM(A1:A9)" for r in rows)
    assert any(r[1] == "'@SUM(A1:A9)" for r in rows)
    national = [r for r in rows if r[1] == "Landelijk totaal"]
    assert [
        "2026-10",
        "Landelijk totaal",
        "",
        "Geïncludeerd aan het eind van de maand",
        "",
        "5",
    ] in national
    book = load_workbook(
        io.BytesIO(
            analist.get("/rapportages/landelijk/export?maand=2026-10&formaat=xlsx").get_data()
        )
    )
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f"
    about = dict(book["Toelichting"].iter_rows(values_only=True))
    assert "Landelijke totalen zijn exact" in about["Bescherming"]


@pytest.mark.asvs("V8.2.1")
def test_who_may_open_what(world, history, app, clock, regisseur, analist):
    partner = Browser(app.test_client())
    partner.login(world.user(Role.KETENPARTNER))
    assert partner.get("/rapportages/").status_code == 403
    assert regisseur.get("/rapportages/landelijk").status_code == 403
    assert (
        regisseur.get("/rapportages/landelijk/export?maand=2026-10&formaat=csv").status_code == 403
    )
    assert analist.get("/rapportages/regio/export?maand=2026-10&formaat=csv").status_code == 403
    refused = analist.post_form(
        "/rapportages/", {"snapshot_month": "2026-10"}, action="/rapportages/vastleggen"
    )
    assert refused.status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReportSnapshot)) == 0
    missing = regisseur.get("/rapportages/regio/export?maand=2026-10&formaat=csv")
    assert missing.status_code == 400 and "nog niet vastgelegd" in missing.get_data(as_text=True)
    assert regisseur.get("/rapportages/regio/export?maand=2026-10&formaat=pdf").status_code == 400


@pytest.mark.asvs("V8.4.1")
def test_procesregisseur_sees_only_the_own_region(world, history, regisseur):
    services.freeze_missing(OCTOBER, source=services.CLI)
    html = regisseur.get("/rapportages/?maand=2026-10").get_data(as_text=True)
    assert "Maandcijfers ZVH Test West" in html and "ZVH Test Oost" not in html


# ---------------------------------------------------------------- the command line


def test_cli_snapshot_and_monthly(world, history, runner):
    result = runner.invoke(args=["reports", "snapshot", "--month", "2026-10"])
    assert result.exit_code == 0, result.output
    assert "test-west: 2026-10 vastgelegd (revisie 1)." in result.output
    again = runner.invoke(args=["reports", "snapshot", "--month", "2026-10"])
    assert "Niets te doen" in again.output
    out = runner.invoke(
        args=[
            "reports",
            "monthly",
            "--month",
            "2026-10",
            "--format",
            "json",
            "--region",
            "test-west",
        ]
    )
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["revisie"] == 1 and data["vastgelegd"] is True
    numbers = {(c["maatregel"], c["uitsplitsing"]): c["waarde"] for c in data["cijfers"]}
    assert {key: numbers[key] for key in EXPECTED_OCTOBER} == EXPECTED_OCTOBER
    as_csv = runner.invoke(
        args=["reports", "monthly", "--month", "2026-10", "--region", "test-west"]
    )
    rows = list(csv.reader(io.StringIO(as_csv.stdout)))
    assert rows[0] == ["maand", "regio", "revisie", "maatregel", "uitsplitsing", "waarde"]
    assert ["2026-10", "test-west", "1", "wlz", "ja", "2"] in rows
    for name in NAMES:
        assert name not in as_csv.output and name not in out.output


def test_cli_refuses_bad_input(world, history, runner):
    assert runner.invoke(args=["reports", "snapshot", "--month", "oktober"]).exit_code == 2
    assert runner.invoke(args=["reports", "snapshot", "--month", "2026-11"]).exit_code == 2
    unknown = runner.invoke(args=["reports", "monthly", "--month", "2026-10", "--region", "x"])
    assert unknown.exit_code == 1 and "Onbekende regio" in unknown.output
    choose = runner.invoke(args=["reports", "monthly", "--month", "2026-10"])
    assert choose.exit_code == 1 and "--region" in choose.output
    runner.invoke(args=["reports", "snapshot", "--month", "2026-10"])
    same = runner.invoke(
        args=[
            "reports",
            "correct",
            "--month",
            "2026-10",
            "--region",
            "test-west",
            "--reason",
            "Controle van de cijfers",
        ]
    )
    assert same.exit_code == 1 and "niet veranderd" in same.output


def test_cli_monthly_before_freezing_says_so(world, history, runner):
    out = runner.invoke(
        args=[
            "reports",
            "monthly",
            "--month",
            "2026-09",
            "--format",
            "json",
            "--region",
            "test-west",
        ]
    )
    assert out.exit_code == 0
    assert json.loads(out.stdout)["vastgelegd"] is False
    assert "nog niet vastgelegd" in out.stderr


def test_demo_backfills_twelve_months(app, clock):
    from levensloop import demo
    from levensloop.auth.services import _seal_totp
    from levensloop.reports.demo import seed_demo

    demo.seed(lambda user, secret: _seal_totp(user, "totp_secret", secret))
    # demo.seed backfills 12 months for both regions itself; a second call adds nothing.
    assert db.session.scalar(sa.select(sa.func.count(ReportSnapshot.id))) == 24
    assert seed_demo(local_today()) == 0
    months = sorted({s.month for s in db.session.scalars(sa.select(ReportSnapshot))})
    assert months[0] == "2025-11" and months[-1] == "2026-10"


def test_thresholds_are_configurable(world, history, app):
    services.freeze_missing(OCTOBER, source=services.CLI)
    app.config["REPORT_SUPPRESSION_MIN"] = 2
    app.config["REPORT_SUPPRESSION_SENSITIVE_MIN"] = 3
    try:
        tables = services.national_tables(OCTOBER)
    finally:
        del app.config["REPORT_SUPPRESSION_MIN"], app.config["REPORT_SUPPRESSION_SENSITIVE_MIN"]
    assert (tables.threshold, tables.sensitive_threshold) == (2, 3)
    # West's 4 included, 3 new and 2 referrals are no longer small; Oost's 1, 1 and 0 are, and
    # so West's are hidden as well ("x": the national totals would give Oost's away).
    assert [c.label for c in tables.summary.table.cells[0]][:3] == ["<2", "<2", "<2"]
    assert [c.label for c in tables.summary.table.cells[1]][:3] == ["x", "x", "x"]
    wlz = next(t for t in tables.tables if t.measure.code == m.WLZ)
    assert wlz.table.cells[1][0].label == "<3"


def test_pages_show_a_missing_median_and_corrections(world, history, regisseur, analist):
    services.freeze_month(None, world.west, SEPTEMBER, source=services.CLI)
    # September's one inclusion came without a referral: no median to show.
    html = regisseur.get("/rapportages/?maand=2026-09").get_data(as_text=True)
    assert "geen inclusies deze maand" in html
    services.freeze_missing(OCTOBER, source=services.CLI)
    _late_inclusion(world)
    services.correct_month(
        None, world.west, OCTOBER, reason="Inclusie te laat geregistreerd", source=services.CLI
    )
    national = analist.get("/rapportages/?maand=2026-10").get_data(as_text=True)
    assert "Gecorrigeerd na het vastleggen: ZVH Test West." in national
    assert "Inclusie te laat geregistreerd" not in national  # the reason stays in the region


def _check_lines(table, known_rows: bool) -> None:
    """No published relation (a column with its exact national total, a row with its
    published or known total) has exactly one hidden entry."""
    n, k = table.rows, table.columns
    for j in range(k):
        column = [table.cells[i][j] for i in range(n)]
        if not table.column_totals[j].hidden:
            assert sum(c.hidden for c in column) != 1, f"kolom {j}"
    for i in range(n):
        row = list(table.cells[i])
        if table.row_totals is not None:
            row.append(table.row_totals[i])
            assert sum(c.hidden for c in row) != 1, f"rij {i}"
        elif known_rows and i not in table.stuck_rows:
            assert sum(c.hidden for c in row) != 1, f"rij {i}"


def test_no_hidden_cell_of_the_national_tables_follows_from_the_totals(world, history, app):
    # A third region with larger numbers, so that not everything is small.
    region = type(world.west)(code="test-noord", name="ZVH Test Noord")
    db.session.add(region)
    db.session.commit()
    for n in range(23):
        person = create_person(None, region, PersonInput(achternaam=f"Noordeling{n}"))
        db.session.add(
            Trajectory(
                id=uuid.uuid4(),
                region_id=region.id,
                person_id=person.id,
                status="uitgestroomd" if n % 4 == 0 else "in_uitvoering",
                included_on=date(2026, 10 if n % 3 else 3, 1 + n % 28),
                exited_on=date(2026, 10, 20) if n % 4 == 0 else None,
                exit_reason=("stabiel", "overleden", "exclusie")[n % 3] if n % 4 == 0 else None,
            )
        )
    db.session.commit()
    services.freeze_missing(OCTOBER, source=services.CLI)
    tables = services.national_tables(OCTOBER)
    assert [r.name for r in tables.regions] == ["ZVH Test Noord", "ZVH Test Oost", "ZVH Test West"]
    _check_lines(tables.summary.table, known_rows=False)
    for t in tables.tables:
        _check_lines(t.table, known_rows=t.measure.row_totals == "known")
        assert not any(c.hidden for c in t.table.column_totals), t.caption
        for row in t.table.cells:
            for shown in row:
                if shown.value < t.threshold:
                    assert shown.hidden and shown.label == f"<{t.threshold}"
    # Noord's 17 included show; Oost's 1 and West's 4 hide each other.
    assert [c.label for c in (row[0] for row in tables.summary.table.cells)] == ["17", "<5", "<5"]
    assert tables.summary.table.column_totals[0].label == "22"
