"""Reviews of the levensloopplan at the Levenslooptafel (DOMAIN.md §3) and the region's review
interval.

Recording needs the right to update the person's file, a trajectory in execution (or preparing
exit) and an adopted plan. Each domain is shown and recorded only for who may see its data
category. A review is immutable once recorded.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from levensloop.audit.services import record
from levensloop.auth.models import Role, User
from levensloop.db import local_today
from levensloop.errors import Conflict, DomainError, NotAllowed, NotFound
from levensloop.extensions import db
from levensloop.inclusion import states as inclusion_states
from levensloop.inclusion.models import Trajectory
from levensloop.organisations.models import Organisation, Region
from levensloop.plans.domains import DOMAINS, SCORES
from levensloop.plans.models import Plan, ScoreChange
from levensloop.plans.services import adopted_plan, current_trajectory, visible_domains
from levensloop.reviews import schedule
from levensloop.reviews.models import PlanReview, PlanReviewDomain, ReviewSetting
from levensloop.sharing import policy
from levensloop.sharing.categories import Category
from levensloop.workflow import transition

VOORTZETTEN, OPSCHALEN, AFSCHALEN = "voortzetten", "opschalen", "afschalen"
ESCALEREN, UITSTROOM_VOORBEREIDEN = "escaleren", "uitstroom_voorbereiden"
DECISIONS = {
    VOORTZETTEN: _l("Voortzetten"),
    OPSCHALEN: _l("Opschalen"),
    AFSCHALEN: _l("Afschalen"),
    ESCALEREN: _l("Escaleren"),
    UITSTROOM_VOORBEREIDEN: _l("Uitstroom voorbereiden"),
}
REVIEWABLE = (inclusion_states.IN_UITVOERING, inclusion_states.UITSTROOM_VOORBEREIDING)
MAX_PROGRESS, MAX_PERSONS, MAX_MOTIVATION = 2000, 1000, 3000
PAGE_SIZE = 20


class InvalidReview(DomainError):
    """Several fields can be wrong at once: `errors` maps each field to its Dutch message."""

    def __init__(self, errors: dict[str, str]):
        first = next(iter(errors))
        super().__init__(errors[first], field=first)
        self.errors = errors


def decision_label(decision: str) -> str:
    return str(DECISIONS.get(decision, decision))


# ---------------------------------------------------------------- the region's interval


def setting_of(region: Region) -> ReviewSetting | None:
    return db.session.scalar(sa.select(ReviewSetting).where(ReviewSetting.region_id == region.id))


def set_interval(
    actor: User, region: Region, *, months: str | int | None, reason: str, version: int | None
) -> tuple[ReviewSetting, int]:
    """Change the region's review interval (functioneel beheerder), with a reason. Due dates
    that follow from a plan's date move along; dates the table set at a review stay. Returns
    the setting and how many due dates moved."""
    if Role.FUNCTIONEEL_BEHEERDER not in actor.roles_in(region.id):
        raise NotAllowed(_("Alleen de functioneel beheerder stelt de evaluatietermijn in."))
    text = str(months if months is not None else "").strip()
    if (
        not (text.isascii() and text.isdigit())
        or not schedule.MIN_INTERVAL <= int(text) <= schedule.MAX_INTERVAL
    ):
        raise DomainError(
            _("Kies een termijn van 1 tot en met 12 maanden."), field="interval_months"
        )
    interval = int(text)
    reason = " ".join((reason or "").split())
    if len(reason) < 10:
        raise DomainError(_("Geef de reden van de wijziging (minstens 10 tekens)."), field="reason")
    setting = setting_of(region)
    current = setting.interval_months if setting else schedule.DEFAULT_INTERVAL
    if setting is not None and version != setting.version:
        raise Conflict(
            _(
                "Iemand anders heeft de termijn intussen gewijzigd naar %(n)s maanden. Bekijk "
                "de nieuwe stand en sla opnieuw op als dat nog nodig is.",
                n=current,
            )
        )
    if interval == current:
        raise DomainError(_("Er is niets gewijzigd."), field="interval_months")
    if setting is None:
        setting = ReviewSetting(id=uuid.uuid4(), region_id=region.id)
        db.session.add(setting)
    setting.interval_months, setting.reason, setting.updated_by_id = (
        interval,
        reason[:500],
        actor.id,
    )
    moved = schedule.reschedule_region(region.id, interval)
    # The reason is about the region's way of working, not about a person.
    record(
        "review_interval_changed",
        actor=actor,
        region_id=region.id,
        object_type="evaluatietermijn",
        object_id=setting.id,
        details={"from": current, "to": interval, "moved": moved, "reason": reason[:500]},
    )
    db.session.commit()
    return setting, moved


# ---------------------------------------------------------------- the list of reviews


@dataclass
class ReviewsView:
    trajectory: Trajectory | None
    reviews: object  # a Flask-SQLAlchemy pagination of PlanReview, newest first
    due: schedule.Due | None
    overdue: bool
    refusal: str | None  # why no review can be recorded now, or None
    can_record: bool


def _require_proces(actor, person) -> None:
    if Category.PROCES not in policy.visible_categories(actor, person):
        raise NotAllowed(_("U mag de procesgegevens van deze persoon niet zien."))


def recording_refusal(actor, person, trajectory: Trajectory | None) -> str | None:
    """Why this actor cannot record a review now (Dutch), or None when they can."""
    if not policy.can(actor, policy.UPDATE, person):
        return _("U mag de evaluaties van deze persoon niet vastleggen.")
    if trajectory is None:
        return _("Er is geen lopend traject; een evaluatie hoort bij een traject.")
    if trajectory.status not in REVIEWABLE:
        return _(
            "Een evaluatie wordt vastgelegd als het traject in uitvoering is of de uitstroom "
            "wordt voorbereid. Dit traject is: %(status)s.",
            status=inclusion_states.TRAJECTORY.label(trajectory.status),
        )
    if adopted_plan(trajectory) is None:
        return _("Er is nog geen vastgesteld levensloopplan om te evalueren.")
    return None


def reviews_view(actor, region: Region, person, *, page: int = 1) -> ReviewsView:
    """The reviews of the person's current trajectory, newest first, with the next due date.
    Fills in the trajectory's schedule if it is missing. Viewing is recorded."""
    _require_proces(actor, person)
    trajectory = current_trajectory(person)
    reviews, due = None, None
    if trajectory is not None:
        reviews = db.paginate(
            sa.select(PlanReview)
            .where(PlanReview.trajectory_id == trajectory.id)
            .order_by(PlanReview.held_on.desc()),
            page=page,
            per_page=PAGE_SIZE,
            error_out=False,
        )
        due = schedule.ensure_schedule(trajectory, local_today())
    record(
        "read",
        actor=actor,
        region_id=region.id,
        person_id=person.id,
        object_type="evaluaties",
        object_id=trajectory.id if trajectory else None,
        categories=["proces"],
    )
    db.session.commit()
    refusal = recording_refusal(actor, person, trajectory)
    return ReviewsView(
        trajectory=trajectory,
        reviews=reviews,
        due=due,
        overdue=bool(due and due.due_on < local_today()),
        refusal=refusal,
        can_record=refusal is None,
    )


# ---------------------------------------------------------------- recording a review


@dataclass
class FormContext:
    trajectory: Trajectory | None
    plan: Plan | None
    domains: list[str]  # the domains this actor may see, in the plan's order
    organisations: list[Organisation]  # who may be ticked as attending
    current_scores: dict  # domain -> the latest score (plan or earlier review), if any
    interval: int
    refusal: str | None


def _attendee_choices(actor, region: Region, person) -> list[Organisation]:
    """The organisations taking part in the case today, and the actor's own organisation."""
    from levensloop.sharing.models import CaseParticipant

    today = local_today()
    return list(
        db.session.scalars(
            sa.select(Organisation)
            .where(
                Organisation.region_id == region.id,
                sa.or_(
                    Organisation.id == actor.organisation_id,
                    Organisation.id.in_(
                        sa.select(CaseParticipant.organisation_id).where(
                            CaseParticipant.person_id == person.id,
                            policy.active_on(CaseParticipant, today),
                        )
                    ),
                ),
            )
            .order_by(Organisation.name)
        )
    )


def _current_scores(trajectory: Trajectory, plan: Plan | None) -> dict:
    scores = {s.domain: s.score for s in (plan.sections if plan else []) if s.score}
    for domain, score in db.session.execute(
        sa.select(ScoreChange.domain, ScoreChange.score)
        .where(ScoreChange.trajectory_id == trajectory.id)
        .order_by(ScoreChange.changed_at)
    ):
        scores[domain] = score
    return scores


def form_context(actor, region: Region, person, *, audit: bool = True) -> FormContext:
    """What the form to record a review needs; `refusal` says why it cannot be used now. The
    page shows the current scores of the visible domains, so opening it is recorded."""
    trajectory = current_trajectory(person)
    refusal = recording_refusal(actor, person, trajectory)
    plan = adopted_plan(trajectory) if trajectory is not None and refusal is None else None
    domains = visible_domains(actor, person)
    scores = _current_scores(trajectory, plan) if plan is not None else {}
    if audit:
        record(
            "read",
            actor=actor,
            region_id=region.id,
            person_id=person.id,
            object_type="evaluatieformulier",
            object_id=trajectory.id if trajectory else None,
            categories=sorted({"proces"} | {DOMAINS[d][1] for d in scores if d in domains}),
        )
        db.session.commit()
    return FormContext(
        trajectory=trajectory,
        plan=plan,
        domains=domains,
        organisations=_attendee_choices(actor, region, person) if refusal is None else [],
        current_scores={d: s for d, s in scores.items() if d in domains},
        interval=schedule.interval_months(region.id),
        refusal=refusal,
    )


@dataclass
class ReviewInput:
    held_on: date | None
    attendees: list = field(default_factory=list)  # organisation ids (as given)
    attendee_persons: str = ""
    progress: dict = field(default_factory=dict)  # domain -> text
    scores: dict = field(default_factory=dict)  # domain -> "" or "1".."5" (as given)
    decision: str = ""
    motivation: str = ""
    next_review_on: date | None = None


def _validate(
    data: ReviewInput, context: FormContext, last: PlanReview | None, today: date
) -> tuple[dict, dict]:
    """Check every field; returns (errors, cleaned values)."""
    errors: dict[str, str] = {}
    clean: dict = {}
    trajectory = context.trajectory
    held_on = data.held_on
    if held_on is None:
        errors["held_on"] = _("Vul de datum van de evaluatie in.")
    elif held_on > today:
        errors["held_on"] = _("De evaluatie kan niet in de toekomst liggen.")
    elif held_on < trajectory.included_on:
        errors["held_on"] = _("Deze datum ligt voor het begin van het traject.")
    elif last is not None and held_on <= last.held_on:
        errors["held_on"] = _(
            "De vorige evaluatie was op %(date)s; een nieuwe evaluatie ligt daarna.",
            date=format_date(last.held_on, "long"),
        )
    allowed = {o.id: o for o in context.organisations}
    attendees = []
    for value in data.attendees:
        try:
            attendees.append(uuid.UUID(str(value)))
        except (ValueError, TypeError):
            attendees.append(None)
    if not attendees:
        errors["attendees"] = _("Kies minstens één organisatie die aan tafel zat.")
    elif any(a not in allowed for a in attendees):
        errors["attendees"] = _("Kies organisaties uit de lijst.")
    clean["attendees"] = list(dict.fromkeys(a for a in attendees if a in allowed))
    persons = (data.attendee_persons or "").strip()
    if len(persons) > MAX_PERSONS:
        errors["attendee_persons"] = _("Gebruik hoogstens %(n)s tekens.", n=MAX_PERSONS)
    clean["attendee_persons"] = persons or None
    clean["domains"] = {}
    for domain in context.domains:
        text = (data.progress.get(domain) or "").strip()
        if len(text) > MAX_PROGRESS:
            errors[f"progress_{domain}"] = _("Gebruik hoogstens %(n)s tekens.", n=MAX_PROGRESS)
        raw = str(data.scores.get(domain) or "").strip()
        score = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 3 else None
        if raw and score not in SCORES:
            errors[f"score_{domain}"] = _("Kies een score van 1 tot en met 5.")
        if text or score:
            clean["domains"][domain] = (text or None, score)
    if data.decision not in DECISIONS:
        errors["decision"] = _("Kies het besluit van de tafel.")
    clean["decision"] = data.decision
    motivation = (data.motivation or "").strip()
    if len(motivation) < 10:
        errors["motivation"] = _("Motiveer het besluit in minstens 10 tekens.")
    elif len(motivation) > MAX_MOTIVATION:
        errors["motivation"] = _("Gebruik hoogstens %(n)s tekens.", n=MAX_MOTIVATION)
    clean["motivation"] = motivation
    next_on = data.next_review_on
    if held_on is not None and "held_on" not in errors:
        if next_on is None:
            next_on = schedule.add_months(held_on, context.interval)
        elif next_on <= held_on:
            errors["next_review_on"] = _(
                "De volgende evaluatie ligt na de datum van deze evaluatie."
            )
        elif next_on > schedule.add_months(held_on, schedule.MAX_AHEAD_MONTHS):
            errors["next_review_on"] = _(
                "De volgende evaluatie ligt hoogstens %(n)s maanden na deze evaluatie.",
                n=schedule.MAX_AHEAD_MONTHS,
            )
    clean["next_review_on"] = next_on
    return errors, clean


def review_errors(actor, region: Region, person, data: ReviewInput) -> dict[str, str]:
    """What is wrong with `data` (field -> Dutch message), without saving anything; for a form
    that already has errors of its own, so every field's problem shows at once."""
    context = form_context(actor, region, person, audit=False)
    if context.refusal:
        return {}
    errors, _clean = _validate(
        data, context, schedule.last_review(context.trajectory), local_today()
    )
    return errors


def record_review(actor, region: Region, person, data: ReviewInput) -> PlanReview:
    """Record one review as one act: attendees, progress and new scores per domain (each new
    score also goes into the score history), the decision with its motivation and the next
    date. "Uitstroom voorbereiden" moves a trajectory in execution to preparing exit. Nothing
    is saved when anything is wrong."""
    context = form_context(actor, region, person, audit=False)
    if not policy.can(actor, policy.UPDATE, person):
        raise NotAllowed(context.refusal)
    if context.refusal:
        raise DomainError(context.refusal)
    trajectory, plan = context.trajectory, context.plan
    today = local_today()
    last = schedule.last_review(trajectory)
    errors, clean = _validate(data, context, last, today)
    if errors:
        raise InvalidReview(errors)
    try:
        review = store_review(
            actor,
            region.id,
            trajectory,
            plan,
            held_on=data.held_on,
            decision=clean["decision"],
            next_review_on=clean["next_review_on"],
            attendees=clean["attendees"],
            attendee_persons=clean["attendee_persons"],
            motivation=clean["motivation"],
            domains=clean["domains"],
        )
        db.session.commit()
    except sa.exc.IntegrityError:  # the same review sent twice at once
        db.session.rollback()
        raise InvalidReview(
            {"held_on": _("Op deze datum is al een evaluatie van dit traject vastgelegd.")}
        ) from None
    return review


def store_review(
    actor,
    region_id: uuid.UUID,
    trajectory: Trajectory,
    plan: Plan,
    *,
    held_on: date,
    decision: str,
    next_review_on: date,
    attendees: list[uuid.UUID],
    attendee_persons: str | None,
    motivation: str,
    domains: dict,
) -> PlanReview:
    """Write a checked review (the rules are `record_review`'s; the demo data uses this too):
    the review, its domains, the score history, the schedule and the audit record. The caller
    commits."""
    review = PlanReview(
        id=uuid.uuid4(),
        trajectory_id=trajectory.id,
        person_id=trajectory.person_id,
        region_id=region_id,
        plan_id=plan.id,
        held_on=held_on,
        decision=decision,
        next_review_on=next_review_on,
        attendees=",".join(str(a) for a in attendees),
        recorded_by_id=actor.id,
    )
    db.session.add(review)
    review.attendee_persons = attendee_persons
    review.motivation = motivation
    for domain, (text, score) in domains.items():
        row = PlanReviewDomain(
            id=uuid.uuid4(),
            review=review,
            person_id=trajectory.person_id,
            domain=domain,
            score=score,
        )
        db.session.add(row)
        row.progress = text
        if score is not None:
            db.session.add(
                ScoreChange(
                    trajectory_id=trajectory.id, domain=domain, score=score, changed_by_id=actor.id
                )
            )
    if decision == UITSTROOM_VOORBEREIDEN and trajectory.status == inclusion_states.IN_UITVOERING:
        transition(
            inclusion_states.TRAJECTORY,
            trajectory,
            inclusion_states.UITSTROOM_VOORBEREIDING,
            actor=actor,
            region_id=region_id,
            person_id=trajectory.person_id,
            details={"evaluatie": str(review.id)},
        )
    db.session.flush()
    schedule.ensure_schedule(trajectory, local_today())
    record(
        "plan_review_recorded",
        actor=actor,
        region_id=region_id,
        person_id=trajectory.person_id,
        object_type="evaluatie",
        object_id=review.id,
        categories=sorted({"proces"} | {DOMAINS[d][1] for d in domains}),
        details={
            "decision": decision,
            "domains": sorted(domains),
            "scores": sum(1 for _t, s in domains.values() if s is not None),
        },
    )
    return review


# ---------------------------------------------------------------- one review


@dataclass
class ReviewDetail:
    review: PlanReview
    plan_version: int | None
    domains: list[PlanReviewDomain]  # only those the viewer may see, in the plan's order
    organisations: list[str]  # names of the attending organisations
    recorded_by: str | None


def get_review(actor, region: Region, person, review_id: uuid.UUID | None) -> ReviewDetail:
    """One review of this person, with only the domains the viewer may see. 404 for a review
    of another person; viewing is recorded with the categories shown."""
    _require_proces(actor, person)
    review = db.session.get(PlanReview, review_id) if review_id else None
    if review is None or review.person_id != person.id:
        raise NotFound(_("Deze evaluatie bestaat niet."))
    visible = visible_domains(actor, person)
    shown = sorted(
        (d for d in review.domains if d.domain in visible), key=lambda d: visible.index(d.domain)
    )
    ids = review.attendee_ids
    names = dict(
        db.session.execute(
            sa.select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids))
        ).all()
        if ids
        else []
    )
    recorded_by = (
        db.session.scalar(sa.select(User.display_name).where(User.id == review.recorded_by_id))
        if review.recorded_by_id
        else None
    )
    plan_version = db.session.scalar(sa.select(Plan.version_no).where(Plan.id == review.plan_id))
    record(
        "read",
        actor=actor,
        region_id=region.id,
        person_id=person.id,
        object_type="evaluatie",
        object_id=review.id,
        categories=sorted({"proces"} | {DOMAINS[d.domain][1] for d in shown}),
    )
    db.session.commit()
    return ReviewDetail(
        review=review,
        plan_version=plan_version,
        domains=shown,
        organisations=[names[i] for i in ids if i in names],
        recorded_by=recorded_by,
    )
