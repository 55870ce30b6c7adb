"""Person registry screens: list, search, register, view (by category), edit, sharing and
break-glass."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

# The timeline providers of the modules that live outside their own blueprint.
import levensloop.inclusion.timeline  # noqa: E402,F401
import levensloop.persons.timeline  # noqa: E402,F401
import levensloop.plans.timeline  # noqa: E402,F401
from levensloop.auth.models import Role
from levensloop.auth.policy import role_required
from levensloop.db import local_today, parse_int, parse_uuid
from levensloop.errors import DomainError, NotAllowed
from levensloop.extensions import db
from levensloop.forms import choices
from levensloop.persons import network, services
from levensloop.persons.forms import (
    BreakGlassForm,
    NetworkContactForm,
    ParticipantForm,
    PersonForm,
    PersonSearchForm,
)
from levensloop.persons.models import PERSON_FIELDS
from levensloop.sharing import policy
from levensloop.sharing import services as sharing
from levensloop.sharing.legal_bases import LEGAL_BASES
from levensloop.web import page_number

bp = Blueprint("persons", __name__, url_prefix="/personen")

# Who may open the registry at all; what they see of each person is the policy's decision.
case_roles = role_required(
    Role.PROCESREGISSEUR, Role.LEVENSLOOPCOORDINATOR, Role.KETENPARTNER, Role.CASUSREGISSEUR
)
registrars = role_required(Role.PROCESREGISSEUR, Role.LEVENSLOOPCOORDINATOR)


def _input(form: PersonForm) -> services.PersonInput:
    return services.PersonInput(**{name: getattr(form, name).data for name in PERSON_FIELDS})


@bp.route("/", methods=["GET", "POST"])
@case_roles
def index():
    """The list, and the search. Search terms travel in a POST body, never in the URL (they
    would end up in access logs and browser history)."""
    form = PersonSearchForm()
    searched = request.method == "POST"
    results = hidden = None
    if searched and not services.may_search(current_user, g.region):
        flash(
            _(
                "Zoeken in het register is voorbehouden aan procesregisseurs en "
                "levensloopcoördinatoren."
            ),
            "warning",
        )
        return redirect(url_for("persons.index"))
    if searched and form.validate_on_submit():
        if not any((form.bsn.data, form.achternaam.data)):
            form.bsn.errors.append(
                _("Zoek op BSN, of op achternaam (eventueel met voornaam en geboortedatum).")
            )
        else:
            try:
                found = services.search(
                    current_user,
                    g.region,
                    bsn=form.bsn.data,
                    achternaam=form.achternaam.data,
                    voornaam=form.voornaam.data,
                    geboortedatum=form.geboortedatum.data,
                )
            except DomainError as error:
                getattr(form, error.field or "bsn").errors.append(error.message)
            else:
                results = [p for p in found if policy.access(current_user, p).any]
                hidden = [p for p in found if not policy.access(current_user, p).any]
    pagination = (
        None if searched else services.list_persons(current_user, g.region, page=page_number())
    )
    return render_template(
        "persons/index.html",
        form=form,
        results=results,
        hidden=hidden,
        pagination=pagination,
        searched=searched,
        may_search=services.may_search(current_user, g.region),
        may_register=services.may_search(current_user, g.region),
        page_has_errors=bool(form.errors),
    )


@bp.route("/nieuw", methods=["GET", "POST"])
@registrars
def create():
    form = PersonForm()
    duplicates = []
    if form.validate_on_submit():
        try:
            person = services.create_person(
                current_user, g.region, _input(form), confirm_duplicate=form.confirm_duplicate.data
            )
        except services.PossibleDuplicate as warning:
            duplicates = [(p, policy.access(current_user, p).any) for p in warning.candidates]
            form.confirm_duplicate.errors.append(warning.message)
        except DomainError as error:
            getattr(form, error.field or "achternaam").errors.append(error.message)
        else:
            flash(_("De persoon is geregistreerd."), "ok")
            return redirect(url_for("persons.detail", person_id=person.id))
    return render_template(
        "persons/form.html",
        form=form,
        person=None,
        duplicates=duplicates,
        page_has_errors=bool(form.errors),
    )


@bp.get("/<uuid:person_id>")
@case_roles
def detail(person_id):
    person, decision = services.get_person(current_user, g.region, person_id)
    view = services.person_view(
        current_user, g.region, person, decision, reveal_bsn=request.args.get("toon") == "bsn"
    )
    from levensloop.inclusion import states as inclusion_states
    from levensloop.inclusion.table import trajectories_of

    trajectories = trajectories_of(person.id) if "proces" in decision.categories else []
    return render_template(
        "persons/detail.html",
        person=view,
        tab="overzicht",
        trajectories=trajectories,
        trajectory_machine=inclusion_states.TRAJECTORY,
        may_open_trajectory=Role.PROCESREGISSEUR in current_user.roles_in(g.region.id),
    )


@bp.route("/<uuid:person_id>/bewerken", methods=["GET", "POST"])
@case_roles
def edit(person_id):
    person, decision = services.get_person(current_user, g.region, person_id, need=policy.UPDATE)
    if person.is_shredded:
        flash(
            _("De gegevens van deze persoon zijn vernietigd en kunnen niet worden gewijzigd."),
            "warning",
        )
        return redirect(url_for("persons.detail", person_id=person.id))
    form = PersonForm(obj=None if request.method == "POST" else person)
    if request.method == "GET":
        form.version.data = str(person.version)
    elif form.validate_on_submit():
        try:
            services.update_person(
                current_user, g.region, person, _input(form), version=parse_int(form.version.data)
            )
        except DomainError as error:
            if error.status_code == 409:
                db.session.rollback()
                db.session.refresh(person)
                fresh = PersonForm(formdata=None, obj=person)
                fresh.version.data = str(person.version)
                flash(error.message, "error")
                return render_template(
                    "persons/form.html",
                    form=fresh,
                    person=person,
                    stale_form=form,
                    duplicates=[],
                    page_has_errors=True,
                ), 409
            getattr(form, error.field or "achternaam").errors.append(error.message)
        else:
            flash(_("De wijzigingen zijn opgeslagen."), "ok")
            return redirect(url_for("persons.detail", person_id=person.id))
    return render_template(
        "persons/form.html",
        form=form,
        person=person,
        duplicates=[],
        page_has_errors=bool(form.errors),
    )


# ---------------------------------------------------------------- shared with ("gedeeld met")


def _participant_form() -> ParticipantForm:
    form = ParticipantForm()
    from levensloop.organisations.services import organisations_in

    form.organisation.choices = choices(
        [("", _("Kies een organisatie"))]
        + [(str(o.id), f"{o.name} ({o.type.label})") for o in organisations_in(g.region)]
    )
    form.legal_basis.choices = choices(
        [("", _("Kies een grondslag"))] + [(k, str(v)) for k, v in LEGAL_BASES.items()]
    )
    return form


@bp.route("/<uuid:person_id>/gedeeld-met", methods=["GET", "POST"])
@case_roles
def shared(person_id):
    person, decision = services.get_person(current_user, g.region, person_id)
    form = _participant_form()
    if request.method == "POST":
        if not decision.can_manage:
            return render_template(
                "errors/403.html",
                description=_("U mag de deelnemers aan deze casus niet wijzigen."),
            ), 403
        if form.validate_on_submit():
            try:
                sharing.add_participant(
                    current_user,
                    g.region,
                    person,
                    organisation_id=parse_uuid(form.organisation.data),
                    purpose=form.purpose.data,
                    legal_basis=form.legal_basis.data,
                    article=form.article.data,
                    start=form.start_date.data or local_today(),
                    end=form.end_date.data,
                )
            except DomainError as error:
                getattr(form, error.field or "organisation").errors.append(error.message)
            else:
                flash(_("De organisatie neemt nu deel aan de casus."), "ok")
                return redirect(url_for("persons.shared", person_id=person.id))
    return render_template(
        "persons/shared.html",
        person=services.header_view(person, decision),
        rows=sharing.participant_rows(current_user, g.region, person),
        form=form,
        tab="gedeeld",
        page_has_errors=bool(form.errors),
    )


@bp.post("/<uuid:person_id>/gedeeld-met/<uuid:participant_id>/beeindigen")
@case_roles
def end_participation(person_id, participant_id):
    person, _decision = services.get_person(current_user, g.region, person_id)
    try:
        sharing.end_participant(current_user, g.region, person, participant_id)
    except DomainError as error:
        if error.status_code in (403, 404):
            raise
        flash(error.message, "error")
    else:
        flash(_("De deelname is beëindigd; de organisatie ziet de casus niet meer."), "ok")
    return redirect(url_for("persons.shared", person_id=person.id))


# ---------------------------------------------------------------- network, timeline, log


def _network_form() -> NetworkContactForm:
    form = NetworkContactForm()
    form.relation.choices = choices(
        [("", _("Kies de relatie"))] + [(k, str(v)) for k, v in network.RELATIONS.items()]
    )
    return form


@bp.route("/<uuid:person_id>/netwerk", methods=["GET", "POST"])
@case_roles
def network_tab(person_id):
    person, decision = services.get_person(current_user, g.region, person_id)
    form = _network_form()
    if request.method == "POST" and not network.may_edit(current_user, person):
        raise NotAllowed(_("U mag het netwerk van deze persoon niet wijzigen."))
    if request.method == "POST" and form.validate_on_submit():
        try:
            network.add_contact(
                current_user,
                g.region,
                person,
                name=form.name.data,
                relation=form.relation.data,
                reach=form.reach.data,
                note=form.note.data,
                supportive={"ja": True, "nee": False}.get(form.supportive.data),
                since=form.since.data,
            )
        except DomainError as error:
            if error.status_code in (403, 404):
                raise
            getattr(form, error.field or "name").errors.append(error.message)
        else:
            flash(_("Het contact is aan het netwerk toegevoegd."), "ok")
            return redirect(url_for("persons.network_tab", person_id=person.id))
    view = services.network_view(current_user, g.region, person, decision)
    return render_template(
        "persons/network.html",
        person=services.header_view(person, decision),
        tab="netwerk",
        view=view,
        form=form,
        relations=network.RELATIONS,
        page_has_errors=bool(form.errors),
    )


@bp.post("/<uuid:person_id>/netwerk/<uuid:contact_id>/beeindigen")
@case_roles
def end_contact(person_id, contact_id):
    person, _decision = services.get_person(current_user, g.region, person_id)
    from levensloop.auth.forms import ContinueForm

    if not ContinueForm().validate_on_submit():
        return redirect(url_for("persons.network_tab", person_id=person.id))
    try:
        network.end_contact(current_user, g.region, person, contact_id)
    except DomainError as error:
        if error.status_code in (403, 404):
            raise
        flash(error.message, "error")
    else:
        flash(_("Het contact staat nu als beëindigd in het netwerk."), "ok")
    return redirect(url_for("persons.network_tab", person_id=person.id))


@bp.get("/<uuid:person_id>/tijdlijn")
@case_roles
def timeline_tab(person_id):
    person, decision = services.get_person(current_user, g.region, person_id)
    wanted = request.args.get("categorie") or None
    if wanted is not None and wanted not in {str(c) for c in decision.categories}:
        wanted = None
    entries, paging = services.timeline_page(
        current_user, g.region, person, decision, category=wanted, page=page_number()
    )
    return render_template(
        "persons/timeline.html",
        person=services.header_view(person, decision),
        tab="tijdlijn",
        entries=entries,
        paging=paging,
        wanted=wanted,
        categories=[c for c in policy.Category if c in decision.categories],
    )


@bp.get("/<uuid:person_id>/logboek")
@case_roles
def log_tab(person_id):
    person, decision = services.get_person(current_user, g.region, person_id)
    if not decision.can_manage:
        raise NotAllowed(
            _("Alleen de procesregisseur en de levensloopcoördinator zien het logboek.")
        )
    from levensloop.privacy.services import event_label

    rows, paging = services.log_page(current_user, g.region, person, page=page_number())
    return render_template(
        "persons/log.html",
        event_label=event_label,
        person=services.header_view(person, decision),
        tab="logboek",
        rows=rows,
        paging=paging,
    )


# ---------------------------------------------------------------- break-glass


@bp.route("/<uuid:person_id>/noodtoegang", methods=["GET", "POST"])
@registrars
def break_glass(person_id):
    person = services.load_person(g.region, person_id)
    decision = policy.access(current_user, person)
    if decision.any and not decision.only_by_break_glass and decision.categories == policy.ALL:
        flash(_("U heeft al volledige toegang tot deze persoon."), "info")
        return redirect(url_for("persons.detail", person_id=person.id))
    form = BreakGlassForm()
    if form.validate_on_submit():
        try:
            sharing.start_break_glass(
                current_user,
                g.region,
                person,
                reason=form.reason.data,
                password=form.password.data,
                code=form.code.data,
            )
        except DomainError as error:
            if error.status_code == 403:
                raise
            getattr(form, error.field or "reason").errors.append(error.message)
        else:
            flash(
                _(
                    "Noodtoegang gestart voor %(n)s minuten. Deze toegang wordt gelogd en "
                    "beoordeeld door de "
                    "privacy officer.",
                    n=sharing.BREAK_GLASS_MINUTES,
                ),
                "warning",
            )
            return redirect(url_for("persons.detail", person_id=person.id))
    return render_template(
        "persons/break_glass.html",
        person_id=person.id,
        form=form,
        minutes=sharing.BREAK_GLASS_MINUTES,
        page_has_errors=bool(form.errors),
    )


# ---------------------------------------------------------------- informatieplicht


@bp.route("/<uuid:person_id>/informatieplicht", methods=["GET", "POST"])
@registrars
def information(person_id):
    from levensloop.privacy import requests as rights
    from levensloop.privacy.forms import NoticeForm

    person, decision = services.get_person(current_user, g.region, person_id, need=policy.MANAGE)
    form = NoticeForm()
    if form.validate_on_submit():
        try:
            rights.record_notice(
                current_user,
                g.region,
                person,
                status=form.status.data,
                given_on=form.given_on.data,
                channel=form.channel.data or None,
                ground=form.ground.data,
                review_on=form.review_on.data,
            )
        except DomainError as error:
            getattr(form, error.field or "status").errors.append(error.message)
        else:
            flash(_("De informatieplicht is vastgelegd."), "ok")
            return redirect(url_for("persons.information", person_id=person.id))
    items = rights.notices(person)
    return render_template(
        "persons/information.html",
        person=services.header_view(person, decision),
        items=items,
        form=form,
        tab="informatieplicht",
        channels=rights.CHANNEL_LABELS,
        page_has_errors=bool(form.errors),
    )
