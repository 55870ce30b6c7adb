"""Retention rules and the destruction list (privacy officer)."""

from __future__ import annotations

from flask import Blueprint, render_template

from levensloop.auth.models import Role
from levensloop.auth.policy import role_required

bp = Blueprint("retention", __name__, url_prefix="/privacybeheer/bewaren")


@bp.get("/")
@role_required(Role.PRIVACY_OFFICER)
def index():
    return render_template("retention/index.html")
