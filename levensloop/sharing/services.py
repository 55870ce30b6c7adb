"""Case participants, caseload assignments, the sharing matrix and break-glass access."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from levensloop.audit.services import record
from levensloop.auth import passwords
from levensloop.auth import services as auth_services
from levensloop.auth.models import Role, User
from levensloop.db import local_today, utcnow
from levensloop.errors import DomainError, NotAllowed, NotFound
from levensloop.extensions import db
from levensloop.organisations.models import Organisation, OrganisationType, Region
from levensloop.sharing import policy
from levensloop.sharing.categories import Category
from levensloop.sharing.legal_bases import LEGAL_BASES, NEEDS_ARTICLE
from levensloop.sharing.models import BreakGlass, CaseAssignment, CaseParticipant, SharingRule

BREAK_GLASS_MINUTES = 60
BREAK_GLASS_MIN_REASON = 30


# ---------------------------------------------------------------- participants


def participants(person) -> list[CaseParticipant]:
    return list(
        db.session.scalars(
            sa.select(CaseParticipant)
            .where(CaseParticipant.person_id == person.id)
            .order_by(CaseParticipant.start_date.desc(), CaseParticipant.created_at.desc())
        )
    )


def participant_rows(actor: User, region: Region, person) -> list[dict]:
    """The 'gedeeld met' overview: who takes part, why, on what basis, seeing what. Viewing it
    is recorded as a read of process data."""
    from levensloop.sharing.legal_bases import label as basis_label

    rows = [
        {
            "participant": p,
            "purpose": p.purpose,
            "basis": basis_label(p.legal_basis, p.legal_basis_article),
            "active": p.active_on(local_today()),
            "categories": sorted(policy.grants(region.id, p.organisation.type), key=str),
        }
        for p in participants(person)
    ]
    record(
        "read",
        actor=actor,
        region_id=region.id,
        object_type="person",
        object_id=person.id,
        categories=["proces"],
        details={"page": "gedeeld_met"},
    )
    db.session.commit()
    return rows


def add_participant(
    actor: User,
    region: Region,
    person,
    *,
    organisation_id: uuid.UUID | None,
    purpose: str,
    legal_basis: str,
    article: str | None,
    start: date,
    end: date | None,
) -> CaseParticipant:
    if not policy.can(actor, policy.MANAGE, person):
        raise NotAllowed(_("U mag de deelnemers aan deze casus niet wijzigen."))
    organisation = db.session.get(Organisation, organisation_id) if organisation_id else None
    if organisation is None or organisation.region_id != region.id or not organisation.active:
        raise DomainError(_("Kies een actieve organisatie uit deze regio."), field="organisation")
    if legal_basis not in LEGAL_BASES:
        raise DomainError(_("Kies een grondslag uit de lijst."), field="legal_basis")
    purpose = (purpose or "").strip()
    if len(purpose) < 10:
        raise DomainError(
            _("Beschrijf het doel van de deelname in minstens 10 tekens."), field="purpose"
        )
    article = (article or "").strip() or None
    if legal_basis in NEEDS_ARTICLE and not article:
        raise DomainError(_("Noem de wet en het artikel waarop het delen berust."), field="article")
    if end is not None and end < start:
        raise DomainError(_("De einddatum ligt voor de begindatum."), field="end_date")
    today = local_today()
    for existing in participants(person):
        if existing.organisation_id == organisation.id and existing.active_on(max(start, today)):
            raise DomainError(
                _("Deze organisatie neemt al deel aan de casus."), field="organisation"
            )
    participant = CaseParticipant(
        id=uuid.uuid4(),
        person_id=person.id,
        organisation_id=organisation.id,
        legal_basis=legal_basis,
        legal_basis_article=article,
        start_date=start,
        end_date=end,
        added_by_id=actor.id,
    )
    db.session.add(participant)
    participant.purpose = purpose
    db.session.flush()
    record(
        "participant_added",
        actor=actor,
        region_id=region.id,
        person_id=person.id,
        object_type="case_participant",
        object_id=participant.id,
        legal_basis=legal_basis,
        categories=sorted(policy.grants(region.id, organisation.type)),
        details={"organisation_id": str(organisation.id)},
    )
    db.session.commit()
    policy.forget()
    return participant


def end_participant(actor: User, region: Region, person, participant_id: uuid.UUID | None) -> None:
    if not policy.can(actor, policy.MANAGE, person):
        raise NotAllowed(_("U mag de deelnemers aan deze casus niet wijzigen."))
    participant = db.session.get(CaseParticipant, participant_id) if participant_id else None
    if participant is None or participant.person_id != person.id:
        raise NotFound(_("Deze deelname bestaat niet."))
    today = local_today()
    if participant.end_date is not None and participant.end_date < today:
        raise DomainError(_("Deze deelname is al beëindigd."))
    # Access ends at once: the last day of the participation is yesterday (or before its start).
    participant.end_date = max(participant.start_date, today) - timedelta(days=1)
    participant.ended_by_id = actor.id
    record(
        "participant_ended",
        actor=actor,
        region_id=region.id,
        person_id=person.id,
        object_type="case_participant",
        object_id=participant.id,
    )
    db.session.commit()
    policy.forget()


# ---------------------------------------------------------------- caseload


def assign(
    actor: User | None, person, user: User, role: str, start: date | None = None
) -> CaseAssignment:
    if role not in ("coordinator", "casusregisseur"):
        raise DomainError(_("Onbekende toewijzing."))
    needed = Role.LEVENSLOOPCOORDINATOR if role == "coordinator" else Role.CASUSREGISSEUR
    if needed not in user.roles_in(person.region_id):
        raise DomainError(_("Deze gebruiker heeft die rol niet in de regio."), field="user")
    assignment = CaseAssignment(
        person_id=person.id, user_id=user.id, role=role, start_date=start or local_today()
    )
    db.session.add(assignment)
    record(
        "assigned",
        actor=actor,
        region_id=person.region_id,
        person_id=person.id,
        object_type="case_assignment",
        details={"role": role, "user_id": str(user.id)},
    )
    db.session.commit()
    policy.forget()
    return assignment


# ---------------------------------------------------------------- the sharing matrix


def matrix(region: Region) -> dict[OrganisationType, frozenset[Category]]:
    return {org_type: policy.grants(region.id, org_type) for org_type in OrganisationType}


def set_grants(
    actor: User,
    region: Region,
    organisation_type: OrganisationType,
    categories: set[Category],
    reason: str,
) -> list[str]:
    """Change one row of the region's matrix; records who, when and why."""
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise DomainError(_("Geef de reden van de wijziging (minstens 10 tekens)."), field="reason")
    current = policy.grants(region.id, organisation_type)
    from levensloop.sharing.categories import DEFAULT_GRANTS

    default = DEFAULT_GRANTS.get(organisation_type, frozenset())
    changes = []
    for category in Category:
        wanted = category in categories
        if wanted == (category in current):
            continue
        changes.append(f"{'+' if wanted else '-'}{category}")
        rule = db.session.scalar(
            sa.select(SharingRule).where(
                SharingRule.region_id == region.id,
                SharingRule.organisation_type == organisation_type,
                SharingRule.category == category,
            )
        )
        if wanted == (category in default):
            if rule is not None:
                db.session.delete(rule)
        elif rule is None:
            db.session.add(
                SharingRule(
                    region_id=region.id,
                    organisation_type=organisation_type,
                    category=category,
                    allowed=wanted,
                    updated_by_id=actor.id,
                )
            )
        else:
            rule.allowed, rule.updated_by_id, rule.updated_at = wanted, actor.id, utcnow()
    if not changes:
        raise DomainError(_("Er is niets gewijzigd."), field="categories")
    # The reason is about the matrix, not about a person: it is kept in the log as given.
    record(
        "sharing_matrix_changed",
        actor=actor,
        region_id=region.id,
        object_type="sharing_matrix",
        object_id=str(organisation_type),
        details={"changes": changes, "reason": reason[:500]},
    )
    db.session.commit()
    policy.forget()
    return changes


# ---------------------------------------------------------------- break-glass


def start_break_glass(
    actor: User, region: Region, person, *, reason: str, password: str, code: str
) -> BreakGlass:
    """Emergency access for 60 minutes, after a fresh login (password and TOTP) and a reason."""
    roles = actor.roles_in(region.id)
    if not roles & {Role.LEVENSLOOPCOORDINATOR, Role.PROCESREGISSEUR}:
        raise NotAllowed(
            _("Alleen een levensloopcoördinator of procesregisseur kan noodtoegang vragen.")
        )
    reason = (reason or "").strip()
    if len(reason) < BREAK_GLASS_MIN_REASON:
        raise DomainError(
            _(
                "Beschrijf waarom u noodtoegang nodig heeft, in minstens %(n)s tekens.",
                n=BREAK_GLASS_MIN_REASON,
            ),
            field="reason",
        )
    if not passwords.verify_password(actor.password_hash, password or ""):
        record(
            "break_glass_denied",
            actor=actor,
            outcome="failure",
            region_id=region.id,
            person_id=person.id,
            details={"reason": "password"},
        )
        db.session.commit()
        raise DomainError(_("Het wachtwoord is onjuist."), field="password")
    try:
        auth_services.verify_second_factor(actor, code or "")
    except auth_services.SecondFactorFailed as error:
        raise DomainError(error.message, field="code") from None
    now = utcnow()
    glass = BreakGlass(
        id=uuid.uuid4(),
        user_id=actor.id,
        person_id=person.id,
        region_id=region.id,
        started_at=now,
        expires_at=now + timedelta(minutes=BREAK_GLASS_MINUTES),
    )
    db.session.add(glass)
    glass.reason = reason
    record(
        "break_glass",
        actor=actor,
        region_id=region.id,
        person_id=person.id,
        object_type="break_glass",
        object_id=glass.id,
        categories=[str(c) for c in Category],
        purpose="noodtoegang",
    )
    db.session.commit()
    policy.forget()
    current_app.logger.info("Noodtoegang gestart (%s)", glass.id)
    return glass


def open_reviews(region: Region) -> int:
    """How many break-glass accesses in the region still wait for the privacy officer."""
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(BreakGlass)
            .where(BreakGlass.region_id == region.id, BreakGlass.reviewed_at.is_(None))
        )
        or 0
    )


def review_page(actor: User, region: Region, *, page: int = 1):
    """One page of break-glass accesses for the privacy officer, with the names of who used and
    who reviewed them, and the data keys of the page unwrapped in one query."""
    from levensloop.keys.services import preload_data_keys

    pagination = break_glass_list(region, page=page)
    ids = {b.user_id for b in pagination.items} | {
        b.reviewed_by_id for b in pagination.items if b.reviewed_by_id
    }
    users = (
        {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(ids)))}
        if ids
        else {}
    )
    preload_data_keys(b.person_id for b in pagination.items)
    record("audit_read", actor=actor, region_id=region.id, details={"report": "noodtoegang"})
    db.session.commit()
    return pagination, users


def break_glass_list(region: Region, *, unreviewed_only: bool = False, page: int = 1):
    query = sa.select(BreakGlass).where(BreakGlass.region_id == region.id)
    if unreviewed_only:
        query = query.where(BreakGlass.reviewed_at.is_(None))
    return db.paginate(
        query.order_by(BreakGlass.reviewed_at.is_not(None), BreakGlass.started_at.desc()),
        page=page,
        per_page=25,
        error_out=False,
    )


def get_break_glass(region: Region, glass_id: uuid.UUID | None) -> BreakGlass:
    glass = db.session.get(BreakGlass, glass_id) if glass_id else None
    if glass is None or glass.region_id != region.id:
        raise NotFound(_("Deze noodtoegang bestaat niet in deze regio."))
    return glass


def review_break_glass(
    actor: User, region: Region, glass_id: uuid.UUID | None, remark: str
) -> BreakGlass:
    glass = get_break_glass(region, glass_id)
    if glass.reviewed_at is not None:
        raise DomainError(_("Deze noodtoegang is al beoordeeld."))
    remark = (remark or "").strip()
    if len(remark) < 5:
        raise DomainError(_("Schrijf een korte toelichting bij uw beoordeling."), field="remark")
    glass.reviewed_at = utcnow()
    glass.reviewed_by_id = actor.id
    glass.review_remark = remark
    record(
        "break_glass_reviewed",
        actor=actor,
        region_id=region.id,
        person_id=glass.person_id,
        object_type="break_glass",
        object_id=glass.id,
    )
    db.session.commit()
    return glass
