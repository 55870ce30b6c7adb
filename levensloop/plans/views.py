"""The plan tab of a person's file."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from levensloop.auth.forms import ContinueForm
from levensloop.auth.models import Role
from levensloop.auth.policy import role_required
from levensloop.db import local_today, parse_int, parse_uuid
from levensloop.errors import DomainError
from levensloop.extensions import db
from levensloop.forms import parse_date
from levensloop.persons import services as persons
from levensloop.plans import services
from levensloop.plans.domains import ACTION_STATES, DOMAINS, PLAN, SCORES
from levensloop.sharing import policy

bp = Blueprint("plans", __name__, url_prefix="/personen/<uuid:person_id>/plan")
case_roles = role_required(
    Role.PROCESREGISSEUR, Role.LEVENSLOOPCOORDINATOR, Role.KETENPARTNER, Role.CASUSREGISSEUR
)


def _page(person, decision, *, errors=None, stale=None, code=200):
    view = services.plan_view(current_user, g.region, person)
    return render_template(
        "plans/plan.html",
        person=persons.header_view(person, decision),
        tab="plan",
        trajectory=view.trajectory,
        plan=view.plan,
        domains=view.domains,
        labels=DOMAINS,
        scores=SCORES,
        action_states=ACTION_STATES,
        machine=PLAN,
        organisations=view.owner_names,
        owners=view.owner_choices,
        can_edit=decision.can_update,
        errors=errors or {},
        stale=stale or {},
        form=ContinueForm(),
        today=local_today(),
        page_has_errors=bool(errors),
    ), code


def _load(person_id, need="read"):
    return persons.get_person(current_user, g.region, person_id, need=need)


@bp.get("")
@case_roles
def show(person_id):
    person, decision = _load(person_id)
    return _page(person, decision)


def _act(person_id, action, done: str, field: str = "action"):
    person, decision = _load(person_id, need=policy.UPDATE)
    if not ContinueForm().validate_on_submit():
        return redirect(url_for("plans.show", person_id=person.id))
    try:
        action(person)
    except DomainError as error:
        if error.status_code in (403, 404):
            raise
        if error.status_code == 409:
            db.session.rollback()
            flash(error.message, "error")
            return redirect(url_for("plans.show", person_id=person.id))
        return _page(person, decision, errors={error.field or field: error.message})
    flash(done, "ok")
    return redirect(url_for("plans.show", person_id=person.id))


@bp.post("/nieuw")
@case_roles
def new_version(person_id):
    def run(person):
        trajectory = services.current_trajectory(person)
        if trajectory is None:
            raise DomainError(_("Er is geen lopend traject; een plan hoort bij een traject."))
        services.start_version(current_user, g.region, person, trajectory)

    return _act(person_id, run, _("Er is een concept van het plan gemaakt."))


@bp.post("/<uuid:plan_id>/leefgebied/<domain>")
@case_roles
def section(person_id, plan_id, domain):
    person, decision = _load(person_id, need=policy.UPDATE)
    if not ContinueForm().validate_on_submit():
        return redirect(url_for("plans.show", person_id=person.id))
    plan = services.get_plan(person, plan_id)
    try:
        services.update_section(
            current_user,
            g.region,
            person,
            plan,
            domain,
            situation=request.form.get("situation", ""),
            score=parse_int(request.form.get("score"), 0) or None,
            version=parse_int(request.form.get("version")),
        )
    except DomainError as error:
        if error.status_code in (403, 404):
            raise
        if error.status_code == 409:
            db.session.rollback()
            db.session.expire_all()
            return _page(
                person,
                decision,
                errors={f"situation-{domain}": error.message},
                stale={domain: request.form.get("situation", "")},
                code=409,
            )
        return _page(
            person, decision, errors={f"{error.field or 'situation'}-{domain}": error.message}
        )
    flash(_("Het leefgebied is opgeslagen."), "ok")
    return redirect(url_for("plans.show", person_id=person.id) + f"#leefgebied-{domain}")


@bp.post("/<uuid:plan_id>/doel")
@case_roles
def goal(person_id, plan_id):
    def run(person):
        services.add_goal(
            current_user,
            g.region,
            person,
            services.get_plan(person, plan_id),
            domain=request.form.get("domain", ""),
            text=request.form.get("text", ""),
            target_date=parse_date(request.form.get("target_date")),
        )

    return _act(person_id, run, _("Het doel is toegevoegd."), field="goal_text")


@bp.post("/<uuid:plan_id>/actie")
@case_roles
def action(person_id, plan_id):
    def run(person):
        services.add_action(
            current_user,
            g.region,
            person,
            services.get_plan(person, plan_id),
            parse_uuid(request.form.get("goal")),
            text=request.form.get("text", ""),
            owner_organisation_id=parse_uuid(request.form.get("owner_organisation")),
            owner_person=request.form.get("owner_person", ""),
            due_date=parse_date(request.form.get("due_date")),
        )

    return _act(person_id, run, _("De actie is toegevoegd."), field="action_text")


@bp.post("/actie/<uuid:action_id>/status")
@case_roles
def action_status(person_id, action_id):
    def run(person):
        services.set_action_status(
            current_user,
            g.region,
            person,
            action_id,
            request.form.get("status", ""),
            parse_int(request.form.get("version")),
        )

    return _act(person_id, run, _("De status van de actie is bijgewerkt."))


@bp.post("/<uuid:plan_id>/vaststellen")
@case_roles
def adopt(person_id, plan_id):
    def run(person):
        services.adopt(current_user, g.region, person, services.get_plan(person, plan_id))

    return _act(person_id, run, _("Het plan is vastgesteld."))


@bp.post("/uitvoering")
@case_roles
def start_execution(person_id):
    def run(person):
        trajectory = services.current_trajectory(person)
        if trajectory is None:
            raise DomainError(_("Er is geen lopend traject."))
        services.start_execution(current_user, g.region, person, trajectory)

    return _act(person_id, run, _("Het traject is in uitvoering."))
