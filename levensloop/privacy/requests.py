"""Rights requests (inzage, rectificatie, wissing, beperking, bezwaar) and the informatieplicht.

Due dates: one month after receipt, extendable by at most two further months with a reason
(AVG art. 12(3); to be confirmed per DOMAIN.md §7). A month is a calendar month; a day that
does not exist in the target month becomes the month's last day.
"""

from __future__ import annotations

import calendar
import csv
import io
import uuid
import zipfile
from datetime import date

import sqlalchemy as sa
from flask import render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from levensloop.audit.services import record
from levensloop.db import local_today, utcnow
from levensloop.errors import Conflict, DomainError, NotFound
from levensloop.exports import safe_cell
from levensloop.extensions import db
from levensloop.organisations.models import Region
from levensloop.persons.models import PERSON_FIELDS, Person
from levensloop.privacy.models import (
    OPEN_STATUSES,
    InformationNotice,
    RequestKind,
    RequestStatus,
    RightsRequest,
)
from levensloop.privacy.services import access_report

CHANNEL_LABELS = {
    "mondeling": _l("mondeling"),
    "brief": _l("per brief"),
    "e-mail": _l("per e-mail"),
    "via_hulpverlener": _l("via de hulpverlener"),
}
CHANNELS = tuple(CHANNEL_LABELS)


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def register_request(
    actor, region: Region, person: Person, kind: RequestKind, received_on: date
) -> RightsRequest:
    if received_on > local_today():
        raise DomainError(_("De ontvangstdatum ligt in de toekomst."), field="received_on")
    request = RightsRequest(
        id=uuid.uuid4(),
        region_id=region.id,
        person_id=person.id,
        kind=kind,
        received_on=received_on,
        due_on=add_months(received_on, 1),
        handler_id=actor.id,
    )
    db.session.add(request)
    record(
        "rights_request_registered",
        actor=actor,
        region_id=region.id,
        person_id=person.id,
        object_type="rights_request",
        object_id=request.id,
        details={"kind": str(kind)},
    )
    db.session.commit()
    return request


def get_request(region: Region, request_id: uuid.UUID | None) -> RightsRequest:
    request = db.session.get(RightsRequest, request_id) if request_id else None
    if request is None or request.region_id != region.id:
        raise NotFound(_("Dit verzoek bestaat niet in deze regio."))
    return request


def list_requests(region: Region, *, status: str = "", page: int = 1):
    query = sa.select(RightsRequest).where(RightsRequest.region_id == region.id)
    if status == "open":
        query = query.where(RightsRequest.status.in_(OPEN_STATUSES))
    elif status in set(RequestStatus):
        query = query.where(RightsRequest.status == RequestStatus(status))
    deadline = sa.func.coalesce(RightsRequest.extended_until, RightsRequest.due_on)
    query = query.order_by(
        RightsRequest.status.in_(OPEN_STATUSES).desc(), deadline, RightsRequest.created_at
    )
    return db.paginate(query, page=page, per_page=25, error_out=False)


def extend(
    actor, region: Region, request: RightsRequest, *, until: date, reason: str, version: int
) -> None:
    _check_version(request, version)
    if not request.is_open:
        raise DomainError(_("Een afgesloten verzoek kan niet worden verlengd."))
    latest = add_months(request.due_on, 2)
    if until <= request.due_on or until > latest:
        raise DomainError(
            _(
                "Verlengen kan tot uiterlijk twee maanden na de oorspronkelijke termijn "
                "(%(date)s).",
                date=latest.strftime("%d-%m-%Y"),
            ),
            field="until",
        )
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise DomainError(
            _("Geef de reden van de verlenging (minstens 10 tekens)."), field="reason"
        )
    request.extended_until = until
    request.extension_reason = reason
    record(
        "rights_request_extended",
        actor=actor,
        region_id=region.id,
        person_id=request.person_id,
        object_type="rights_request",
        object_id=request.id,
        details={"until": until.isoformat()},
    )
    db.session.commit()


def set_status(
    actor,
    region: Region,
    request: RightsRequest,
    *,
    status: RequestStatus,
    outcome: str,
    version: int,
) -> None:
    _check_version(request, version)
    outcome = (outcome or "").strip()
    if status not in OPEN_STATUSES and len(outcome) < 5:
        raise DomainError(
            _("Beschrijf de uitkomst bij het afsluiten van het verzoek."), field="outcome"
        )
    request.status = status
    request.outcome = outcome or None
    request.closed_on = None if status in OPEN_STATUSES else local_today()
    record(
        "rights_request_status",
        actor=actor,
        region_id=region.id,
        person_id=request.person_id,
        object_type="rights_request",
        object_id=request.id,
        details={"status": str(status)},
    )
    db.session.commit()


def _check_version(request: RightsRequest, version: int) -> None:
    if request.version != version:
        raise Conflict(
            _("Iemand anders heeft dit verzoek intussen gewijzigd. Bekijk de nieuwe stand.")
        )


def due_soon(region: Region, within_days: int = 7) -> int:
    from datetime import timedelta

    deadline = sa.func.coalesce(RightsRequest.extended_until, RightsRequest.due_on)
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(RightsRequest)
            .where(
                RightsRequest.region_id == region.id,
                RightsRequest.status.in_(OPEN_STATUSES),
                deadline <= local_today() + timedelta(days=within_days),
            )
        )
        or 0
    )


# ---------------------------------------------------------------- inzage export


def inzage_export(actor, region: Region, request: RightsRequest) -> bytes:
    """A ZIP with a readable HTML overview and CSV files of everything Levensloop holds about
    the person (from all partners), plus the access report. Producing it is logged."""
    from levensloop.sharing.legal_bases import label as basis_label
    from levensloop.sharing.models import BreakGlass, CaseParticipant

    if request.kind != RequestKind.INZAGE:
        raise DomainError(_("Een inzage-export hoort bij een inzageverzoek."))
    person = db.session.get(Person, request.person_id)
    if person is None or person.is_shredded:
        raise DomainError(
            _("De gegevens van deze persoon zijn vernietigd; er is niets meer om in te zien.")
        )
    fields = [(name, _field_text(getattr(person, name))) for name in PERSON_FIELDS]
    participants = [
        (
            p.organisation.name,
            p.purpose or "",
            basis_label(p.legal_basis, p.legal_basis_article),
            p.start_date.isoformat(),
            p.end_date.isoformat() if p.end_date else "",
        )
        for p in db.session.scalars(
            sa.select(CaseParticipant).where(CaseParticipant.person_id == person.id)
        )
    ]
    glasses = [
        (g.started_at.strftime("%Y-%m-%d %H:%M"), g.reason or "")
        for g in db.session.scalars(sa.select(BreakGlass).where(BreakGlass.person_id == person.id))
    ]
    notices = [
        (n.status, n.given_on.isoformat() if n.given_on else "", n.channel or "", n.ground or "")
        for n in db.session.scalars(
            sa.select(InformationNotice).where(InformationNotice.person_id == person.id)
        )
    ]
    access = access_report(region, person.id)
    html = render_template(
        "privacy/inzage_export.html",
        person=person,
        fields=fields,
        participants=participants,
        glasses=glasses,
        notices=notices,
        access=access,
        made_at=utcnow(),
        region=region,
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("overzicht.html", html)
        archive.writestr("persoonsgegevens.csv", _csv(["veld", "waarde"], fields))
        archive.writestr(
            "deelnemers.csv", _csv(["organisatie", "doel", "grondslag", "van", "tot"], participants)
        )
        archive.writestr("noodtoegang.csv", _csv(["tijdstip", "reden"], glasses))
        archive.writestr(
            "informatieplicht.csv", _csv(["status", "datum", "kanaal", "grond uitstel"], notices)
        )
        archive.writestr(
            "toegangsrapport.csv",
            _csv(
                [
                    "tijdstip (UTC)",
                    "gebruiker",
                    "organisatie",
                    "rol",
                    "handeling",
                    "categorieën",
                    "grondslag",
                    "noodtoegang",
                ],
                [
                    (
                        a.occurred_at.strftime("%Y-%m-%d %H:%M:%S"),
                        a.user,
                        a.organisation,
                        a.roles,
                        a.event,
                        a.categories,
                        a.basis,
                        "ja" if a.break_glass else "nee",
                    )
                    for a in access
                ],
            ),
        )
    record(
        "export",
        actor=actor,
        region_id=region.id,
        person_id=person.id,
        object_type="rights_request",
        object_id=request.id,
        categories=["identiteit", "contact", "proces"],
        purpose="inzageverzoek",
        details={"files": 6},
    )
    db.session.commit()
    return buffer.getvalue()


def _field_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _csv(header, rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return "\ufeff" + buffer.getvalue()


# ---------------------------------------------------------------- informatieplicht


def record_notice(
    actor,
    region: Region,
    person: Person,
    *,
    status: str,
    given_on: date | None,
    channel: str | None,
    ground: str | None,
    review_on: date | None,
) -> InformationNotice:
    if status == "gegeven":
        if given_on is None or given_on > local_today():
            raise DomainError(
                _("Vul de datum in waarop de informatie is gegeven (niet in de toekomst)."),
                field="given_on",
            )
        if channel not in CHANNELS:
            raise DomainError(_("Kies hoe de informatie is gegeven."), field="channel")
        ground, review_on = None, None
    elif status == "uitgesteld":
        if not ground or len(ground.strip()) < 10:
            raise DomainError(
                _("Geef de grond voor het uitstel (minstens 10 tekens)."), field="ground"
            )
        if review_on is None or review_on <= local_today():
            raise DomainError(_("Kies een herbeoordelingsdatum in de toekomst."), field="review_on")
        given_on, channel = None, None
    else:
        raise DomainError(_("Kies of de informatie is gegeven of uitgesteld."), field="status")
    notice = InformationNotice(
        id=uuid.uuid4(),
        person_id=person.id,
        region_id=region.id,
        status=status,
        given_on=given_on,
        channel=channel,
        review_on=review_on,
        recorded_by_id=actor.id,
        recorded_at=local_today(),
    )
    db.session.add(notice)
    notice.ground = ground.strip() if ground else None
    record(
        "information_notice",
        actor=actor,
        region_id=region.id,
        person_id=person.id,
        object_type="information_notice",
        object_id=notice.id,
        details={"status": status},
    )
    db.session.commit()
    return notice


def notices(person: Person) -> list[InformationNotice]:
    return list(
        db.session.scalars(
            sa.select(InformationNotice)
            .where(InformationNotice.person_id == person.id)
            .order_by(InformationNotice.recorded_at.desc())
        )
    )


def notices_due_for_review(region: Region, *, today: date | None = None) -> list[InformationNotice]:
    """Deferred notices whose review date has come, and that were not superseded since."""
    today = today or local_today()
    latest = (
        sa.select(
            InformationNotice.person_id, sa.func.max(InformationNotice.recorded_at).label("last")
        )
        .where(InformationNotice.region_id == region.id)
        .group_by(InformationNotice.person_id)
        .subquery()
    )
    return list(
        db.session.scalars(
            sa.select(InformationNotice)
            .join(
                latest,
                sa.and_(
                    latest.c.person_id == InformationNotice.person_id,
                    latest.c.last == InformationNotice.recorded_at,
                ),
            )
            .where(InformationNotice.status == "uitgesteld", InformationNotice.review_on <= today)
            .order_by(InformationNotice.review_on)
        )
    )
