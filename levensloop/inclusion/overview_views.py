"""Mijn caseload and the region overview."""

from __future__ import annotations

from flask import Blueprint, g, render_template, request
from flask_login import current_user

from levensloop.auth.admin import users_with_role
from levensloop.auth.models import Role
from levensloop.auth.policy import role_required
from levensloop.db import local_today, parse_uuid
from levensloop.inclusion import overview, states
from levensloop.organisations.services import organisations_in
from levensloop.web import page_number

bp = Blueprint("overview", __name__)


@bp.get("/caseload")
@role_required(Role.LEVENSLOOPCOORDINATOR)
def caseload():
    only = request.args.get("filter", "")
    only = only if only in overview.CASELOAD_FILTERS else ""
    rows, page, counts = overview.caseload(current_user, g.region, only=only, page=page_number())
    return render_template(
        "inclusion/caseload.html",
        rows=rows,
        pagination=page,
        only=only,
        counts=counts,
        machine=states.TRAJECTORY,
        ave=states.AVE_PHASES,
        today=local_today(),
        params={"filter": only} if only else {},
    )


@bp.get("/regio-overzicht")
@role_required(Role.PROCESREGISSEUR)
def region():
    args = request.args
    filters = overview.Filters(
        status=args.get("status", "") if args.get("status") in states.TRAJECTORY.labels else "",
        coordinator_id=parse_uuid(args.get("coordinator")),
        organisation_id=parse_uuid(args.get("organisatie")),
        ave_phase=args.get("ave", "") if args.get("ave") in states.AVE_PHASES else "",
        overdue=args.get("achterstallig") == "1",
        carrousel=args.get("carrousel") == "1",
    )
    rows, page = overview.region_overview(current_user, g.region, filters, page=page_number())
    coordinators = users_with_role(g.region, Role.LEVENSLOOPCOORDINATOR, active_only=False)
    params = {k: v for k, v in args.items() if k != "page" and v}
    return render_template(
        "inclusion/region.html",
        rows=rows,
        pagination=page,
        filters=filters,
        params=params,
        machine=states.TRAJECTORY,
        ave=states.AVE_PHASES,
        coordinators=coordinators,
        organisations=organisations_in(g.region),
        today=local_today(),
    )
