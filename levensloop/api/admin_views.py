"""`/beheer/api-sleutels`: the functioneel beheerder creates, lists and revokes API tokens.

A new token is shown once, on the page that answers the form; it is not put in the session or
a flash message and cannot be shown again."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from levensloop.api import services
from levensloop.api.forms import TokenForm
from levensloop.auth.models import Role
from levensloop.auth.policy import role_required
from levensloop.db import local_today, utcnow
from levensloop.extensions import db

bp = Blueprint("api_tokens", __name__, url_prefix="/beheer/api-sleutels")
beheer = role_required(Role.FUNCTIONEEL_BEHEERDER)
DEFAULT_DAYS = 90


def _page(form: TokenForm, *, has_errors: bool = False, status: int = 200):
    return (
        render_template(
            "api/tokens.html",
            form=form,
            tokens=services.tokens_of(g.region),
            scopes=services.SCOPES,
            now=utcnow(),
            page_has_errors=has_errors,
        ),
        status,
    )


@bp.get("/")
@beheer
def index():
    form = TokenForm(formdata=None)
    form.scopes.data = [services.REPORTS_READ]
    form.reach.data = "regio"
    form.valid_until.data = local_today() + timedelta(days=DEFAULT_DAYS)
    return _page(form)


@bp.post("/")
@beheer
def create():
    form = TokenForm()
    if form.validate_on_submit():
        try:
            new = services.create_token(
                current_user,
                g.region,
                name=form.name.data or "",
                national=form.reach.data == "landelijk",
                scopes=list(form.scopes.data or []),
                valid_until=form.valid_until.data,
            )
        except services.InvalidToken as invalid:
            db.session.rollback()
            for name, message in invalid.errors.items():
                getattr(form, name).errors = [*getattr(form, name).errors, message]
        else:
            scope_text = ", ".join(str(services.SCOPES[s]) for s in new.token.scope_list)
            return render_template(
                "api/created.html", token=new.token, secret=new.secret, scope_text=scope_text
            )
    return _page(form, has_errors=True)


@bp.post("/<uuid:token_id>/intrekken")
@beheer
def revoke(token_id):
    token = services.revoke_token(current_user, g.region, token_id)
    flash(_("De sleutel ‘%(name)s’ is ingetrokken.", name=token.name), "ok")
    return redirect(url_for("api_tokens.index"))
