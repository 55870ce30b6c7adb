"""The sharing matrix of a region (functioneel beheerder)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from levensloop.auth.models import Role
from levensloop.auth.policy import role_required
from levensloop.errors import DomainError
from levensloop.organisations.models import OrganisationType
from levensloop.sharing import services
from levensloop.sharing.categories import DEFAULT_GRANTS, Category
from levensloop.sharing.forms import MatrixRowForm

bp = Blueprint("sharing", __name__, url_prefix="/beheer/deelmatrix")
beheerder = role_required(Role.FUNCTIONEEL_BEHEERDER)


@bp.get("/")
@beheerder
def index():
    grid = services.matrix(g.region)
    rows = [
        {"type": t, "grants": grid[t], "changed": grid[t] != DEFAULT_GRANTS.get(t, frozenset())}
        for t in OrganisationType
    ]
    return render_template("sharing/matrix.html", rows=rows, categories=list(Category))


@bp.route("/<organisation_type>", methods=["GET", "POST"])
@beheerder
def edit(organisation_type):
    try:
        org_type = OrganisationType(organisation_type)
    except ValueError:
        abort(404)
    form = MatrixRowForm()
    current = services.matrix(g.region)[org_type]
    if form.validate_on_submit():
        try:
            changes = services.set_grants(
                current_user,
                g.region,
                org_type,
                {Category(c) for c in form.categories.data},
                form.reason.data,
            )
        except DomainError as error:
            getattr(form, error.field or "categories").errors.append(error.message)
        else:
            flash(_("De deelmatrix is gewijzigd (%(changes)s).", changes=", ".join(changes)), "ok")
            return redirect(url_for("sharing.index"))
    elif not form.is_submitted():
        form.categories.data = sorted(str(c) for c in current)
    return render_template(
        "sharing/edit.html",
        form=form,
        org_type=org_type,
        default=DEFAULT_GRANTS.get(org_type, frozenset()),
        page_has_errors=bool(form.errors),
    )
