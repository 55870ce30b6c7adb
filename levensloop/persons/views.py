"""Person registry screens: list, search, create, view, edit."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from levensloop.auth.models import Role
from levensloop.auth.policy import role_required
from levensloop.db import parse_int
from levensloop.errors import DomainError
from levensloop.extensions import db
from levensloop.persons import services
from levensloop.persons.forms import PersonForm, PersonSearchForm
from levensloop.persons.models import PERSON_FIELDS

bp = Blueprint("persons", __name__, url_prefix="/personen")

# Until the sharing policy arrives, the registry is for the region's case roles only.
case_roles = role_required(Role.PROCESREGISSEUR, Role.LEVENSLOOPCOORDINATOR)


def _input(form: PersonForm) -> services.PersonInput:
    return services.PersonInput(**{name: getattr(form, name).data for name in PERSON_FIELDS})


@bp.route("/", methods=["GET", "POST"])
@case_roles
def index():
    """The list, and the search. Search terms travel in a POST body, never in the URL (they
    would end up in access logs and browser history)."""
    form = PersonSearchForm()
    searched = request.method == "POST"
    results = None
    if searched and form.validate_on_submit():
        if not any((form.bsn.data, form.achternaam.data)):
            form.bsn.errors.append(_("Zoek op BSN, of op achternaam (eventueel met voornaam en geboortedatum)."))
        else:
            try:
                results = services.search(current_user, g.region, bsn=form.bsn.data, achternaam=form.achternaam.data,
                                          voornaam=form.voornaam.data, geboortedatum=form.geboortedatum.data)
            except DomainError as error:
                getattr(form, error.field or "bsn").errors.append(error.message)
    pagination = None if searched else services.list_persons(g.region, page=parse_int(request.args.get("page"), 1) or 1)
    return render_template("persons/index.html", form=form, results=results, pagination=pagination,
                           searched=searched, page_has_errors=bool(form.errors))


@bp.route("/nieuw", methods=["GET", "POST"])
@case_roles
def create():
    form = PersonForm()
    duplicates = []
    if form.validate_on_submit():
        try:
            person = services.create_person(current_user, g.region, _input(form),
                                            confirm_duplicate=form.confirm_duplicate.data)
        except services.PossibleDuplicate as warning:
            duplicates = warning.candidates
            form.confirm_duplicate.errors.append(warning.message)
        except DomainError as error:
            getattr(form, error.field or "achternaam").errors.append(error.message)
        else:
            flash(_("De persoon is geregistreerd."), "ok")
            return redirect(url_for("persons.detail", person_id=person.id))
    return render_template("persons/form.html", form=form, person=None, duplicates=duplicates,
                           page_has_errors=bool(form.errors))


@bp.get("/<uuid:person_id>")
@case_roles
def detail(person_id):
    person = services.get_person(current_user, g.region, person_id)
    return render_template("persons/detail.html", person=person)


@bp.route("/<uuid:person_id>/bewerken", methods=["GET", "POST"])
@case_roles
def edit(person_id):
    person = services.get_person(current_user, g.region, person_id, audit=request.method == "GET")
    if person.is_shredded:
        flash(_("De gegevens van deze persoon zijn vernietigd en kunnen niet worden gewijzigd."), "warning")
        return redirect(url_for("persons.detail", person_id=person.id))
    form = PersonForm(obj=None if request.method == "POST" else person)
    if request.method == "GET":
        form.version.data = str(person.version)
    elif form.validate_on_submit():
        try:
            services.update_person(current_user, g.region, person, _input(form), version=parse_int(form.version.data))
        except DomainError as error:
            if error.status_code == 409:
                db.session.rollback()
                db.session.refresh(person)
                fresh = PersonForm(formdata=None, obj=person)
                fresh.version.data = str(person.version)
                flash(error.message, "error")
                return render_template("persons/form.html", form=fresh, person=person, stale_form=form,
                                       duplicates=[], page_has_errors=True), 409
            getattr(form, error.field or "achternaam").errors.append(error.message)
        else:
            flash(_("De wijzigingen zijn opgeslagen."), "ok")
            return redirect(url_for("persons.detail", person_id=person.id))
    return render_template("persons/form.html", form=form, person=person, duplicates=[],
                           page_has_errors=bool(form.errors))
