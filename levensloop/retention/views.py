"""Retention rules, the destruction list and the destruction report (privacy officer)."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

import levensloop.retention.timeline  # noqa: F401  (registers the timeline provider)
from levensloop.auth.forms import ContinueForm
from levensloop.auth.models import Role
from levensloop.auth.policy import role_required
from levensloop.db import local_today, parse_int
from levensloop.errors import DomainError
from levensloop.exports import csv_response
from levensloop.extensions import db
from levensloop.retention import rules, services
from levensloop.retention.forms import ApproveForm, ExtendForm, HoldForm, LiftForm, RuleForm
from levensloop.web import page_number

bp = Blueprint("retention", __name__, url_prefix="/privacybeheer/bewaren")
officer = role_required(Role.PRIVACY_OFFICER)


@bp.get("/")
@officer
def index():
    view = services.destruction_list(
        current_user,
        g.region,
        status=request.args.get("status", rules.VOORGESTELD),
        page=page_number(),
    )
    return render_template(
        "retention/index.html",
        view=view,
        machine=rules.ENTRY,
        statuses=rules.LIST_STATUSES,
        record_types=rules.RECORD_TYPES,
        form=ContinueForm(),
    )


@bp.post("/opstellen")
@officer
def draft():
    if not ContinueForm().validate_on_submit():
        return redirect(url_for("retention.index"))
    try:
        result = services.draft_destruction_list(g.region, local_today(), actor=current_user)
    except DomainError as error:
        if error.status_code in (403, 404):
            raise
        flash(error.message, "error")
    else:
        flash(
            _(
                "De lijst is bijgewerkt: %(added)s voorgesteld, %(withdrawn)s ingetrokken.",
                added=result.added,
                withdrawn=result.withdrawn,
            ),
            "ok",
        )
    return redirect(url_for("retention.index"))


# ---------------------------------------------------------------- rules


@bp.get("/regels")
@officer
def rules_page():
    return render_template(
        "retention/rules.html",
        current=services.current_rules(g.region.id),
        history=services.rule_history(g.region),
        record_types=rules.RECORD_TYPES,
        unconfirmed_text=rules.UNCONFIRMED_TEXT,
        provisional_text=rules.PROVISIONAL_TEXT,
    )


@bp.route("/regels/<record_type>", methods=["GET", "POST"])
@officer
def edit_rule(record_type):
    kind = services.record_type(record_type)
    current = services.current_rules(g.region.id)[kind.key]
    form = RuleForm()
    code = 200
    if form.validate_on_submit():
        try:
            services.set_rule(
                current_user,
                g.region,
                kind.key,
                months=form.period_months.data,
                unconfirmed=form.unconfirmed.data,
                reason=form.reason.data,
                version=parse_int(form.version.data),
            )
        except DomainError as error:
            if error.status_code in (403, 404):
                raise
            db.session.rollback()
            if error.status_code == 409:
                code = 409
                flash(error.message, "error")
            else:
                getattr(form, error.field or "period_months").errors.append(error.message)
            current = services.current_rules(g.region.id)[kind.key]
        else:
            flash(_("De bewaarregel is opgeslagen."), "ok")
            return redirect(url_for("retention.rules_page"))
    if not form.is_submitted():
        form.period_months.data = str(current.months)
        form.unconfirmed.data = current.unconfirmed
    form.version.data = str(current.version_no)
    return render_template(
        "retention/rule_form.html",
        kind=kind,
        current=current,
        form=form,
        unconfirmed_text=rules.UNCONFIRMED_TEXT,
        provisional_text=rules.PROVISIONAL_TEXT,
        page_has_errors=bool(form.errors),
    ), code


# ---------------------------------------------------------------- one entry


def _entry_page(entry_id, *, extend_form=None, hold_form=None, lift_form=None, code=200):
    view = services.entry_view(current_user, g.region, entry_id)
    extend_form = extend_form or ExtendForm(formdata=None)
    hold_form = hold_form or HoldForm(formdata=None)
    lift_form = lift_form or LiftForm(formdata=None)
    return render_template(
        "retention/entry.html",
        view=view,
        entry=view.entry,
        machine=rules.ENTRY,
        record_types=rules.RECORD_TYPES,
        blocker_label=rules.blocker_label,
        blocker_texts=[rules.blocker_label(code) for code in view.blockers],
        unconfirmed_text=rules.UNCONFIRMED_TEXT,
        extend_form=extend_form,
        hold_form=hold_form,
        lift_form=lift_form,
        today=local_today(),
        page_has_errors=bool(extend_form.errors or hold_form.errors or lift_form.errors),
    ), code


@bp.get("/<uuid:entry_id>")
@officer
def entry(entry_id):
    return _entry_page(entry_id)


def _review(entry_id, form, apply, done: str, form_name: str, default_field: str):
    """Run one review step: a form error stays at its field, a stale step shows the newest
    state with a 409, a refusal is shown on the page, success goes back to the entry."""
    item = services.get_entry(g.region, entry_id)  # 404 for another region's id first
    if form.validate_on_submit():
        try:
            apply(item, form)
        except DomainError as error:
            if error.status_code in (403, 404):
                raise
            db.session.rollback()
            if error.status_code == 409:
                flash(error.message, "error")
                return _entry_page(entry_id, code=409)
            target = getattr(form, error.field or "", None)
            if target is None:
                flash(error.message, "error")
                return redirect(url_for("retention.entry", entry_id=item.id))
            target.errors.append(error.message)
        else:
            flash(done, "ok")
            return redirect(url_for("retention.entry", entry_id=item.id))
    return _entry_page(entry_id, **{form_name: form})


@bp.post("/<uuid:entry_id>/verlengen")
@officer
def extend(entry_id):
    return _review(
        entry_id,
        ExtendForm(),
        lambda item, form: services.extend(
            current_user,
            g.region,
            item,
            until=form.until.data,
            reason=form.reason.data,
            version=parse_int(form.version.data),
        ),
        _("De bewaartermijn is verlengd."),
        "extend_form",
        "until",
    )


@bp.post("/<uuid:entry_id>/blokkade")
@officer
def hold(entry_id):
    return _review(
        entry_id,
        HoldForm(),
        lambda item, form: services.place_hold(
            current_user,
            g.region,
            item,
            reason=form.reason.data,
            version=parse_int(form.version.data),
        ),
        _("De juridische blokkade is vastgelegd; deze persoon wordt niet vernietigd."),
        "hold_form",
        "reason",
    )


@bp.post("/<uuid:entry_id>/blokkade-opheffen")
@officer
def lift_hold(entry_id):
    return _review(
        entry_id,
        LiftForm(),
        lambda item, form: services.lift_hold(
            current_user,
            g.region,
            item,
            reason=form.reason.data,
            version=parse_int(form.version.data),
        ),
        _("De juridische blokkade is opgeheven."),
        "lift_form",
        "reason",
    )


@bp.post("/<uuid:entry_id>/goedkeuren")
@officer
def approve(entry_id):
    """First POST: the confirmation page. Second POST with confirmed=ja: destroy."""
    item = services.get_entry(g.region, entry_id)
    form = ApproveForm()
    if not form.validate_on_submit():
        return redirect(url_for("retention.entry", entry_id=item.id))
    if form.confirmed.data != "ja":
        return render_template(
            "retention/confirm.html",
            entry=item,
            version=parse_int(form.version.data),
            record_types=rules.RECORD_TYPES,
        )
    try:
        services.approve(current_user, g.region, item, version=parse_int(form.version.data))
    except DomainError as error:
        if error.status_code in (403, 404):
            raise
        db.session.rollback()
        flash(error.message, "error")
        if error.status_code == 409:
            return _entry_page(entry_id, code=409)
        return redirect(url_for("retention.entry", entry_id=item.id))
    flash(_("De gegevens van deze persoon zijn vernietigd."), "ok")
    return redirect(url_for("retention.report"))


# ---------------------------------------------------------------- the destruction report


@bp.get("/vernietigd")
@officer
def report():
    if request.args.get("formaat") == "csv":
        return csv_response(
            "vernietigingsrapport.csv",
            [
                _("Vernietigd op"),
                _("Soort gegevens"),
                _("Bewaartermijn (maanden)"),
                _("Termijn voorlopig"),
                _("Aanleiding op"),
                _("Termijn verstreken op"),
                _("Goedgekeurd door"),
                _("Persoonskenmerk (tombstone)"),
                _("Kenmerk vermelding"),
            ],
            services.destruction_report_rows(current_user, g.region),
        )
    pagination, approvers = services.destruction_report(current_user, g.region, page=page_number())
    return render_template(
        "retention/report.html",
        pagination=pagination,
        approvers=approvers,
        record_types=rules.RECORD_TYPES,
    )
