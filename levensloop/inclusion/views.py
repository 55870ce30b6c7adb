"""Referral screens: refer, my referrals / all referrals, triage."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from levensloop.auth.forms import ContinueForm
from levensloop.auth.policy import role_required
from levensloop.db import local_today
from levensloop.errors import DomainError
from levensloop.inclusion import services, states
from levensloop.inclusion.forms import ReferralForm, TriageForm
from levensloop.persons.services import PersonInput, names_for
from levensloop.web import page_number

bp = Blueprint("referrals", __name__, url_prefix="/aanmeldingen")
referrers = role_required(*services.REFERRER_ROLES)


@bp.get("/")
@referrers
def index():
    status = request.args.get("status", "open")
    pagination = services.list_referrals(current_user, g.region, status=status, page=page_number())
    names = names_for(current_user, g.region, (r.person_id for r in pagination.items))
    return render_template(
        "inclusion/referrals.html",
        pagination=pagination,
        status=status,
        names=names,
        machine=states.REFERRAL,
        is_regisseur=services.is_regisseur(current_user, g.region),
    )


@bp.route("/nieuw", methods=["GET", "POST"])
@referrers
def create():
    form = ReferralForm()
    if form.validate_on_submit():
        identity = PersonInput(
            voornamen=form.voornamen.data,
            achternaam=form.achternaam.data,
            geboortedatum=form.geboortedatum.data,
            bsn=form.bsn.data,
        )
        try:
            referral = services.refer(
                current_user,
                g.region,
                identity,
                reason=form.reason.data,
                criteria=form.criteria.data or [],
            )
        except DomainError as error:
            if error.status_code == 403:
                raise
            getattr(form, error.field or "reason").errors.append(error.message)
        else:
            flash(_("De aanmelding is ingediend. U ziet hier de status."), "ok")
            return redirect(url_for("referrals.detail", referral_id=referral.id))
    return render_template(
        "inclusion/referral_form.html", form=form, page_has_errors=bool(form.errors)
    )


@bp.get("/<uuid:referral_id>")
@referrers
def detail(referral_id):
    referral = services.get_referral(current_user, g.region, referral_id)
    form = TriageForm(formdata=None)
    form.held_on.data = local_today()
    return _detail_page(referral, form)


def _detail_page(referral, triage_form, code=200, elsewhere=None):
    return render_template(
        "inclusion/referral_detail.html",
        referral=referral,
        machine=states.REFERRAL,
        name=names_for(current_user, g.region, [referral.person_id])[referral.person_id],
        criteria_labels=[
            str(states.REFERRAL_CRITERIA[c])
            for c in referral.criteria_list
            if c in states.REFERRAL_CRITERIA
        ],
        is_regisseur=services.is_regisseur(current_user, g.region),
        triage_form=triage_form,
        start_form=ContinueForm(),
        elsewhere=elsewhere,
        page_has_errors=bool(triage_form.errors),
    ), code


@bp.post("/<uuid:referral_id>/bekend-elders")
@referrers
def known_elsewhere(referral_id):
    """Is the referred person known in another region? The procesregisseur asks with the data
    of the referral itself (nothing typed, nothing in a URL); the answer names regions only."""
    referral = services.get_referral(current_user, g.region, referral_id)
    form = TriageForm(formdata=None)
    form.held_on.data = local_today()
    if not ContinueForm().validate_on_submit():
        return redirect(url_for("referrals.detail", referral_id=referral.id))
    found = services.known_elsewhere_for(current_user, g.region, referral)
    return _detail_page(referral, form, elsewhere=found)


@bp.post("/<uuid:referral_id>/triage-starten")
@referrers
def start_triage(referral_id):
    referral = services.get_referral(current_user, g.region, referral_id)
    try:
        services.start_triage(current_user, g.region, referral)
    except DomainError as error:
        if error.status_code == 403:
            raise
        flash(error.message, "error")
    else:
        flash(_("De aanmelding is in triage genomen."), "ok")
    return redirect(url_for("referrals.detail", referral_id=referral.id))


@bp.post("/<uuid:referral_id>/triage")
@referrers
def triage(referral_id):
    referral = services.get_referral(current_user, g.region, referral_id)
    form = TriageForm()
    if form.validate_on_submit():
        try:
            services.record_triage(
                current_user,
                g.region,
                referral,
                held_on=form.held_on.data,
                participants=form.participants.data,
                outcome=form.outcome.data,
                motivation=form.motivation.data,
            )
        except DomainError as error:
            if error.status_code == 403:
                raise
            if error.status_code == 409:
                flash(error.message, "error")
                return redirect(url_for("referrals.detail", referral_id=referral.id))
            getattr(form, error.field or "outcome").errors.append(error.message)
        else:
            flash(_("De triage is vastgelegd."), "ok")
            return redirect(url_for("referrals.detail", referral_id=referral.id))
    return _detail_page(referral, form)
