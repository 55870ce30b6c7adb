"""Warm handovers: the tab "Overdrachten" of a person's file, one handover with its steps and
checklist, the handover dossier, the region's list, the bulk reassignment of a caseload and
the "known elsewhere" check."""

from __future__ import annotations

import sqlalchemy as sa
from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

import levensloop.handovers.timeline  # noqa: F401  (registers the timeline provider)
from levensloop.auth.models import Role
from levensloop.auth.policy import role_required
from levensloop.db import local_today, parse_int, parse_uuid
from levensloop.errors import DomainError, NotAllowed
from levensloop.extensions import db, limiter
from levensloop.forms import choices
from levensloop.handovers import dossier, interregional, services
from levensloop.handovers import states as s
from levensloop.handovers.forms import (
    CaseloadForm,
    ChecklistForm,
    ConfirmForm,
    HandoverForm,
    KindForm,
    KnownElsewhereForm,
    RejectForm,
    StepForm,
)
from levensloop.organisations.services import active_regions, organisations_in
from levensloop.persons import services as persons
from levensloop.sharing import policy
from levensloop.web import page_number

bp = Blueprint("handovers", __name__)
case_roles = role_required(
    Role.PROCESREGISSEUR, Role.LEVENSLOOPCOORDINATOR, Role.KETENPARTNER, Role.CASUSREGISSEUR
)
regisseur = role_required(Role.PROCESREGISSEUR)

PERSON = "/personen/<uuid:person_id>/overdrachten"
ONE = PERSON + "/<uuid:handover_id>"
COMMON = {
    "machine": s.HANDOVER,
    "badges": s.BADGES,
    "kinds": s.KINDS,
    "kind_hints": s.KIND_HINTS,
    "checklist_labels": s.CHECKLIST,
}


def _version(value) -> int | None:
    """The version a form was made from; None when the form did not send one."""
    return parse_int(value, -1) if (value or "").strip() else None


def _field_errors(form, error: DomainError, default: str) -> None:
    """Put the service's messages at the fields they name (else at `default` or the form)."""
    found = getattr(error, "errors", None) or {error.field or default: error.message}
    for name, message in found.items():
        target = getattr(form, name, None) if name else None
        if target is None and default:
            target = getattr(form, default, None)
        if target is not None:
            target.errors = [*target.errors, message]
        else:
            form.form_errors.append(message)


# ---------------------------------------------------------------- the tab


@bp.get(PERSON)
@case_roles
def index(person_id):
    person, decision = persons.get_person(current_user, g.region, person_id)
    rows = services.person_handovers(current_user, g.region, person)
    return render_template(
        "handovers/index.html",
        person=persons.header_view(person, decision),
        tab="overdrachten",
        rows=rows,
        can_plan=services.may_plan(current_user, g.region, person),
        **COMMON,
    )


def _title_choices(person):
    from levensloop.titles.models import LegalTitle, TitleType
    from levensloop.titles.states import CURRENT

    visible = [str(c) for c in policy.visible_categories(current_user, person)]
    rows = db.session.execute(
        sa.select(LegalTitle.id, LegalTitle.expected_end, TitleType.name)
        .join(TitleType, TitleType.code == LegalTitle.type_code)
        .where(
            LegalTitle.person_id == person.id,
            LegalTitle.status.in_(CURRENT),
            TitleType.category.in_(visible),
        )
        .order_by(LegalTitle.expected_end, LegalTitle.start_date)
    ).all()
    return [
        (
            str(title_id),
            _("%(name)s (loopt af op %(date)s)", name=name, date=_date(end))
            if end
            else _("%(name)s (geen einddatum)", name=name),
        )
        for title_id, end, name in rows
    ]


def _date(value) -> str:
    from flask_babel import format_date

    return format_date(value, "long")


def _handover_form(person, kind: str) -> HandoverForm:
    form = HandoverForm()
    form.to_organisation.choices = choices(
        [("", _("Kies een organisatie"))]
        + [(str(o.id), o.name) for o in organisations_in(g.region)]
    )
    form.to_user.choices = choices(
        [("", _("Kies een coördinator"))]
        + [(str(u.id), u.display_name) for u in services.coordinators(g.region)]
    )
    form.to_region.choices = choices(
        [("", _("Kies een regio"))]
        + [(str(r.id), r.name) for r in active_regions() if r.id != g.region.id]
    )
    titles = _title_choices(person) if kind == s.TITEL else []
    form.predecessor_title.choices = choices([("", _("Kies de titel die afloopt"))] + titles)
    form.successor_title.choices = choices([("", _("Nog geen nieuwe titel"))] + titles)
    return form


@bp.route(PERSON + "/nieuw", methods=["GET", "POST"])
@case_roles
def new(person_id):
    person, decision = persons.get_person(current_user, g.region, person_id, need=policy.UPDATE)
    if not services.may_plan(current_user, g.region, person):
        raise NotAllowed(_("U mag voor deze persoon geen overdracht plannen."))
    kind = request.values.get("soort", "")
    header = persons.header_view(person, decision)
    if kind not in s.KINDS:
        kind_form = KindForm(request.args if request.method == "GET" else request.form)
        if request.method == "POST" or "soort" in request.args:
            kind_form.validate()
        return render_template(
            "handovers/kind.html",
            person=header,
            tab="overdrachten",
            form=kind_form,
            page_has_errors=bool(kind_form.errors),
            **COMMON,
        )
    form = _handover_form(person, kind)
    if form.validate_on_submit():
        try:
            handover = services.plan_handover(
                current_user,
                g.region,
                person,
                services.PlanInput(
                    kind=kind,
                    to_organisation_id=parse_uuid(form.to_organisation.data),
                    to_user_id=parse_uuid(form.to_user.data),
                    to_region_id=parse_uuid(form.to_region.data),
                    predecessor_title_id=parse_uuid(form.predecessor_title.data),
                    successor_title_id=parse_uuid(form.successor_title.data),
                    due_date=form.due_date.data,
                    note=form.note.data,
                ),
                offer=request.form.get("aanbieden") == "ja",
            )
        except DomainError as error:
            if error.status_code in (403, 404):
                raise
            db.session.rollback()
            _field_errors(form, error, "")
        else:
            flash(
                _("De overdracht is aangeboden.")
                if handover.status == s.AANGEBODEN
                else _("De overdracht is gepland."),
                "ok",
            )
            return redirect(
                url_for("handovers.detail", person_id=person.id, handover_id=handover.id)
            )
    return render_template(
        "handovers/new.html",
        person=header,
        tab="overdrachten",
        form=form,
        kind=kind,
        page_has_errors=bool(form.errors),
        **COMMON,
    )


# ---------------------------------------------------------------- one handover


def _open(person_id, handover_id) -> services.Opened:
    return services.open_handover(current_user, g.region, person_id, handover_id)


def _header(opened: services.Opened):
    if opened.limited:
        return None
    return persons.header_view(opened.person, opened.decision)


def _escalation_url(opened: services.Opened) -> str | None:
    if "escalations.new" not in current_app.view_functions:
        return None
    return url_for("escalations.new", person_id=opened.person.id, overdracht=opened.handover.id)


def _detail(opened: services.Opened, *, problem=None, checklist_form=None, code=200):
    view = services.handover_view(current_user, g.region, opened)
    handover = opened.handover
    if checklist_form is None:
        checklist_form = ChecklistForm(formdata=None)
        for item in s.CHECKLIST:
            getattr(checklist_form, item).data = getattr(handover, item)
    return render_template(
        "handovers/detail.html",
        person=_header(opened),
        limited=opened.limited,
        person_id=opened.person.id,
        display_name=services.display_name(opened),
        tab="overdrachten",
        view=view,
        step_form=StepForm(formdata=None),
        checklist_form=checklist_form,
        escalation_url=_escalation_url(opened) if view.can_escalate else None,
        problem=problem,
        today=local_today(),
        page_has_errors=bool(problem or checklist_form.errors),
        **COMMON,
    ), code


def _to_detail(opened: services.Opened):
    return redirect(
        url_for("handovers.detail", person_id=opened.person.id, handover_id=opened.handover.id)
    )


@bp.get(ONE)
@case_roles
def detail(person_id, handover_id):
    return _detail(_open(person_id, handover_id))


def _step(person_id, handover_id, run, done: str):
    opened = _open(person_id, handover_id)
    form = StepForm()
    if not form.validate_on_submit():
        return _to_detail(opened)
    try:
        run(opened, _version(form.version.data))
    except DomainError as error:
        if error.status_code in (403, 404):
            raise
        db.session.rollback()
        db.session.expire_all()
        opened = _open(person_id, handover_id)
        return _detail(opened, problem=error.message, code=409 if error.status_code == 409 else 200)
    flash(done, "ok")
    return _to_detail(opened)


@bp.post(ONE + "/aanbieden")
@case_roles
def offer(person_id, handover_id):
    def run(opened, version):
        services.offer(current_user, g.region, opened.person, opened.handover, version=version)

    return _step(person_id, handover_id, run, _("De overdracht is aangeboden."))


@bp.post(ONE + "/accepteren")
@case_roles
def accept(person_id, handover_id):
    def run(opened, version):
        services.accept(current_user, g.region, opened.person, opened.handover, version=version)

    return _step(
        person_id,
        handover_id,
        run,
        _("De overdracht is geaccepteerd. Tot de afronding zijn beide partijen verantwoordelijk."),
    )


@bp.post(ONE + "/afronden")
@case_roles
def complete(person_id, handover_id):
    def run(opened, version):
        services.complete(current_user, g.region, opened.person, opened.handover, version=version)

    return _step(person_id, handover_id, run, _("De overdracht is afgerond."))


@bp.post(ONE + "/checklist")
@case_roles
def checklist(person_id, handover_id):
    opened = _open(person_id, handover_id)
    form = ChecklistForm()
    if not form.validate_on_submit():
        return _to_detail(opened)
    try:
        services.update_checklist(
            current_user,
            g.region,
            opened.person,
            opened.handover,
            items={item for item in s.CHECKLIST if getattr(form, item).data},
            version=_version(form.version.data),
        )
    except DomainError as error:
        if error.status_code in (403, 404):
            raise
        db.session.rollback()
        db.session.expire_all()
        opened = _open(person_id, handover_id)
        return _detail(opened, problem=error.message, code=409 if error.status_code == 409 else 200)
    flash(_("De checklist is bijgewerkt."), "ok")
    return _to_detail(opened)


def _confirm_page(template: str, opened, form, *, problem=None, code=200):
    view = services.handover_view(current_user, g.region, opened)
    return render_template(
        template,
        person=_header(opened),
        limited=opened.limited,
        person_id=opened.person.id,
        display_name=services.display_name(opened),
        tab="overdrachten",
        view=view,
        form=form,
        problem=problem,
        page_has_errors=bool(problem or form.errors),
        **COMMON,
    ), code


@bp.route(ONE + "/intrekken", methods=["GET", "POST"])
@case_roles
def withdraw(person_id, handover_id):
    """Withdraw the handover: a page that asks for confirmation, then the step."""
    opened = _open(person_id, handover_id)
    if not services.is_sender(current_user, g.region, opened.person, opened.handover):
        raise NotAllowed(_("Alleen de verzendende kant trekt een overdracht in."))
    form = ConfirmForm()
    if form.validate_on_submit() and form.confirmed.data == "ja":
        try:
            services.withdraw(
                current_user,
                g.region,
                opened.person,
                opened.handover,
                version=_version(form.version.data),
            )
        except DomainError as error:
            if error.status_code in (403, 404):
                raise
            db.session.rollback()
            db.session.expire_all()
            opened = _open(person_id, handover_id)
            return _confirm_page(
                "handovers/withdraw.html",
                opened,
                form,
                problem=error.message,
                code=409 if error.status_code == 409 else 200,
            )
        flash(_("De overdracht is ingetrokken."), "ok")
        return _to_detail(opened)
    return _confirm_page("handovers/withdraw.html", opened, form)


@bp.route(ONE + "/afwijzen", methods=["GET", "POST"])
@case_roles
def reject(person_id, handover_id):
    """Refuse the offer: a page with the reason (required), then the step."""
    opened = _open(person_id, handover_id)
    if not services.is_receiver(current_user, g.region, opened.handover):
        raise NotAllowed(_("Alleen de ontvangende kant wijst een overdracht af."))
    form = RejectForm()
    code = 200
    if form.validate_on_submit():
        try:
            services.reject(
                current_user,
                g.region,
                opened.person,
                opened.handover,
                reason=form.reason.data,
                version=_version(form.version.data),
            )
        except DomainError as error:
            if error.status_code in (403, 404):
                raise
            db.session.rollback()
            db.session.expire_all()
            opened = _open(person_id, handover_id)
            if error.status_code == 409:
                return _confirm_page(
                    "handovers/reject.html", opened, form, problem=error.message, code=409
                )
            _field_errors(form, error, "reason")
        else:
            flash(_("De overdracht is afgewezen."), "ok")
            return _to_detail(opened)
    return _confirm_page("handovers/reject.html", opened, form, code=code)


@bp.get(ONE + "/dossier.pdf")
@case_roles
def dossier_pdf(person_id, handover_id):
    """The handover dossier, for the receiver and the sender only."""
    opened = _open(person_id, handover_id)
    handover = opened.handover
    sender = not opened.limited and services.is_sender(
        current_user, g.region, opened.person, handover
    )
    receiver = services.is_receiver(current_user, g.region, handover)
    if not (sender or receiver) or (opened.limited and handover.status != s.AANGEBODEN):
        raise NotAllowed(_("Het overdrachtsdossier is voor de verzender en de ontvanger."))
    data = dossier.export(current_user, g.region, opened)
    response = make_response(data)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="overdrachtsdossier-{str(handover.id)[:8]}.pdf"'
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response


# ---------------------------------------------------------------- the region


@bp.get("/overdrachten/")
@case_roles
def region_list():
    status = request.args.get("status", "open")
    if status not in services.LIST_FILTERS:
        status = "open"
    rows, pagination = services.region_page(
        current_user, g.region, status=status, page=page_number()
    )
    return render_template(
        "handovers/region.html",
        rows=rows,
        pagination=pagination,
        status=status,
        today=local_today(),
        is_regisseur=Role.PROCESREGISSEUR in current_user.roles_in(g.region.id),
        **COMMON,
    )


def _caseload_form() -> CaseloadForm:
    form = CaseloadForm()
    people = services.coordinators(g.region)
    form.departing.choices = choices(
        [("", _("Kies een coördinator"))] + [(str(u.id), u.display_name) for u in people]
    )
    form.receiving.choices = choices(
        [("", _("Kies een coördinator"))] + [(str(u.id), u.display_name) for u in people]
    )
    return form


@bp.route("/overdrachten/caseload-overdragen", methods=["GET", "POST"])
@regisseur
def caseload():
    """A departing coördinator's caseload: choose, confirm (the count and, per person, the
    receiver), then one offered coördinator handover per person."""
    form = _caseload_form()
    if form.validate_on_submit():
        args = {
            "departing_id": parse_uuid(form.departing.data),
            "receiving_id": parse_uuid(form.receiving.data),
            "due_date": form.due_date.data,
        }
        try:
            plan = services.caseload(current_user, g.region, **args)
            if form.confirmed.data == "ja":
                per_person = {
                    person_id: parse_uuid(request.form.get(f"ontvanger-{person_id}"))
                    for person_id, _name in plan.persons
                }
                created = services.reassign_caseload(
                    current_user, g.region, note=form.note.data or "", per_person=per_person, **args
                )
            else:
                return render_template(
                    "handovers/caseload_confirm.html",
                    form=form,
                    plan=plan,
                    **COMMON,
                )
        except DomainError as error:
            if error.status_code in (403, 404):
                raise
            db.session.rollback()
            _field_errors(form, error, "departing")
        else:
            flash(
                ngettext(
                    "Er is %(num)s overdracht aangeboden.",
                    "Er zijn %(num)s overdrachten aangeboden.",
                    len(created),
                ),
                "ok",
            )
            return redirect(url_for("handovers.region_list"))
    return render_template(
        "handovers/caseload.html", form=form, page_has_errors=bool(form.errors), **COMMON
    )


@bp.route("/bekend-elders", methods=["GET", "POST"])
@regisseur
@limiter.limit("60 per hour", methods=["POST"])
def known_elsewhere():
    """Is a person known in another region? Asked by POST only: no personal data in URLs."""
    form = KnownElsewhereForm()
    found = None
    if form.validate_on_submit():
        try:
            found = interregional.known_elsewhere(
                current_user,
                g.region,
                bsn=form.bsn.data or None,
                achternaam=form.achternaam.data or None,
                geboortedatum=form.geboortedatum.data,
            )
        except DomainError as error:
            if error.status_code in (403, 404):
                raise
            db.session.rollback()
            _field_errors(form, error, "bsn")
    return render_template(
        "handovers/known_elsewhere.html",
        form=form,
        found=found,
        page_has_errors=bool(form.errors),
    )
