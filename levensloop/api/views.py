"""`/api/v1`: bearer tokens, no cookies, no CSRF.

The API reads the monthly counts with the national protection, always (also for one region):
it never gives exact small numbers and never person data. A missing, unknown, expired or
revoked token gets 401 with `WWW-Authenticate: Bearer`; a token without the scope gets 403.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, jsonify, request, url_for
from flask_babel import gettext as _

from levensloop.api import payload
from levensloop.api import services as tokens
from levensloop.api.openapi import document
from levensloop.db import local_today
from levensloop.extensions import csrf, db, limiter
from levensloop.organisations.models import Region
from levensloop.reports.measures import Month
from levensloop.reports.services import national_tables

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
API_RATE_LIMIT = "120 per minute"
REALM = 'Bearer realm="levensloop"'


def _error(status: int, message: str, *, authenticate: str | None = None):
    response = jsonify({"error": status, "message": message})
    response.status_code = status
    if authenticate:
        response.headers["WWW-Authenticate"] = authenticate
    return response


def _unauthorized(problem: str):
    messages = {
        tokens.MISSING: _("Geef een API-sleutel mee: Authorization: Bearer <sleutel>."),
        tokens.INVALID: _("Deze API-sleutel is ongeldig."),
        tokens.EXPIRED: _("Deze API-sleutel is verlopen."),
        tokens.REVOKED: _("Deze API-sleutel is ingetrokken."),
    }
    header = REALM if problem == tokens.MISSING else f'{REALM}, error="invalid_token"'
    return _error(401, messages[problem], authenticate=header)


@bp.get("/openapi.json")
def openapi():
    return jsonify(document(url_for("api.openapi", _external=True).rsplit("/", 1)[0]))


@bp.get("/rapportages/maand")
@limiter.limit(API_RATE_LIMIT)
def monthly():
    auth = tokens.authenticate(request.headers.get("Authorization"))
    if not auth.ok:
        return _unauthorized(auth.problem)
    token = auth.token
    endpoint = "rapportages/maand"
    if tokens.REPORTS_READ not in token.scope_list:
        tokens.record_use(token, endpoint=endpoint, details={"reden": "scope"}, outcome="failure")
        return _error(
            403,
            _("Deze API-sleutel mag geen maandcijfers lezen."),
            authenticate=f'{REALM}, error="insufficient_scope", scope="{tokens.REPORTS_READ}"',
        )
    month = Month.parse(request.args.get("maand", ""))
    if month is None:
        return _error(400, _("Geef de maand als maand=JJJJ-MM, bijvoorbeeld 2026-10."))
    if not month.is_complete(local_today()):
        return _error(400, _("Die maand is nog niet voorbij; kies een afgelopen maand."))
    code = (request.args.get("regio") or "").strip()[:40]
    region = None
    if code:
        region = db.session.scalar(sa.select(Region).where(Region.code == code))
        if region is None:
            return _error(404, _("Onbekende regio."))
    if token.region_id is not None and region is not None and region.id != token.region_id:
        tokens.record_use(
            token,
            endpoint=endpoint,
            details={"reden": "regio", "maand": str(month)},
            outcome="failure",
        )
        return _error(
            403, _("Deze API-sleutel geeft alleen de cijfers van de eigen regio van de sleutel.")
        )
    region_ids = {region.id} if region is not None else None
    if token.region_id is not None:
        region_ids = {token.region_id}
    tables = national_tables(month, region_ids=region_ids)
    tokens.record_use(
        token, endpoint=endpoint, details={"maand": str(month), "regio": code or None}
    )
    return jsonify(payload.monthly(tables))
