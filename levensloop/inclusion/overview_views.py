"""Mijn caseload and the region overview."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, g, render_template, request
from flask_login import current_user

from levensloop.audit.services import record
from levensloop.auth.models import Role, RoleAssignment, User
from levensloop.auth.policy import role_required
from levensloop.db import parse_int, parse_uuid
from levensloop.extensions import db
from levensloop.inclusion import overview, states
from levensloop.organisations.services import organisations_in

bp = Blueprint("overview", __name__)


def _record(rows, what: str) -> None:
    record(
        "search",
        actor=current_user,
        region_id=g.region.id,
        object_type="overzicht",
        categories=["identiteit", "proces"],
        details={"list": what, "results": len(rows)},
    )
    db.session.commit()


@bp.get("/caseload")
@role_required(Role.LEVENSLOOPCOORDINATOR)
def caseload():
    overdue = request.args.get("filter") == "achterstallig"
    rows, page = overview.caseload(
        current_user,
        g.region,
        overdue_only=overdue,
        page=parse_int(request.args.get("page"), 1) or 1,
    )
    html = render_template(
        "inclusion/caseload.html",
        rows=rows,
        pagination=page,
        overdue=overdue,
        machine=states.TRAJECTORY,
        ave=states.AVE_PHASES,
        params={"filter": "achterstallig"} if overdue else {},
    )
    _record(rows, "caseload")  # after rendering: the commit expires the loaded rows
    return html


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
    )
    rows, page = overview.region_overview(
        g.region, filters, page=parse_int(args.get("page"), 1) or 1
    )
    coordinators = [
        u
        for u in db.session.scalars(
            sa.select(User)
            .join(User.roles)
            .where(
                RoleAssignment.region_id == g.region.id,
                RoleAssignment.role == Role.LEVENSLOOPCOORDINATOR,
            )
            .order_by(User.display_name)
        )
    ]
    params = {k: v for k, v in args.items() if k != "page" and v}
    html = render_template(
        "inclusion/region.html",
        rows=rows,
        pagination=page,
        filters=filters,
        params=params,
        machine=states.TRAJECTORY,
        ave=states.AVE_PHASES,
        coordinators=coordinators,
        organisations=organisations_in(g.region),
    )
    _record(rows, "regio")
    return html
