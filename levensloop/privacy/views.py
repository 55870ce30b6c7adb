"""Privacy officer: audit log search, access report per person, break-glass review, register."""

from __future__ import annotations

from flask import Blueprint, flash, g, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from levensloop.audit.services import record
from levensloop.auth.forms import ContinueForm
from levensloop.auth.models import Role
from levensloop.auth.policy import role_required
from levensloop.db import local_today, parse_int, parse_uuid
from levensloop.errors import DomainError
from levensloop.exports import csv_response
from levensloop.extensions import db
from levensloop.forms import choices
from levensloop.organisations.models import OrganisationType
from levensloop.organisations.services import organisations_in
from levensloop.persons import services as persons
from levensloop.privacy import requests as rights
from levensloop.privacy import services
from levensloop.privacy.forms import (
    ExtendForm,
    LogFilterForm,
    PersonLookupForm,
    RequestForm,
    ReviewForm,
    StatusForm,
)
from levensloop.privacy.models import RequestKind, RequestStatus
from levensloop.sharing import services as sharing
from levensloop.sharing.categories import Category
from levensloop.sharing.legal_bases import LEGAL_BASES
from levensloop.web import page_number

bp = Blueprint("privacy", __name__, url_prefix="/privacybeheer")
officer = role_required(Role.PRIVACY_OFFICER)


@bp.get("/")
@officer
def index():
    open_reviews = sharing.open_reviews(g.region)
    return render_template(
        "privacy/index.html",
        lookup=PersonLookupForm(),
        open_reviews=open_reviews,
        due_requests=rights.due_soon(g.region),
        due_notices=len(rights.notices_due_for_review(g.region)),
    )


@bp.get("/logboek")
@officer
def log():
    form = LogFilterForm(request.args)
    users, types = services.log_filter_options(g.region)
    form.gebruiker.choices = choices(
        [("", _("Alle gebruikers"))] + [(str(u.id), u.display_name) for u in users]
    )
    form.organisatie.choices = choices(
        [("", _("Alle organisaties"))]
        + [(str(o.id), o.name) for o in organisations_in(g.region, active_only=False)]
    )
    form.gebeurtenis.choices = choices([("", _("Alle gebeurtenissen"))] + [(t, t) for t in types])
    form.validate()
    filters = services.LogFilters(
        person_id=parse_uuid(form.persoon.data),
        user_id=parse_uuid(form.gebruiker.data),
        organisation_id=parse_uuid(form.organisatie.data),
        event_type=form.gebeurtenis.data or None,
        date_from=form.van.data if not form.van.errors else None,
        date_to=form.tot.data if not form.tot.errors else None,
    )
    if form.persoon.data and filters.person_id is None:
        form.persoon.errors = [
            *form.persoon.errors,
            _("Een persoonskenmerk ziet eruit als 8-4-4-4-12 tekens."),
        ]
    pagination, rows = services.read_log(current_user, g.region, filters, page=page_number())
    params = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "privacy/log.html",
        form=form,
        pagination=pagination,
        rows=rows,
        params=params,
        page_has_errors=bool(form.errors),
    )


@bp.post("/toegang")
@officer
def lookup():
    form = PersonLookupForm()
    if form.validate_on_submit():
        found = persons.search(current_user, g.region, bsn=form.bsn.data)
        if len(found) == 1:
            return redirect(url_for("privacy.access_report", person_id=found[0].id))
        if found:
            flash(
                _("Er zijn meerdere personen met dit BSN geregistreerd; kies uit het logboek."),
                "warning",
            )
        else:
            flash(_("Niemand met dit BSN in deze regio."), "info")
        return redirect(url_for("privacy.index"))
    return render_template(
        "privacy/index.html",
        lookup=form,
        open_reviews=0,
        due_requests=0,
        due_notices=0,
        page_has_errors=True,
    )


@bp.get("/toegang/<uuid:person_id>")
@officer
def access_report(person_id):
    person = persons.load_person(g.region, person_id)
    rows = services.access_report(g.region, person.id)
    record(
        "audit_read",
        actor=current_user,
        region_id=g.region.id,
        person_id=person.id,
        details={"report": "toegang", "format": request.args.get("formaat", "html")[:10]},
    )
    db.session.commit()
    if request.args.get("formaat") == "csv":
        return csv_response(
            "toegangsrapport.csv",
            [
                _("Tijdstip (UTC)"),
                _("Gebruiker"),
                _("Organisatie"),
                _("Rol"),
                _("Handeling"),
                _("Categorieën"),
                _("Grondslag"),
                _("Noodtoegang"),
            ],
            (
                [
                    r.occurred_at.strftime("%Y-%m-%d %H:%M:%S"),
                    r.user,
                    r.organisation,
                    r.roles,
                    r.event,
                    r.categories,
                    r.basis,
                    _("ja") if r.break_glass else _("nee"),
                ]
                for r in rows
            ),
        )
    return render_template("privacy/access_report.html", person_id=person.id, rows=rows)


@bp.get("/noodtoegang")
@officer
def break_glass_list():
    pagination, users = sharing.review_page(current_user, g.region, page=page_number())
    return render_template(
        "privacy/break_glass.html", pagination=pagination, users=users, form=ReviewForm()
    )


@bp.post("/noodtoegang/<uuid:glass_id>")
@officer
def review(glass_id):
    sharing.get_break_glass(g.region, glass_id)  # 404 for another region's or an unknown id first
    form = ReviewForm()
    if not form.validate_on_submit():
        flash(_("Schrijf een korte toelichting bij uw beoordeling."), "error")
        return redirect(url_for("privacy.break_glass_list"))
    try:
        sharing.review_break_glass(current_user, g.region, glass_id, form.remark.data)
    except DomainError as error:
        if error.status_code == 404:
            raise
        flash(error.message, "error")
    else:
        flash(_("De noodtoegang is beoordeeld."), "ok")
    return redirect(url_for("privacy.break_glass_list"))


@bp.get("/verwerkingsregister.csv")
@officer
def register():
    grid = sharing.matrix(g.region)
    purpose = _(
        "Levensloopaanpak: coördinatie van zorg, veiligheid en bestaanszekerheid rond personen "
        "met verward of onbegrepen gedrag en een hoog veiligheidsrisico"
    )
    bases = "; ".join(str(v) for v in LEGAL_BASES.values())
    record("export", actor=current_user, region_id=g.region.id, object_type="verwerkingsregister")
    db.session.commit()
    return csv_response(
        "verwerkingsregister.csv",
        [
            _("Ontvanger (soort organisatie)"),
            _("Categorieën persoonsgegevens"),
            _("Bijzondere gegevens"),
            _("Doel"),
            _("Grondslagen"),
        ],
        (
            [
                org_type.label,
                ", ".join(c.label for c in Category if c in grid[org_type]),
                ", ".join(c.label for c in Category if c in grid[org_type] and c.special)
                or _("geen"),
                purpose,
                bases,
            ]
            for org_type in OrganisationType
            if grid[org_type]
        ),
    )


# ---------------------------------------------------------------- rights requests


@bp.get("/verzoeken")
@officer
def requests_index():
    status = request.args.get("status", "open")
    pagination = rights.list_requests(g.region, status=status, page=page_number())
    return render_template(
        "privacy/requests.html",
        pagination=pagination,
        status=status,
        today=local_today(),
        statuses=list(RequestStatus),
    )


@bp.route("/verzoeken/nieuw", methods=["GET", "POST"])
@officer
def request_new():
    form = RequestForm()
    if request.method == "GET":
        form.received_on.data = local_today()
    elif form.validate_on_submit():
        found = persons.search(current_user, g.region, bsn=form.bsn.data)
        if len(found) != 1:
            form.bsn.errors.append(
                _("Niemand met dit BSN in deze regio.")
                if not found
                else _("Meerdere personen met dit BSN; neem contact op met de procesregisseur.")
            )
        else:
            try:
                created = rights.register_request(
                    current_user,
                    g.region,
                    found[0],
                    RequestKind(form.kind.data),
                    form.received_on.data,
                )
            except DomainError as error:
                getattr(form, error.field or "received_on").errors.append(error.message)
            else:
                flash(
                    _(
                        "Het verzoek is geregistreerd. Uiterste datum: %(date)s.",
                        date=created.due_on.strftime("%d-%m-%Y"),
                    ),
                    "ok",
                )
                return redirect(url_for("privacy.request_detail", request_id=created.id))
    return render_template("privacy/request_new.html", form=form, page_has_errors=bool(form.errors))


def _request_page(item, extend_form=None, status_form=None, code=200):
    extend_form = extend_form or ExtendForm(formdata=None)
    status_form = status_form or StatusForm(formdata=None)
    extend_form.version.data = status_form.version.data = str(item.version)
    if not status_form.is_submitted():
        status_form.status.data = str(item.status)
    return render_template(
        "privacy/request_detail.html",
        item=item,
        extend_form=extend_form,
        status_form=status_form,
        latest=rights.add_months(item.due_on, 2),
        today=local_today(),
        page_has_errors=bool(extend_form.errors or status_form.errors),
    ), code


@bp.get("/verzoeken/<uuid:request_id>")
@officer
def request_detail(request_id):
    item = rights.get_request(g.region, request_id)
    record(
        "read",
        actor=current_user,
        region_id=g.region.id,
        person_id=item.person_id,
        object_type="rights_request",
        object_id=item.id,
        categories=["proces"],
    )
    db.session.commit()
    return _request_page(item)


def _update_request(request_id, form, apply, done_message: str, form_name: str, default_field: str):
    """Run one change on a request: a form error stays at its field, a stale edit shows the
    newest state with a 409, success goes back to the request."""
    item = rights.get_request(g.region, request_id)
    if form.validate_on_submit():
        try:
            apply(item, form)
        except DomainError as error:
            if error.status_code == 409:
                flash(error.message, "error")
                db.session.refresh(item)
                return _request_page(item, code=409)
            getattr(form, error.field or default_field).errors.append(error.message)
        else:
            flash(done_message, "ok")
            return redirect(url_for("privacy.request_detail", request_id=item.id))
    return _request_page(item, **{form_name: form})


@bp.post("/verzoeken/<uuid:request_id>/verlengen")
@officer
def request_extend(request_id):
    return _update_request(
        request_id,
        ExtendForm(),
        lambda item, form: rights.extend(
            current_user,
            g.region,
            item,
            until=form.until.data,
            reason=form.reason.data,
            version=parse_int(form.version.data),
        ),
        _("De termijn is verlengd."),
        "extend_form",
        "until",
    )


@bp.post("/verzoeken/<uuid:request_id>/status")
@officer
def request_status(request_id):
    return _update_request(
        request_id,
        StatusForm(),
        lambda item, form: rights.set_status(
            current_user,
            g.region,
            item,
            status=RequestStatus(form.status.data),
            outcome=form.outcome.data,
            version=parse_int(form.version.data),
        ),
        _("De status is bijgewerkt."),
        "status_form",
        "status",
    )


@bp.post("/verzoeken/<uuid:request_id>/inzage-export")
@officer
def request_export(request_id):
    item = rights.get_request(g.region, request_id)
    if not ContinueForm().validate_on_submit():
        return redirect(url_for("privacy.request_detail", request_id=item.id))
    try:
        data = rights.inzage_export(current_user, g.region, item)
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("privacy.request_detail", request_id=item.id))
    response = make_response(data)
    response.headers["Content-Type"] = "application/zip"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="inzage-{item.received_on.isoformat()}.zip"'
    )
    return response


@bp.get("/informatieplicht")
@officer
def notices_due():
    items = rights.notices_due_for_review(g.region)
    return render_template("privacy/notices_due.html", items=items)
