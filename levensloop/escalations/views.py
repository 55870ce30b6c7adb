"""The escalation route: the board, a person's escalations, one escalation with its chain and
its actions, a new escalation from a person's file, and the region's levels (beheer)."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

import levensloop.escalations.timeline  # noqa: F401  (registers the timeline provider)
from levensloop.auth.forms import ContinueForm
from levensloop.auth.models import Role
from levensloop.auth.policy import has_role, role_required
from levensloop.db import parse_int, parse_uuid
from levensloop.errors import DomainError
from levensloop.escalations import board as pages
from levensloop.escalations import services, sla
from levensloop.escalations import settings as route
from levensloop.escalations import states as s
from levensloop.escalations.forms import (
    EscalateForm,
    EscalationForm,
    ExtendForm,
    LevelsForm,
    ResolveForm,
    SuspendForm,
    WithdrawForm,
)
from levensloop.extensions import db
from levensloop.organisations.services import organisations_in
from levensloop.persons import services as persons
from levensloop.sharing import policy
from levensloop.web import page_number

bp = Blueprint("escalations", __name__)
handlers = role_required(Role.PROCESREGISSEUR, Role.LEVENSLOOPCOORDINATOR)
LEVEL_VALUES = {str(level): level for level in s.LEVELS}

PERSON = "/personen/<uuid:person_id>/escalaties"
ONE = PERSON + "/<uuid:escalation_id>"


def _common() -> dict:
    return {
        "machine": s.ESCALATION,
        "badges": s.BADGES,
        "reason_label": s.reason_label,
        "level3_type_label": s.level3_type_label,
    }


# ---------------------------------------------------------------- the board


@bp.get("/escalaties/")
@handlers
def index():
    args = request.args
    level = args.get("niveau", "")
    status = args.get("status", "")
    filters = pages.BoardFilters(
        level=LEVEL_VALUES.get(level),
        status=status if status in pages.STATUS_FILTERS else pages.LOPEND,
    )
    board = pages.board(current_user, g.region, filters, page=page_number())
    params = {}
    if filters.level is not None:
        params["niveau"] = str(filters.level)
    if filters.status != pages.LOPEND:
        params["status"] = filters.status
    return render_template(
        "escalations/index.html",
        board=board,
        filters=filters,
        params=params,
        status_filters=pages.STATUS_FILTERS,
        **_common(),
    )


# ---------------------------------------------------------------- a person's escalations


@bp.get(PERSON)
@handlers
def person_index(person_id):
    person, decision = persons.get_person(current_user, g.region, person_id)
    view = pages.person_escalations(current_user, g.region, person)
    return render_template(
        "escalations/person.html",
        person=persons.header_view(person, decision),
        tab="escalaties",
        view=view,
        **_common(),
    )


@bp.route(PERSON + "/nieuw", methods=["GET", "POST"])
@handlers
def new(person_id):
    person, decision = persons.get_person(current_user, g.region, person_id, need=policy.UPDATE)
    levels = sla.levels_of(g.region.id)
    form = EscalationForm()
    may_go_high = has_role(Role.PROCESREGISSEUR)
    form.level.choices = [
        (
            str(level),
            ngettext(
                "%(level)s – %(name)s (%(num)s werkdag)",
                "%(level)s – %(name)s (%(num)s werkdagen)",
                levels[level].response_days,
                level=level,
                name=levels[level].name,
            ),
        )
        for level in s.LEVELS
        if may_go_high or level <= 1
    ]
    form.owner_organisation.choices = [("", _("Volgt uit het niveau (aanbevolen)"))] + [
        (str(o.id), o.name) for o in organisations_in(g.region)
    ]
    if not form.is_submitted():
        form.level.data = "0"
    if form.validate_on_submit():
        try:
            escalation = services.open_escalation(
                current_user,
                g.region,
                person,
                reason=form.reason.data or "",
                description=form.description.data or "",
                level=LEVEL_VALUES.get(form.level.data or "", -1),
                owner_organisation_id=parse_uuid(form.owner_organisation.data),
                level3_type=form.level3_type.data or None,
            )
        except services.InvalidInput as invalid:
            db.session.rollback()
            for name, message in invalid.errors.items():
                getattr(form, name).errors.append(message)
        except DomainError as error:
            if error.status_code in (403, 404):
                raise
            db.session.rollback()
            target = getattr(form, error.field, None) if error.field else None
            (target.errors if target is not None else form.form_errors).append(error.message)
        else:
            flash(_("De escalatie is geopend."), "ok")
            return redirect(
                url_for("escalations.detail", person_id=person.id, escalation_id=escalation.id)
            )
    return render_template(
        "escalations/new.html",
        person=persons.header_view(person, decision),
        tab="escalaties",
        form=form,
        levels=levels,
        may_go_high=may_go_high,
        page_has_errors=bool(form.errors),
        **_common(),
    )


# ---------------------------------------------------------------- one escalation


def _load(person_id, escalation_id):
    person, decision = persons.get_person(current_user, g.region, person_id)
    escalation = services.get_escalation(g.region, person, escalation_id)
    return person, decision, escalation


def _forms(**given) -> dict:
    forms = {
        "take": ContinueForm,
        "escalate": EscalateForm,
        "resolve": ResolveForm,
        "suspend": SuspendForm,
        "extend": ExtendForm,
    }
    return {key: given.get(key) or make() for key, make in forms.items()}


def _detail(person, decision, escalation, *, forms=None, problem=None, code=200):
    view = pages.detail(current_user, g.region, person, escalation)
    forms = forms or _forms()
    return render_template(
        "escalations/detail.html",
        person=persons.header_view(person, decision),
        tab="escalaties",
        view=view,
        forms=forms,
        problem=problem,
        page_has_errors=bool(problem) or any(f.errors for f in forms.values()),
        **_common(),
    ), code


@bp.get(ONE)
@handlers
def detail(person_id, escalation_id):
    person, decision, escalation = _load(person_id, escalation_id)
    return _detail(person, decision, escalation)


def _act(person_id, escalation_id, key: str, run, done: str, fields: dict | None = None):
    """Load, check who may act, validate the form, call the service, map its errors."""
    person, decision, escalation = _load(person_id, escalation_id)
    services.require_handler(current_user, g.region, person, escalation)
    form = _forms()[key]
    if form.validate_on_submit():
        try:
            result = run(person, escalation, form, parse_int(request.form.get("version")))
        except services.InvalidInput as invalid:
            db.session.rollback()
            for name, message in invalid.errors.items():
                getattr(form, (fields or {}).get(name, name)).errors.append(message)
        except DomainError as error:
            if error.status_code in (403, 404):
                raise
            db.session.rollback()
            return _detail(
                person,
                decision,
                escalation,
                forms=_forms(**{key: form}),
                problem=error.message,
                code=error.status_code,
            )
        else:
            flash(done, "ok")
            return redirect(
                url_for("escalations.detail", person_id=person.id, escalation_id=result.id)
            )
    return _detail(person, decision, escalation, forms=_forms(**{key: form}))


@bp.post(ONE + "/in-behandeling")
@handlers
def take(person_id, escalation_id):
    def run(person, escalation, form, version):
        return services.start_handling(current_user, g.region, person, escalation, version=version)

    return _act(person_id, escalation_id, "take", run, _("De escalatie is in behandeling."))


@bp.post(ONE + "/opschalen")
@handlers
def escalate(person_id, escalation_id):
    def run(person, escalation, form, version):
        return services.escalate(
            current_user,
            g.region,
            person,
            escalation,
            motivation=form.motivation.data or "",
            level3_type=form.escalate_type.data or None,
            version=version,
        )

    return _act(
        person_id,
        escalation_id,
        "escalate",
        run,
        _("De escalatie is opgeschaald naar het volgende niveau."),
        fields={"level3_type": "escalate_type"},
    )


@bp.post(ONE + "/oplossen")
@handlers
def resolve(person_id, escalation_id):
    def run(person, escalation, form, version):
        return services.resolve(
            current_user,
            g.region,
            person,
            escalation,
            outcome=form.outcome.data or "",
            version=version,
        )

    return _act(person_id, escalation_id, "resolve", run, _("De escalatie is opgelost."))


@bp.post(ONE + "/opschorten")
@handlers
def suspend(person_id, escalation_id):
    def run(person, escalation, form, version):
        return services.suspend(
            current_user,
            g.region,
            person,
            escalation,
            until=form.suspend_until.data,
            reason=form.suspend_reason.data or "",
            version=version,
        )

    return _act(
        person_id,
        escalation_id,
        "suspend",
        run,
        _("De escalatie is opgeschort; de termijn is aangepast."),
        fields={"until": "suspend_until", "reason": "suspend_reason"},
    )


@bp.post(ONE + "/verlengen")
@handlers
def extend(person_id, escalation_id):
    def run(person, escalation, form, version):
        return services.extend(
            current_user,
            g.region,
            person,
            escalation,
            new_due=form.extend_due.data,
            reason=form.extend_reason.data or "",
            version=version,
        )

    return _act(
        person_id,
        escalation_id,
        "extend",
        run,
        _("De termijn is verlengd."),
        fields={"new_due": "extend_due", "reason": "extend_reason"},
    )


@bp.route(ONE + "/intrekken", methods=["GET", "POST"])
@handlers
def withdraw(person_id, escalation_id):
    """Withdrawing closes the escalation for good: it asks for confirmation on a page of its
    own, with the reason."""
    person, decision, escalation = _load(person_id, escalation_id)
    services.require_handler(current_user, g.region, person, escalation)
    form = WithdrawForm()
    problem = None
    if form.validate_on_submit():
        try:
            services.withdraw(
                current_user,
                g.region,
                person,
                escalation,
                reason=form.withdraw_reason.data or "",
                version=parse_int(request.form.get("version")),
            )
        except services.InvalidInput as invalid:
            db.session.rollback()
            form.withdraw_reason.errors.append(next(iter(invalid.errors.values())))
        except DomainError as error:
            if error.status_code in (403, 404):
                raise
            db.session.rollback()
            problem = error.message
        else:
            flash(_("De escalatie is ingetrokken."), "ok")
            return redirect(
                url_for("escalations.detail", person_id=person.id, escalation_id=escalation.id)
            )
    view = pages.detail(current_user, g.region, person, escalation)
    return render_template(
        "escalations/withdraw.html",
        person=persons.header_view(person, decision),
        tab="escalaties",
        view=view,
        form=form,
        problem=problem,
        page_has_errors=bool(form.errors or problem),
        **_common(),
    ), (409 if problem else 200)


# ---------------------------------------------------------------- the region's levels


@bp.route("/beheer/escalatieroute", methods=["GET", "POST"])
@role_required(Role.FUNCTIONEEL_BEHEERDER)
def settings():
    levels = sla.levels_of(g.region.id)
    form = LevelsForm()
    problem = None
    if form.validate_on_submit():
        try:
            changed = route.set_levels(
                current_user,
                g.region,
                names={level: form.level_fields(level)[0].data for level in s.LEVELS},
                days={level: form.level_fields(level)[1].data for level in s.LEVELS},
                reason=form.reason.data or "",
                stamp=form.stamp.data,
            )
        except services.InvalidInput as invalid:
            db.session.rollback()
            for name, message in invalid.errors.items():
                getattr(form, name).errors.append(message)
        except DomainError as error:
            if error.status_code in (403, 404):
                raise
            db.session.rollback()
            if error.status_code == 409:
                problem = error.message
                levels = sla.levels_of(g.region.id)
            else:
                form.form_errors.append(error.message)
        else:
            flash(
                ngettext(
                    "De escalatieroute is gewijzigd (%(num)s niveau).",
                    "De escalatieroute is gewijzigd (%(num)s niveaus).",
                    len(changed),
                ),
                "ok",
            )
            return redirect(url_for("escalations.settings"))
    if not form.is_submitted():
        for level in s.LEVELS:
            name, days = form.level_fields(level)
            name.data, days.data = levels[level].name, str(levels[level].response_days)
    form.stamp.data = route.settings_stamp(levels)
    return render_template(
        "escalations/settings.html",
        form=form,
        levels=levels,
        defaults=sla.DEFAULTS,
        level3_types=s.LEVEL3_TYPES,
        problem=problem,
        page_has_errors=bool(form.errors or form.form_errors or problem),
    ), (409 if problem else 200)
