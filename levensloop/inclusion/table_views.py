"""Screens of the inclusion table (procesregisseur) and of a trajectory."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from levensloop.auth.admin import users_with_role
from levensloop.auth.forms import ContinueForm
from levensloop.auth.models import Role
from levensloop.auth.policy import role_required
from levensloop.db import local_today, parse_int, parse_uuid
from levensloop.errors import DomainError
from levensloop.extensions import db
from levensloop.forms import parse_date
from levensloop.inclusion import states, table
from levensloop.inclusion.models import Referral
from levensloop.organisations.models import Organisation
from levensloop.organisations.services import organisations_in
from levensloop.persons.services import names_for
from levensloop.web import page_number

bp = Blueprint("inclusion", __name__)
regisseur = role_required(Role.PROCESREGISSEUR)


@bp.route("/inclusietafel/", methods=["GET", "POST"])
@regisseur
def meetings():
    errors = {}
    if request.method == "POST" and ContinueForm().validate_on_submit():
        try:
            meeting = table.create_meeting(
                current_user,
                g.region,
                held_on=parse_date(request.form.get("held_on")),
                attendees=[u for u in map(parse_uuid, request.form.getlist("attendees")) if u],
            )
        except DomainError as error:
            errors[error.field or "held_on"] = error.message
        else:
            flash(_("De tafel is aangemaakt. Leg per persoon op de agenda het besluit vast."), "ok")
            return redirect(url_for("inclusion.meeting", meeting_id=meeting.id))
    pagination = table.meetings(g.region, page=page_number())
    return render_template(
        "inclusion/meetings.html",
        pagination=pagination,
        organisations=organisations_in(g.region),
        errors=errors,
        form=ContinueForm(),
        today=local_today(),
        page_has_errors=bool(errors),
    )


@bp.get("/inclusietafel/<uuid:meeting_id>")
@regisseur
def meeting(meeting_id):
    item = table.get_meeting(g.region, meeting_id)
    items = table.agenda(g.region, item)
    names = names_for(current_user, g.region, (r.person_id for r in items))
    attending = [db.session.get(Organisation, a) for a in item.attendee_ids]
    return render_template(
        "inclusion/meeting.html",
        meeting=item,
        agenda=items,
        names=names,
        attending=attending,
        decisions=item.decisions,
        labels=states.DECISIONS,
    )


@bp.route("/inclusietafel/<uuid:meeting_id>/besluit/<uuid:referral_id>", methods=["GET", "POST"])
@regisseur
def decision(meeting_id, referral_id):
    item = table.get_meeting(g.region, meeting_id)
    referral = db.session.get(Referral, referral_id)
    if referral is None or referral.region_id != g.region.id:
        from levensloop.errors import NotFound

        raise NotFound(_("Deze aanmelding bestaat niet in deze regio."))
    attending = [db.session.get(Organisation, a) for a in item.attendee_ids]
    own = table.current_criteria(g.region)
    own_criteria = {i["key"]: i["label"] for i in own.items} if own else {}
    errors, values = {}, request.form
    if request.method == "POST" and ContinueForm().validate_on_submit():
        criteria = {
            k: (values.get(f"crit_{k}", ""), values.get(f"evid_{k}", "").strip()[:2000])
            for k in [*states.NATIONAL_CRITERIA, *own_criteria]
        }
        positions = {
            str(o.id): values.get(f"pos_{o.id}", "") for o in attending if values.get(f"pos_{o.id}")
        }
        try:
            table.decide(
                current_user,
                g.region,
                item,
                referral,
                criteria=criteria,
                positions=positions,
                outcome=values.get("outcome", ""),
                motivation=values.get("motivation", "")[:3000],
            )
        except DomainError as error:
            errors[error.field or "outcome"] = error.message
        else:
            flash(_("Het besluit is vastgelegd."), "ok")
            return redirect(url_for("inclusion.meeting", meeting_id=item.id))
    name = names_for(current_user, g.region, [referral.person_id])[referral.person_id]
    return render_template(
        "inclusion/decision.html",
        meeting=item,
        referral=referral,
        name=name,
        attending=attending,
        criteria=states.NATIONAL_CRITERIA,
        own_criteria=own_criteria,
        own_version=own.version_no if own else None,
        answers=states.ANSWERS,
        outcomes=states.DECISIONS,
        positions=table.POSITIONS,
        values=values,
        errors=errors,
        form=ContinueForm(),
        page_has_errors=bool(errors),
    )


@bp.route("/trajecten/<uuid:trajectory_id>", methods=["GET", "POST"])
@regisseur
def trajectory(trajectory_id):
    item = table.get_trajectory(g.region, trajectory_id)
    errors = {}
    action = request.form.get("action")
    if request.method == "POST" and ContinueForm().validate_on_submit():
        try:
            if action == "rollen":
                table.assign_roles(
                    current_user,
                    g.region,
                    item,
                    provider_id=parse_uuid(request.form.get("provider")),
                    coordinator_id=parse_uuid(request.form.get("coordinator")),
                    casusregisseur_id=parse_uuid(request.form.get("casusregisseur")),
                    version=parse_int(request.form.get("version")),
                )
                flash(
                    _(
                        "De rollen zijn vastgelegd; coördinator en casusregisseur hebben de "
                        "persoon nu in hun caseload."
                    ),
                    "ok",
                )
            elif action == "ave":
                table.set_ave_phase(current_user, g.region, item, request.form.get("ave_phase", ""))
                flash(_("De AVE-fase is vastgelegd."), "ok")
            elif action == "uitstroom":
                table.exit_trajectory(
                    current_user,
                    g.region,
                    item,
                    reason=request.form.get("reason", ""),
                    on=parse_date(request.form.get("on")),
                )
                flash(_("Het traject is afgesloten."), "ok")
            else:
                errors["action"] = _("Onbekende handeling.")
        except DomainError as error:
            if error.status_code == 409:
                db.session.rollback()
                flash(error.message, "error")
            else:
                errors[error.field or "action"] = error.message
        if not errors:
            return redirect(url_for("inclusion.trajectory", trajectory_id=item.id))
    return render_template(
        "inclusion/trajectory.html",
        trajectory=item,
        machine=states.TRAJECTORY,
        name=names_for(current_user, g.region, [item.person_id])[item.person_id],
        organisations=organisations_in(g.region),
        coordinators=users_with_role(g.region, Role.LEVENSLOOPCOORDINATOR),
        casusregisseurs=users_with_role(g.region, Role.CASUSREGISSEUR),
        ave_phases=states.AVE_PHASES,
        exit_reasons=states.EXIT_REASONS,
        errors=errors,
        form=ContinueForm(),
        today=local_today(),
        page_has_errors=bool(errors),
    )


# ---------------------------------------------------------------- the region's own criteria


@bp.route("/beheer/inclusiecriteria", methods=["GET", "POST"])
@role_required(Role.FUNCTIONEEL_BEHEERDER)
def criteria():
    from levensloop.inclusion.forms import RegionCriteriaForm

    form = RegionCriteriaForm()
    history = table.criteria_history(g.region)
    if form.validate_on_submit():
        try:
            version = table.set_criteria(
                current_user, g.region, (form.criteria.data or "").splitlines(), form.reason.data
            )
        except DomainError as error:
            getattr(form, error.field or "criteria").errors.append(error.message)
        else:
            flash(
                _(
                    "Versie %(n)s van de criteria van de regio geldt vanaf nu.",
                    n=version.version_no,
                ),
                "ok",
            )
            return redirect(url_for("inclusion.criteria"))
    elif not form.is_submitted() and history:
        form.criteria.data = "\n".join(i["label"] for i in history[0].items)
    return render_template(
        "inclusion/criteria.html",
        form=form,
        history=history,
        national=states.NATIONAL_CRITERIA,
        page_has_errors=bool(form.errors),
    )
