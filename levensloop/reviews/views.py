"""Reviews of the plan at the Levenslooptafel (a page of the person's file, under the plan) and
the region's review interval (functioneel beheerder)."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

import levensloop.reviews.timeline  # noqa: F401  (registers the timeline provider)
from levensloop.auth.models import Role
from levensloop.auth.policy import role_required
from levensloop.db import local_today, parse_int
from levensloop.errors import DomainError
from levensloop.extensions import db
from levensloop.persons import services as persons
from levensloop.plans.domains import DOMAINS, SCORES
from levensloop.reviews import schedule, services
from levensloop.reviews.forms import IntervalForm, review_form
from levensloop.sharing import policy
from levensloop.web import page_number

bp = Blueprint("reviews", __name__, url_prefix="/personen/<uuid:person_id>/plan/evaluaties")
settings_bp = Blueprint("review_settings", __name__, url_prefix="/beheer/evaluaties")
case_roles = role_required(
    Role.PROCESREGISSEUR, Role.LEVENSLOOPCOORDINATOR, Role.KETENPARTNER, Role.CASUSREGISSEUR
)


@bp.get("")
@case_roles
def index(person_id):
    person, decision = persons.get_person(current_user, g.region, person_id)
    view = services.reviews_view(current_user, g.region, person, page=page_number())
    return render_template(
        "reviews/index.html",
        person=persons.header_view(person, decision),
        tab="plan",
        view=view,
        decisions=services.DECISIONS,
        today=local_today(),
    )


def _form_input(form, domains) -> services.ReviewInput:
    return services.ReviewInput(
        held_on=form.held_on.data,
        attendees=list(form.attendees.data or []),
        attendee_persons=form.attendee_persons.data or "",
        progress={d: form.domain_fields(d)[0].data or "" for d in domains},
        scores={d: form.domain_fields(d)[1].data or "" for d in domains},
        decision=form.decision.data or "",
        motivation=form.motivation.data or "",
        next_review_on=form.next_review_on.data,
    )


def _add_errors(form, errors: dict) -> None:
    for name, message in errors.items():
        if not getattr(form, name).errors:
            getattr(form, name).errors.append(message)


@bp.route("/nieuw", methods=["GET", "POST"])
@case_roles
def new(person_id):
    person, decision = persons.get_person(current_user, g.region, person_id, need=policy.UPDATE)
    context = services.form_context(current_user, g.region, person, audit=request.method == "GET")
    form = review_form(context.domains)
    form.attendees.choices = [(str(o.id), o.name) for o in context.organisations]
    if not form.is_submitted():
        form.held_on.data = local_today()
    if context.refusal is None and form.is_submitted():
        well_formed = form.validate()
        data = _form_input(form, context.domains)
        if not well_formed:
            # The service's remarks on the other fields too, so every problem shows at once.
            _add_errors(form, services.review_errors(current_user, g.region, person, data))
        else:
            try:
                review = services.record_review(current_user, g.region, person, data)
            except services.InvalidReview as invalid:
                _add_errors(form, invalid.errors)
            except DomainError as error:
                if error.status_code in (403, 404):
                    raise
                db.session.rollback()
                context.refusal = error.message
            else:
                flash(_("De evaluatie is vastgelegd."), "ok")
                return redirect(url_for("reviews.detail", person_id=person.id, review_id=review.id))
    return render_template(
        "reviews/form.html",
        person=persons.header_view(person, decision),
        tab="plan",
        form=form,
        context=context,
        labels=DOMAINS,
        scores=SCORES,
        page_has_errors=bool(form.errors),
    )


@bp.get("/<uuid:review_id>")
@case_roles
def detail(person_id, review_id):
    person, decision = persons.get_person(current_user, g.region, person_id)
    view = services.get_review(current_user, g.region, person, review_id)
    return render_template(
        "reviews/detail.html",
        person=persons.header_view(person, decision),
        tab="plan",
        view=view,
        labels=DOMAINS,
        scores=SCORES,
        decision_label=services.decision_label,
    )


# ---------------------------------------------------------------- the region's interval


@settings_bp.route("/", methods=["GET", "POST"])
@role_required(Role.FUNCTIONEEL_BEHEERDER)
def edit():
    form = IntervalForm()
    setting = services.setting_of(g.region)
    if form.validate_on_submit():
        try:
            setting, moved = services.set_interval(
                current_user,
                g.region,
                months=form.interval_months.data,
                reason=form.reason.data,
                version=parse_int(form.version.data) or None,
            )
        except DomainError as error:
            if error.status_code == 403:
                raise
            db.session.rollback()
            getattr(form, error.field or "interval_months").errors.append(error.message)
            setting = services.setting_of(g.region)
        else:
            flash(
                _(
                    "De evaluatietermijn is nu %(n)s maanden; %(moved)s geplande evaluaties "
                    "zijn verschoven.",
                    n=setting.interval_months,
                    moved=moved,
                ),
                "ok",
            )
            return redirect(url_for("review_settings.edit"))
    if not form.is_submitted():
        form.interval_months.data = str(
            setting.interval_months if setting else schedule.DEFAULT_INTERVAL
        )
    form.version.data = str(setting.version) if setting else ""
    return render_template(
        "reviews/settings.html",
        form=form,
        setting=setting,
        default=schedule.DEFAULT_INTERVAL,
        page_has_errors=bool(form.errors),
    )
