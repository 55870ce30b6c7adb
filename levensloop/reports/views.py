"""The monthly report: exact for the region, protected for the national view."""

from __future__ import annotations

from flask import Blueprint, render_template

from levensloop.auth.models import Role
from levensloop.auth.policy import role_required

bp = Blueprint("reports", __name__, url_prefix="/rapportages")


@bp.get("/")
@role_required(Role.PROCESREGISSEUR, Role.LANDELIJK_ANALIST)
def index():
    return render_template("reports/index.html")
