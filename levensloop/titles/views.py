"""The tab "titels en plaatsingen" of a person's file: legal titles, the behandelgeschiedenis
(placements and refusals) and the carrousel signal."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

import levensloop.titles.timeline  # noqa: F401  (registers the timeline provider)
from levensloop.auth.models import Role
from levensloop.auth.policy import role_required
from levensloop.db import local_today, parse_int, parse_uuid
from levensloop.errors import DomainError
from levensloop.extensions import db
from levensloop.forms import choices
from levensloop.organisations.services import organisations_in
from levensloop.persons import services as persons
from levensloop.sharing import policy
from levensloop.titles import rules, services
from levensloop.titles.forms import (
    EndPlacementForm,
    ExtensionForm,
    PlacementForm,
    RefusalForm,
    StatusForm,
    TitleForm,
)
from levensloop.titles.states import (
    BADGES,
    DESTRUCTIVE,
    FINANCIERS,
    SECURITY_LEVELS,
    SETTINGS,
    SUPERVISORS,
    TITLE,
)

bp = Blueprint("titles", __name__, url_prefix="/personen/<uuid:person_id>/titels")
case_roles = role_required(
    Role.PROCESREGISSEUR, Role.LEVENSLOOPCOORDINATOR, Role.KETENPARTNER, Role.CASUSREGISSEUR
)

LABELS = {
    "machine": TITLE,
    "badges": BADGES,
    "financiers": FINANCIERS,
    "supervisors": SUPERVISORS,
    "settings": SETTINGS,
    "levels": SECURITY_LEVELS,
}


def _load(person_id, need="read"):
    return persons.get_person(current_user, g.region, person_id, need=need)


def _organisation_choices(first_label):
    return choices([("", first_label)] + [(str(o.id), o.name) for o in organisations_in(g.region)])


def _title_form(person) -> TitleForm:
    form = TitleForm(prefix="titel")
    visible = policy.visible_categories(current_user, person) & services.TITLE_CATEGORIES
    form.title_type.choices = choices(
        [("", _("Kies het soort titel"))]
        + [(t.code, services.type_choice_label(t)) for t in services.title_types(visible)]
    )
    form.executor.choices = _organisation_choices(_("Onbekend of niet in de regio"))
    return form


def _provider_form(form_class, prefix):
    form = form_class(prefix=prefix)
    form.provider_organisation.choices = _organisation_choices(_("Niet in de lijst"))
    return form


def _page(person, decision, *, title_form=None, placement_form=None, refusal_form=None):
    view = services.titles_view(current_user, g.region, person, decision)
    title_form = title_form or _title_form(person)
    placement_form = placement_form or _provider_form(PlacementForm, "plaatsing")
    refusal_form = refusal_form or _provider_form(RefusalForm, "weigering")
    forms = (title_form, placement_form, refusal_form)
    return render_template(
        "titles/index.html",
        person=persons.header_view(person, decision),
        tab="titels",
        view=view,
        title_form=title_form,
        placement_form=placement_form,
        refusal_form=refusal_form,
        labels=LABELS,
        format_term=services.format_term,
        page_has_errors=any(f.errors for f in forms),
    )


def _field_error(form, error: DomainError, default: str) -> None:
    """Put a service's message at the field it names (or the form's main field)."""
    target = getattr(form, error.field or default, None) or getattr(form, default)
    target.errors = [*target.errors, error.message]


def _version(value) -> int | None:
    """The version a form was made from; None when the form did not send one."""
    return parse_int(value, -1) if (value or "").strip() else None


def _tab(person, anchor: str = ""):
    return redirect(url_for("titles.index", person_id=person.id) + anchor)


@bp.get("")
@case_roles
def index(person_id):
    person, decision = _load(person_id)
    return _page(person, decision)


@bp.post("/nieuw-titel")
@case_roles
def create_title(person_id):
    person, decision = _load(person_id, need=policy.UPDATE)
    form = _title_form(person)
    services.check_title_type(current_user, person, (form.title_type.raw_data or [None])[0])
    if form.validate_on_submit():
        try:
            services.create_title(
                current_user,
                g.region,
                person,
                type_code=form.title_type.data,
                start_date=form.start_date.data,
                expected_end=form.expected_end.data,
                executor_organisation_id=parse_uuid(form.executor.data),
                financier=form.financier.data or None,
                supervisor=form.supervisor.data or None,
                conditions=form.conditions.data,
                legal_basis_note=form.legal_basis_note.data,
            )
        except DomainError as error:
            if error.status_code in (403, 404):
                raise
            db.session.rollback()
            _field_error(form, error, "title_type")
        else:
            flash(_("De titel is vastgelegd."), "ok")
            return _tab(person, "#titels")
    return _page(person, decision, title_form=form)


@bp.route("/<uuid:title_id>/status", methods=["GET", "POST"])
@case_roles
def status(person_id, title_id):
    """Change the status of a title; ending or lapsing asks for confirmation first."""
    person, decision = _load(person_id, need=policy.UPDATE)
    title = services.get_title(current_user, person, title_id)
    form = StatusForm()
    form.status.choices = choices(
        [("", _("Kies de nieuwe status"))]
        + [
            (s, TITLE.label(s))
            for s in TITLE.allowed.get(title.status, ())
            if s in services.STATUS_FORM_TARGETS
        ]
    )
    code = 200
    if form.validate_on_submit():
        target = form.status.data
        if target in DESTRUCTIVE and form.confirmed.data != "ja":
            return render_template(
                "titles/confirm.html",
                person=persons.header_view(person, decision),
                tab="titels",
                row=services.title_row(current_user, g.region, person, title),
                form=form,
                target=target,
                on_date=form.on.data or local_today(),
                labels=LABELS,
            )
        try:
            services.change_status(
                current_user,
                g.region,
                person,
                title.id,
                target=target,
                on=form.on.data,
                version=_version(form.version.data),
            )
        except DomainError as error:
            if error.status_code in (403, 404):
                raise
            db.session.rollback()
            if error.status_code == 409:
                code = 409
            _field_error(form, error, "status")
        else:
            flash(_("De status van de titel is nu: %(status)s.", status=TITLE.label(target)), "ok")
            return _tab(person, "#titels")
    if not form.is_submitted():
        form.on.data = local_today()
    form.version.data = str(title.version)
    return render_template(
        "titles/status.html",
        person=persons.header_view(person, decision),
        tab="titels",
        row=services.title_row(current_user, g.region, person, title),
        form=form,
        labels=LABELS,
        page_has_errors=bool(form.errors),
    ), code


@bp.route("/<uuid:title_id>/verlenging", methods=["GET", "POST"])
@case_roles
def extend(person_id, title_id):
    person, decision = _load(person_id, need=policy.UPDATE)
    title = services.get_title(current_user, person, title_id)
    form = ExtensionForm()
    code = 200
    if form.validate_on_submit():
        try:
            services.extend_title(
                current_user,
                g.region,
                person,
                title.id,
                new_end=form.new_end.data,
                decided_on=form.decided_on.data,
                note=form.note.data,
                version=_version(form.version.data),
            )
        except DomainError as error:
            if error.status_code in (403, 404):
                raise
            db.session.rollback()
            if error.status_code == 409:
                code = 409
            _field_error(form, error, "new_end")
        else:
            flash(_("De verlenging is vastgelegd."), "ok")
            return _tab(person, "#titels")
    elif not form.is_submitted():
        form.new_end.data = rules.proposed_extension(title.type, title.expected_end)
        form.decided_on.data = local_today()
    form.version.data = str(title.version)
    return render_template(
        "titles/extension.html",
        person=persons.header_view(person, decision),
        tab="titels",
        row=services.title_row(current_user, g.region, person, title),
        form=form,
        labels=LABELS,
        format_term=services.format_term,
        page_has_errors=bool(form.errors),
    ), code


def _add(person_id, form_class, prefix, run, done, default_field):
    person, decision = _load(person_id, need=policy.UPDATE)
    form = _provider_form(form_class, prefix)
    if form.validate_on_submit():
        try:
            run(person, form)
        except DomainError as error:
            if error.status_code in (403, 404):
                raise
            db.session.rollback()
            _field_error(form, error, default_field)
        else:
            flash(done, "ok")
            return _tab(person, "#behandelgeschiedenis")
    key = "placement_form" if form_class is PlacementForm else "refusal_form"
    return _page(person, decision, **{key: form})


def _level(value) -> int | None:
    text = (value or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 3 else None


@bp.post("/plaatsing")
@case_roles
def add_placement(person_id):
    def run(person, form):
        services.add_placement(
            current_user,
            g.region,
            person,
            provider_organisation_id=parse_uuid(form.provider_organisation.data),
            provider_name=form.provider_name.data,
            setting=form.setting.data,
            security_level=_level(form.security_level.data),
            start_date=form.start_date.data,
            end_date=form.end_date.data,
            end_reason=form.end_reason.data,
        )

    return _add(
        person_id,
        PlacementForm,
        "plaatsing",
        run,
        _("De plaatsing is vastgelegd."),
        "provider_name",
    )


@bp.post("/weigering")
@case_roles
def add_refusal(person_id):
    def run(person, form):
        services.add_refusal(
            current_user,
            g.region,
            person,
            provider_organisation_id=parse_uuid(form.provider_organisation.data),
            provider_name=form.provider_name.data,
            setting=form.setting.data,
            security_level=_level(form.security_level.data),
            refused_on=form.refused_on.data,
            reason=form.reason.data,
        )

    return _add(
        person_id,
        RefusalForm,
        "weigering",
        run,
        _("De weigering is vastgelegd."),
        "reason",
    )


@bp.route("/plaatsing/<uuid:placement_id>/einde", methods=["GET", "POST"])
@case_roles
def end_placement(person_id, placement_id):
    person, decision = _load(person_id, need=policy.UPDATE)
    placement = services.get_placement(current_user, person, placement_id)
    form = EndPlacementForm()
    code = 200
    if form.validate_on_submit():
        try:
            services.end_placement(
                current_user,
                g.region,
                person,
                placement.id,
                end_date=form.end_date.data,
                end_reason=form.end_reason.data,
                version=_version(form.version.data),
            )
        except DomainError as error:
            if error.status_code in (403, 404):
                raise
            db.session.rollback()
            if error.status_code == 409:
                code = 409
            _field_error(form, error, "end_date")
        else:
            flash(_("De plaatsing is beëindigd."), "ok")
            return _tab(person, "#behandelgeschiedenis")
    elif not form.is_submitted():
        form.end_date.data = local_today()
    form.version.data = str(placement.version)
    return render_template(
        "titles/placement_end.html",
        person=persons.header_view(person, decision),
        tab="titels",
        row=services.placement_row(current_user, g.region, person, placement),
        form=form,
        labels=LABELS,
        page_has_errors=bool(form.errors),
    ), code
