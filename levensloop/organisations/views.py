"""Organisation administration (functioneel beheerder), scoped to the current region."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from levensloop.auth.models import Role
from levensloop.auth.policy import role_required
from levensloop.db import parse_int
from levensloop.errors import DomainError
from levensloop.extensions import db
from levensloop.forms import choices
from levensloop.organisations import services
from levensloop.organisations.forms import (
    OrganisationEditForm,
    OrganisationFilterForm,
    OrganisationForm,
    type_choices,
)
from levensloop.organisations.models import OrganisationType
from levensloop.web import page_number

bp = Blueprint("organisations", __name__, url_prefix="/beheer/organisaties")
beheerder = role_required(Role.FUNCTIONEEL_BEHEERDER)


@bp.get("/")
@beheerder
def index():
    form = OrganisationFilterForm(request.args)
    form.type.choices = choices([("", _("Alle soorten"))]) + type_choices()
    form.validate()
    filters = {
        "q": (form.q.data or "").strip()[:100],
        "type": form.type.data or "",
        "status": form.status.data or "",
    }
    pagination = services.list_organisations(
        g.region,
        q=filters["q"],
        type_=filters["type"],
        status=filters["status"],
        page=page_number(),
    )
    return render_template(
        "organisations/index.html",
        pagination=pagination,
        form=form,
        filters={k: v for k, v in filters.items() if v},
        any_filter=any(filters.values()),
    )


@bp.route("/nieuw", methods=["GET", "POST"])
@beheerder
def create():
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            services.create_organisation(
                current_user, g.region, name=form.name.data, type_=OrganisationType(form.type.data)
            )
        except DomainError as error:
            getattr(form, error.field or "name").errors.append(error.message)
        else:
            flash(_("De organisatie is toegevoegd."), "ok")
            return redirect(url_for("organisations.index"))
    return render_template(
        "organisations/form.html", form=form, organisation=None, page_has_errors=bool(form.errors)
    )


@bp.route("/<uuid:organisation_id>", methods=["GET", "POST"])
@beheerder
def edit(organisation_id):
    organisation = services.get_organisation(g.region, organisation_id)
    form = OrganisationEditForm(obj=None if request.method == "POST" else organisation)
    if request.method == "GET":
        form.type.data = str(organisation.type)
        form.version.data = str(organisation.version)
    elif form.validate_on_submit():
        try:
            services.update_organisation(
                current_user,
                g.region,
                organisation,
                name=form.name.data,
                type_=OrganisationType(form.type.data),
                active=form.active.data,
                version=parse_int(form.version.data),
            )
        except DomainError as error:
            if error.status_code == 409:
                db.session.refresh(organisation)
                flash(error.message, "error")
                fresh = OrganisationEditForm(formdata=None, obj=organisation)
                fresh.type.data = str(organisation.type)
                fresh.version.data = str(organisation.version)
                return render_template(
                    "organisations/form.html",
                    form=fresh,
                    organisation=organisation,
                    stale_form=form,
                    page_has_errors=True,
                ), 409
            getattr(form, error.field or "name").errors.append(error.message)
        else:
            flash(_("De organisatie is opgeslagen."), "ok")
            return redirect(url_for("organisations.index"))
    return render_template(
        "organisations/form.html",
        form=form,
        organisation=organisation,
        page_has_errors=bool(form.errors),
    )
