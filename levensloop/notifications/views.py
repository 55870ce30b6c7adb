"""The inbox: the user's notifications in the current region, mark one or all as read."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from levensloop.auth.forms import ContinueForm
from levensloop.db import parse_int
from levensloop.notifications import services
from levensloop.web import page_number

bp = Blueprint("notifications", __name__, url_prefix="/berichten")

UNREAD, ALL = "ongelezen", "alle"


def _view(value: str | None) -> str:
    return UNREAD if value == UNREAD else ALL


@bp.app_context_processor
def unread_notifications() -> dict:
    """`unread_notifications()` for the header link: one count query per request, and only
    when the header is drawn for a signed-in user with a region."""

    def count() -> int | None:
        if "unread_notifications" not in g:
            value = None
            if current_user.is_authenticated and g.get("region") is not None:
                try:
                    value = services.unread_count(current_user, g.region.id)
                except sa.exc.SQLAlchemyError:  # an error page after a database failure
                    value = None
            g.unread_notifications = value
        return g.unread_notifications

    return {"unread_notifications": count}


@bp.get("/")
@login_required
def index():
    view = _view(request.args.get("weergave"))
    if g.region is None:
        return render_template("notifications/index.html", inbox=None, view=view)
    inbox = services.inbox(current_user, g.region, page=page_number(), only_unread=view == UNREAD)
    return render_template(
        "notifications/index.html",
        inbox=inbox,
        view=view,
        kind_label=services.kind_label,
    )


def _back():
    """Back to the list the user came from (view and page from the form, never a URL)."""
    view = _view(request.form.get("weergave"))
    page = parse_int(request.form.get("page"), 1) or 1
    args = {"weergave": view} if view == UNREAD else {}
    if page > 1:
        args["page"] = page
    return redirect(url_for("notifications.index", **args))


@bp.post("/<uuid:notification_id>/gelezen")
@login_required
def mark_read(notification_id):
    if g.region is None or not ContinueForm().validate_on_submit():
        return _back()
    services.mark_read(current_user, g.region, notification_id)
    flash(_("Het bericht is als gelezen gemarkeerd."), "ok")
    return _back()


@bp.post("/alles-gelezen")
@login_required
def mark_all_read():
    if g.region is None or not ContinueForm().validate_on_submit():
        return _back()
    count = services.mark_all_read(current_user, g.region)
    if count:
        flash(
            ngettext(
                "%(num)s bericht als gelezen gemarkeerd.",
                "%(num)s berichten als gelezen gemarkeerd.",
                count,
            ),
            "ok",
        )
    else:
        flash(_("Er waren geen ongelezen berichten."), "info")
    return _back()
