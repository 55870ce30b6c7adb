"""The monthly report: exact for the region, protected for the national view."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from levensloop.auth.models import Role
from levensloop.auth.policy import current_roles, has_role, role_required
from levensloop.db import local_today
from levensloop.errors import DomainError
from levensloop.extensions import db
from levensloop.reports import exports, services
from levensloop.reports import measures as m
from levensloop.reports.forms import CorrectionForm, MonthForm, SnapshotForm
from levensloop.reports.measures import Month

bp = Blueprint("reports", __name__, url_prefix="/rapportages")
CHOICE_MONTHS = 36


def _month_label(month: Month) -> str:
    return format_date(month.first_day, "MMMM yyyy")


def _default_month() -> Month:
    """The last complete month."""
    return Month.of(local_today()).previous()


def _month_choices(extra: Month | None = None) -> list[tuple[str, str]]:
    months = m.last_months(_default_month(), CHOICE_MONTHS)
    if extra is not None and extra not in months and extra < Month.of(local_today()):
        months.append(extra)
    return [(str(month), _month_label(month)) for month in sorted(months, reverse=True)]


def _selected_month() -> tuple[Month, MonthForm]:
    """The month of the query string (`?maand=2026-10`), or the last complete month; a bad
    value gets a message at the selector."""
    text = request.args.get("maand", "")
    month = Month.parse(text) if text else _default_month()
    form = MonthForm(formdata=None)
    if month is None or not month.is_complete(local_today()):
        form.maand.errors = [_("Kies een afgelopen maand uit de lijst.")]
        month = _default_month()
    form.maand.choices = _month_choices(month)
    form.maand.data = str(month)
    return month, form


def _role_label() -> str:
    roles = current_roles()
    for role in (Role.PROCESREGISSEUR, Role.LANDELIJK_ANALIST):
        if role in roles:
            return role.label
    return ""


# ---------------------------------------------------------------- pages


def _region_page(month: Month, month_form: MonthForm, snapshot_form=None, correction_form=None):
    report = services.region_report(current_user, g.region, month)
    choices = _month_choices(month)
    snapshot_form = snapshot_form or SnapshotForm(formdata=None, snapshot_month=str(month))
    correction_form = correction_form or CorrectionForm(formdata=None, correction_month=str(month))
    snapshot_form.snapshot_month.choices = choices
    correction_form.correction_month.choices = choices
    has_errors = bool(
        month_form.errors
        or snapshot_form.errors
        or correction_form.errors
        or snapshot_form.form_errors
        or correction_form.form_errors
    )
    return render_template(
        "reports/region.html",
        report=report,
        month_label=_month_label(month),
        month_form=month_form,
        snapshot_form=snapshot_form,
        correction_form=correction_form,
        trend_labels=services.trend_labels(),
        trend_codes=services.TREND_MEASURES,
        month_label_of=_month_label,
        may_view_national=has_role(Role.LANDELIJK_ANALIST),
        page_has_errors=has_errors,
    )


def _national_page(month: Month, month_form: MonthForm):
    report = services.national_report(current_user, g.region, month)
    return render_template(
        "reports/national.html",
        report=report,
        tables=report.tables,
        month_label=_month_label(month),
        month_form=month_form,
        trend_labels=services.trend_labels(),
        trend_codes=services.TREND_MEASURES,
        month_label_of=_month_label,
        protection=services.protection_text(
            report.tables.threshold, report.tables.sensitive_threshold
        ),
        page_has_errors=bool(month_form.errors),
    )


@bp.get("/")
@role_required(Role.PROCESREGISSEUR, Role.LANDELIJK_ANALIST)
def index():
    month, form = _selected_month()
    if has_role(Role.PROCESREGISSEUR):
        return _region_page(month, form)
    return _national_page(month, form)


@bp.get("/landelijk")
@role_required(Role.LANDELIJK_ANALIST)
def national():
    month, form = _selected_month()
    return _national_page(month, form)


# ---------------------------------------------------------------- freezing and correcting


def _attach(error: DomainError, form, default_field: str) -> None:
    target = getattr(form, error.field, None) if error.field else None
    if target is None:
        target = getattr(form, default_field)
    target.errors = [*target.errors, error.message]


@bp.post("/vastleggen")
@role_required(Role.PROCESREGISSEUR)
def freeze():
    form = SnapshotForm()
    chosen = Month.parse(form.snapshot_month.data or "")
    if form.validate_on_submit():
        try:
            snapshot = services.freeze_month(
                current_user, g.region, chosen, source=services.SCREEN, field="snapshot_month"
            )
        except DomainError as error:
            if error.status_code in (403, 404):
                raise
            db.session.rollback()
            _attach(error, form, "snapshot_month")
        else:
            flash(_("De maand is vastgelegd (revisie %(n)s).", n=snapshot.revision), "ok")
            return redirect(url_for("reports.index", maand=snapshot.month))
    month = chosen if chosen and chosen.is_complete(local_today()) else _default_month()
    month_form = MonthForm(formdata=None)
    month_form.maand.choices, month_form.maand.data = _month_choices(month), str(month)
    return _region_page(month, month_form, snapshot_form=form)


@bp.post("/correctie")
@role_required(Role.PROCESREGISSEUR)
def correct():
    form = CorrectionForm()
    chosen = Month.parse(form.correction_month.data or "")
    if form.validate_on_submit():
        try:
            snapshot = services.correct_month(
                current_user,
                g.region,
                chosen,
                reason=form.correction_reason.data or "",
                source=services.SCREEN,
                month_field="correction_month",
                reason_field="correction_reason",
            )
        except DomainError as error:
            if error.status_code in (403, 404):
                raise
            db.session.rollback()
            _attach(error, form, "correction_month")
        else:
            flash(_("De correctie is vastgelegd als revisie %(n)s.", n=snapshot.revision), "ok")
            return redirect(url_for("reports.index", maand=snapshot.month))
    month = chosen if chosen and chosen.is_complete(local_today()) else _default_month()
    month_form = MonthForm(formdata=None)
    month_form.maand.choices, month_form.maand.data = _month_choices(month), str(month)
    return _region_page(month, month_form, correction_form=form)


# ---------------------------------------------------------------- exports


def _export_args() -> tuple[Month, str]:
    month = Month.parse(request.args.get("maand", ""))
    fmt = request.args.get("formaat", "")
    if month is None:
        raise DomainError(_("Kies een maand in de vorm JJJJ-MM, bijvoorbeeld 2026-10."), "maand")
    if fmt not in services.FORMATS:
        raise DomainError(_("Kies CSV of XLSX."), field="formaat")
    return month, fmt


def _send(data: services.ExportData, fmt: str, sheet: str):
    if fmt == "csv":
        return exports.csv_file(data.filename, data.header, data.rows)
    return exports.xlsx_file(
        data.filename, exports.xlsx_bytes(sheet, data.header, data.rows, data.about)
    )


@bp.get("/regio/export")
@role_required(Role.PROCESREGISSEUR)
def region_export():
    month, fmt = _export_args()
    data = services.region_export(current_user, g.region, month, fmt, role_label=_role_label())
    return _send(data, fmt, "Maandcijfers regio")


@bp.get("/landelijk/export")
@role_required(Role.LANDELIJK_ANALIST)
def national_export():
    month, fmt = _export_args()
    data = services.national_export(current_user, g.region, month, fmt, role_label=_role_label())
    return _send(data, fmt, "Maandcijfers landelijk")
