"""The tab "titels en plaatsingen" of a person's file."""

from __future__ import annotations

from flask import Blueprint, g, render_template
from flask_login import current_user

from levensloop.auth.models import Role
from levensloop.auth.policy import role_required
from levensloop.persons import services as persons

bp = Blueprint("titles", __name__, url_prefix="/personen/<uuid:person_id>/titels")
case_roles = role_required(
    Role.PROCESREGISSEUR, Role.LEVENSLOOPCOORDINATOR, Role.KETENPARTNER, Role.CASUSREGISSEUR
)


@bp.get("")
@case_roles
def index(person_id):
    person, decision = persons.get_person(current_user, g.region, person_id)
    return render_template(
        "titles/index.html", person=persons.header_view(person, decision), tab="titels"
    )
