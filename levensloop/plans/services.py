"""Working with the levensloopplan. Editing needs the right to update the person's file; each
domain is shown only to who may see its data category."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from levensloop.audit.services import record
from levensloop.db import local_today
from levensloop.errors import Conflict, DomainError, NotAllowed, NotFound
from levensloop.extensions import db
from levensloop.inclusion import states as inclusion_states
from levensloop.inclusion.models import Trajectory
from levensloop.plans.domains import (
    ACTION_STATES,
    CONCEPT,
    DOMAINS,
    PLAN,
    SCORES,
    VASTGESTELD,
    VERVALLEN,
)
from levensloop.plans.models import Action, Goal, Plan, PlanSection, ScoreChange
from levensloop.sharing import policy
from levensloop.workflow import transition


def current_trajectory(person) -> Trajectory | None:
    return db.session.scalar(
        sa.select(Trajectory)
        .where(
            Trajectory.person_id == person.id, Trajectory.status != inclusion_states.UITGESTROOMD
        )
        .order_by(Trajectory.included_on.desc())
        .limit(1)
    )


def plans_of(trajectory: Trajectory) -> list[Plan]:
    return list(
        db.session.scalars(
            sa.select(Plan)
            .where(Plan.trajectory_id == trajectory.id)
            .order_by(Plan.version_no.desc())
        )
    )


def working_plan(trajectory: Trajectory) -> Plan | None:
    """The concept being worked on, else the adopted plan."""
    plans = plans_of(trajectory)
    return next((p for p in plans if p.status == CONCEPT), None) or next(
        (p for p in plans if p.status == VASTGESTELD), None
    )


def adopted_plan(trajectory: Trajectory) -> Plan | None:
    return next((p for p in plans_of(trajectory) if p.status == VASTGESTELD), None)


def visible_domains(actor, person) -> list[str]:
    categories = policy.visible_categories(actor, person)
    return [d for d, (_label, category) in DOMAINS.items() if category in categories]


@dataclass
class PlanView:
    trajectory: Trajectory | None
    plan: Plan | None
    domains: list[str]
    owner_names: dict  # organisation id -> name, for the actions shown
    owner_choices: list  # organisations taking part today: who may own a new action


def plan_view(actor, region, person) -> PlanView:
    """What the plan tab shows: only the domains of categories the actor may see; organisation
    names in one query. Viewing is recorded with the categories shown."""
    from levensloop.organisations.models import Organisation
    from levensloop.sharing.services import participants

    trajectory = current_trajectory(person)
    plan = working_plan(trajectory) if trajectory else None
    domains = visible_domains(actor, person)
    ids = {
        a.owner_organisation_id
        for g in (plan.goals if plan else [])
        if g.domain in domains
        for a in g.actions
    }
    names = (
        dict(
            db.session.execute(
                sa.select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids))
            ).all()
        )
        if ids
        else {}
    )
    choices = [p.organisation for p in participants(person) if p.active_on(local_today())]
    record(
        "read",
        actor=actor,
        region_id=region.id,
        person_id=person.id,
        object_type="levensloopplan",
        object_id=plan.id if plan else None,
        categories=sorted({DOMAINS[d][1] for d in domains} | {"proces"}),
    )
    db.session.commit()
    return PlanView(trajectory, plan, domains, names, choices)


def _require_update(actor, person) -> None:
    if not policy.can(actor, policy.UPDATE, person):
        raise NotAllowed(_("U mag het plan van deze persoon niet wijzigen."))


def _require_concept(plan: Plan) -> None:
    if plan.status != CONCEPT:
        raise DomainError(
            _("Alleen een concept kan worden gewijzigd. Maak een nieuwe versie van het plan.")
        )


def start_version(actor, region, person, trajectory: Trajectory) -> Plan:
    """A new concept: empty at first, otherwise a copy of the adopted plan."""
    _require_update(actor, person)
    if trajectory.status == inclusion_states.UITGESTROOMD:
        raise DomainError(_("Dit traject is afgesloten."))
    plans = plans_of(trajectory)
    if any(p.status == CONCEPT for p in plans):
        raise DomainError(_("Er is al een concept; werk dat bij."))
    source = next((p for p in plans if p.status == VASTGESTELD), None)
    plan = Plan(
        id=uuid.uuid4(),
        trajectory_id=trajectory.id,
        person_id=person.id,
        region_id=region.id,
        version_no=(plans[0].version_no + 1) if plans else 1,
        status=CONCEPT,
    )
    db.session.add(plan)
    old_sections = {s.domain: s for s in source.sections} if source else {}
    for domain in DOMAINS:
        section = PlanSection(
            id=uuid.uuid4(),
            plan=plan,
            person_id=person.id,
            domain=domain,
            score=old_sections[domain].score if domain in old_sections else None,
        )
        db.session.add(section)
        if domain in old_sections:
            section.situation = old_sections[domain].situation
    for old_goal in source.goals if source else []:
        goal = Goal(
            id=uuid.uuid4(),
            plan=plan,
            person_id=person.id,
            domain=old_goal.domain,
            target_date=old_goal.target_date,
        )
        db.session.add(goal)
        goal.text = old_goal.text
        for old_action in old_goal.actions:
            if old_action.status == "gereed":
                continue
            action = Action(
                id=uuid.uuid4(),
                goal=goal,
                person_id=person.id,
                status=old_action.status,
                owner_organisation_id=old_action.owner_organisation_id,
                due_date=old_action.due_date,
            )
            db.session.add(action)
            action.text, action.owner_person = old_action.text, old_action.owner_person
    record(
        "plan_version_started",
        actor=actor,
        region_id=region.id,
        person_id=person.id,
        object_type="levensloopplan",
        object_id=plan.id,
        categories=["proces"],
        details={"version": plan.version_no},
    )
    db.session.commit()
    return plan


def get_plan(person, plan_id: uuid.UUID | None) -> Plan:
    plan = db.session.get(Plan, plan_id) if plan_id else None
    if plan is None or plan.person_id != person.id:
        raise NotFound(_("Dit plan bestaat niet."))
    return plan


def update_section(
    actor,
    region,
    person,
    plan: Plan,
    domain: str,
    *,
    situation: str,
    score: int | None,
    version: int,
) -> PlanSection:
    _require_update(actor, person)
    _require_concept(plan)
    section = next((s for s in plan.sections if s.domain == domain), None)
    if section is None:
        raise NotFound(_("Dit leefgebied bestaat niet."))
    if section.version != version:
        raise Conflict(_section_stale())
    if score is not None and score not in SCORES:
        raise DomainError(_("Kies een score van 1 tot en met 5."), field="score")
    if score is not None and score != section.score:
        db.session.add(
            ScoreChange(
                trajectory_id=plan.trajectory_id, domain=domain, score=score, changed_by_id=actor.id
            )
        )
    section.situation = (situation or "").strip()[:5000] or None
    section.score = score
    record(
        "plan_section_updated",
        actor=actor,
        region_id=region.id,
        person_id=person.id,
        object_type="levensloopplan",
        object_id=plan.id,
        categories=[DOMAINS[domain][1]],
        details={"domain": domain},
    )
    _commit_versioned(_section_stale())
    return section


def add_goal(
    actor, region, person, plan: Plan, *, domain: str, text: str, target_date: date | None
) -> Goal:
    _require_update(actor, person)
    _require_concept(plan)
    if domain not in DOMAINS:
        raise DomainError(_("Kies een leefgebied."), field="domain")
    text = (text or "").strip()
    if len(text) < 10:
        raise DomainError(_("Beschrijf het doel SMART, in minstens 10 tekens."), field="text")
    goal = Goal(
        id=uuid.uuid4(), plan=plan, person_id=person.id, domain=domain, target_date=target_date
    )
    db.session.add(goal)
    goal.text = text
    record(
        "plan_goal_added",
        actor=actor,
        region_id=region.id,
        person_id=person.id,
        object_type="levensloopplan",
        object_id=plan.id,
        categories=[DOMAINS[domain][1]],
        details={"domain": domain},
    )
    db.session.commit()
    return goal


def add_action(
    actor,
    region,
    person,
    plan: Plan,
    goal_id: uuid.UUID | None,
    *,
    text: str,
    owner_organisation_id: uuid.UUID | None,
    owner_person: str,
    due_date: date | None,
) -> Action:
    from levensloop.sharing.models import CaseParticipant

    _require_update(actor, person)
    _require_concept(plan)
    goal = next((g for g in plan.goals if g.id == goal_id), None)
    if goal is None:
        raise DomainError(_("Kies het doel waar de actie bij hoort."), field="goal")
    text = (text or "").strip()
    if len(text) < 5:
        raise DomainError(_("Beschrijf de actie."), field="text")
    participating = {
        p.organisation_id
        for p in db.session.scalars(
            sa.select(CaseParticipant).where(CaseParticipant.person_id == person.id)
        )
        if p.active_on(local_today())
    }
    if owner_organisation_id not in participating:
        raise DomainError(
            _("De eigenaar moet een organisatie zijn die aan de casus deelneemt."),
            field="owner_organisation",
        )
    action = Action(
        id=uuid.uuid4(),
        goal=goal,
        person_id=person.id,
        owner_organisation_id=owner_organisation_id,
        due_date=due_date,
    )
    db.session.add(action)
    action.text = text
    action.owner_person = (owner_person or "").strip()[:200] or None
    record(
        "plan_action_added",
        actor=actor,
        region_id=region.id,
        person_id=person.id,
        object_type="levensloopplan",
        object_id=plan.id,
        categories=[DOMAINS[goal.domain][1]],
    )
    db.session.commit()
    return action


def set_action_status(
    actor, region, person, action_id: uuid.UUID | None, status: str, version: int
) -> None:
    _require_update(actor, person)
    action = db.session.get(Action, action_id) if action_id else None
    if action is None or action.person_id != person.id or action.goal.plan.status == VERVALLEN:
        raise NotFound(_("Deze actie bestaat niet (meer)."))
    if status not in ACTION_STATES:
        raise DomainError(_("Kies een status."), field="status")
    if action.version != version:
        raise Conflict(_action_stale())
    action.status = status
    record(
        "plan_action_status",
        actor=actor,
        region_id=region.id,
        person_id=person.id,
        object_type="actie",
        object_id=action.id,
        categories=["proces"],
        details={"status": status},
    )
    _commit_versioned(_action_stale())


def adopt(actor, region, person, plan: Plan) -> None:
    """Adopt the concept (vaststellen); the previous adopted version lapses."""
    _require_update(actor, person)
    if not plan.goals:
        raise DomainError(_("Een plan zonder doelen kan niet worden vastgesteld."))
    previous = [
        p
        for p in plans_of(db.session.get(Trajectory, plan.trajectory_id))
        if p.status == VASTGESTELD
    ]
    transition(PLAN, plan, VASTGESTELD, actor=actor, region_id=region.id, person_id=person.id)
    plan.adopted_on = local_today()
    for old in previous:
        transition(PLAN, old, VERVALLEN, actor=actor, region_id=region.id, person_id=person.id)
    from levensloop.reviews.schedule import ensure_schedule

    db.session.flush()
    ensure_schedule(db.session.get(Trajectory, plan.trajectory_id), local_today())
    db.session.commit()


def start_execution(actor, region, person, trajectory: Trajectory) -> None:
    """in_uitvoering needs an adopted plan and the three roles (DOMAIN.md §2)."""
    _require_update(actor, person)
    missing = []
    if adopted_plan(trajectory) is None:
        missing.append(_("een vastgesteld levensloopplan"))
    if not (
        trajectory.provider_organisation_id
        and trajectory.coordinator_id
        and trajectory.casusregisseur_id
    ):
        missing.append(
            _("de Levensloopaanbieder, de coördinator en de gemeentelijke casusregisseur")
        )
    if missing:
        raise DomainError(
            _(
                "Het traject kan nog niet in uitvoering: nodig is %(what)s.",
                what=" en ".join(missing),
            )
        )
    transition(
        inclusion_states.TRAJECTORY,
        trajectory,
        inclusion_states.IN_UITVOERING,
        actor=actor,
        region_id=region.id,
        person_id=person.id,
    )
    db.session.commit()


def _section_stale() -> str:
    return _(
        "Iemand anders heeft dit leefgebied intussen gewijzigd. Hieronder staat de "
        "nieuwste tekst; "
        "uw eigen tekst staat erboven, zodat u niets kwijtraakt."
    )


def _action_stale() -> str:
    return _("Iemand anders heeft deze actie intussen gewijzigd. Bekijk de nieuwe stand.")


def _commit_versioned(message: str) -> None:
    """Commit an edit of a versioned row. Two requests that both passed the version check race
    to the UPDATE; the loser matches no row and gets the same conflict as a stale form."""
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise Conflict(message) from None
