"""User administration screens (functioneel beheerder) and the administration log."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from levensloop.audit.services import read_admin_events
from levensloop.auth import admin
from levensloop.auth.forms import ContinueForm, RoleForm, UserEditForm, UserFilterForm, UserForm
from levensloop.auth.models import Role
from levensloop.auth.policy import role_required
from levensloop.db import parse_int, parse_uuid
from levensloop.errors import DomainError
from levensloop.extensions import db
from levensloop.forms import choices
from levensloop.organisations.services import organisations_in
from levensloop.web import page_number

bp = Blueprint("users", __name__, url_prefix="/beheer/gebruikers")

beheerder = role_required(Role.FUNCTIONEEL_BEHEERDER)


def _organisation_choices(include_all: bool = False):
    first = ("", _("Alle organisaties") if include_all else _("Kies een organisatie"))
    return choices([first] + [(str(o.id), o.name) for o in organisations_in(g.region)])


@bp.route("/", methods=["GET", "POST"])
@beheerder
def index():
    """The list with filters. A typed name travels in a POST body only, never in the URL (where
    it would reach access logs and browser history); organisation, role and status are ids and
    codes and stay in the URL so that pages can be linked."""
    form = UserFilterForm(request.form if request.method == "POST" else request.args)
    form.organisation.choices = _organisation_choices(include_all=True)
    form.role.choices = choices([("", _("Alle rollen"))] + [(str(r), r.label) for r in Role])
    form.validate()
    filters = {
        "q": (form.q.data or "").strip()[:100] if request.method == "POST" else "",
        "organisation": form.organisation.data or "",
        "role": form.role.data or "",
        "status": form.status.data or "",
    }
    pagination = admin.list_users(
        g.region,
        q=filters["q"],
        organisation_id=parse_uuid(filters["organisation"]),
        role=filters["role"],
        status=filters["status"],
        page=page_number(),
    )
    return render_template(
        "users/index.html",
        pagination=pagination,
        form=form,
        filters={k: v for k, v in filters.items() if v and k != "q"},
        any_filter=any(filters.values()),
    )


@bp.route("/nieuw", methods=["GET", "POST"])
@beheerder
def create():
    form = UserForm()
    form.organisation.choices = _organisation_choices()
    if form.validate_on_submit():
        try:
            user, password = admin.create_user(
                current_user,
                g.region,
                username=form.username.data,
                display_name=form.display_name.data,
                email=form.email.data,
                organisation_id=parse_uuid(form.organisation.data),
                roles=[Role(r) for r in form.roles.data],
            )
        except DomainError as error:
            getattr(form, error.field or "username").errors.append(error.message)
        else:
            return render_template(
                "users/password_issued.html", user=user, password=password, created=True
            )
    return render_template("users/form.html", form=form, page_has_errors=bool(form.errors))


@bp.route("/<uuid:user_id>", methods=["GET", "POST"])
@beheerder
def detail(user_id):
    user = admin.get_user(g.region, user_id)
    form = UserEditForm(obj=None if request.method == "POST" else user)
    form.organisation.choices = _organisation_choices()
    if request.method == "GET":
        form.organisation.data = str(user.organisation_id)
        form.version.data = str(user.version)
    elif form.validate_on_submit():
        try:
            admin.update_user(
                current_user,
                g.region,
                user,
                display_name=form.display_name.data,
                email=form.email.data,
                organisation_id=parse_uuid(form.organisation.data),
                version=parse_int(form.version.data),
            )
        except DomainError as error:
            if error.status_code == 409:
                db.session.refresh(user)
                flash(error.message, "error")
                return render_template(
                    "users/detail.html",
                    user=user,
                    form=_fresh_edit_form(user),
                    role_form=RoleForm(),
                    action_form=ContinueForm(),
                    stale_form=form,
                    page_has_errors=True,
                ), 409
            getattr(form, error.field or "display_name").errors.append(error.message)
        else:
            flash(_("De gegevens zijn opgeslagen."), "ok")
            return redirect(url_for("users.detail", user_id=user.id))
    return render_template(
        "users/detail.html",
        user=user,
        form=form,
        role_form=RoleForm(),
        action_form=ContinueForm(),
        page_has_errors=bool(form.errors),
    )


def _fresh_edit_form(user):
    form = UserEditForm(formdata=None, obj=user)
    form.organisation.choices = _organisation_choices()
    form.organisation.data = str(user.organisation_id)
    form.version.data = str(user.version)
    return form


@bp.post("/<uuid:user_id>/rollen")
@beheerder
def add_role(user_id):
    user = admin.get_user(g.region, user_id)
    form = RoleForm()
    if form.validate_on_submit():
        try:
            admin.add_role(current_user, g.region, user, Role(form.role.data))
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(_("De rol is toegekend."), "ok")
    else:
        flash(_("Kies een geldige rol."), "error")
    return redirect(url_for("users.detail", user_id=user.id))


@bp.post("/<uuid:user_id>/rollen/<uuid:assignment_id>/intrekken")
@beheerder
def remove_role(user_id, assignment_id):
    user = admin.get_user(g.region, user_id)
    try:
        admin.remove_role(current_user, g.region, user, assignment_id)
    except DomainError as error:
        if error.status_code == 404:
            raise
        flash(error.message, "error")
    else:
        flash(_("De rol is ingetrokken."), "ok")
    return redirect(url_for("users.detail", user_id=user.id))


# Destructive or security-relevant actions ask for confirmation on a page of their own.
ACTIONS = {
    "2fa-resetten": (
        _("Tweestapsverificatie resetten"),
        _(
            "De gebruiker moet bij de volgende keer inloggen de authenticator-app opnieuw "
            "koppelen. Alle sessies van de gebruiker worden beëindigd en de herstelcodes "
            "vervallen."
        ),
        "danger",
    ),
    "wachtwoord-resetten": (
        _("Wachtwoord resetten"),
        _(
            "U krijgt een eenmalig wachtwoord te zien dat u veilig aan de gebruiker "
            "doorgeeft. De gebruiker moet het bij het inloggen direct wijzigen. Alle "
            "sessies van de gebruiker worden beëindigd."
        ),
        "danger",
    ),
    "deactiveren": (
        _("Account deactiveren"),
        _(
            "De gebruiker kan niet meer inloggen en alle sessies worden direct beëindigd. U "
            "kunt het account later weer activeren."
        ),
        "danger",
    ),
    "activeren": (_("Account activeren"), _("De gebruiker kan weer inloggen."), "primary-action"),
}


@bp.route(
    "/<uuid:user_id>/<any('2fa-resetten', 'wachtwoord-resetten', 'deactiveren', "
    "'activeren'):action>",
    methods=["GET", "POST"],
)
@beheerder
def confirm_action(user_id, action):
    user = admin.get_user(g.region, user_id)
    title, explanation, appearance = ACTIONS[action]
    form = ContinueForm()
    if form.validate_on_submit():
        try:
            if action == "2fa-resetten":
                admin.reset_totp(current_user, g.region, user)
                flash(_("De tweestapsverificatie is gereset."), "ok")
            elif action == "wachtwoord-resetten":
                password = admin.reset_password(current_user, g.region, user)
                return render_template(
                    "users/password_issued.html", user=user, password=password, created=False
                )
            elif action == "deactiveren":
                admin.set_active(current_user, g.region, user, False)
                flash(_("Het account is gedeactiveerd en alle sessies zijn beëindigd."), "ok")
            else:
                admin.set_active(current_user, g.region, user, True)
                flash(_("Het account is weer actief."), "ok")
        except DomainError as error:
            flash(error.message, "error")
        return redirect(url_for("users.detail", user_id=user.id))
    return render_template(
        "users/confirm.html",
        user=user,
        form=form,
        title=title,
        explanation=explanation,
        appearance=appearance,
    )


@bp.get("/logboek")
@role_required(Role.FUNCTIONEEL_BEHEERDER, Role.PRIVACY_OFFICER)
def events():
    event_type = request.args.get("gebeurtenis", "")
    pagination = read_admin_events(
        current_user, g.region.id, event_type=event_type, page=page_number()
    )
    return render_template("users/events.html", pagination=pagination, event_type=event_type)
