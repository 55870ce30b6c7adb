"""Per-request context: the current region and what the base layout needs."""

from __future__ import annotations

from flask import Flask, g, request, session, url_for
from flask_babel import format_date, format_datetime, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from levensloop.auth.models import Role
from levensloop.db import parse_uuid

# (endpoint, label, roles that see it; None = everyone logged in)
NAVIGATION = (
    ("core.dashboard", _l("Dashboard"), None),
    ("overview.caseload", _l("Mijn caseload"), {Role.LEVENSLOOPCOORDINATOR}),
    ("overview.region", _l("Regio-overzicht"), {Role.PROCESREGISSEUR}),
    (
        "referrals.index",
        _l("Aanmeldingen"),
        {Role.PROCESREGISSEUR, Role.LEVENSLOOPCOORDINATOR, Role.KETENPARTNER, Role.CASUSREGISSEUR},
    ),
    ("inclusion.meetings", _l("Inclusietafel"), {Role.PROCESREGISSEUR}),
    (
        "handovers.region_list",
        _l("Overdrachten"),
        {Role.PROCESREGISSEUR, Role.LEVENSLOOPCOORDINATOR, Role.KETENPARTNER, Role.CASUSREGISSEUR},
    ),
    (
        "escalations.index",
        _l("Escalaties"),
        {Role.PROCESREGISSEUR, Role.LEVENSLOOPCOORDINATOR},
    ),
    (
        "persons.index",
        _l("Personen"),
        {Role.PROCESREGISSEUR, Role.LEVENSLOOPCOORDINATOR, Role.KETENPARTNER, Role.CASUSREGISSEUR},
    ),
    ("users.index", _l("Gebruikers"), {Role.FUNCTIONEEL_BEHEERDER}),
    ("organisations.index", _l("Organisaties"), {Role.FUNCTIONEEL_BEHEERDER}),
    ("sharing.index", _l("Deelmatrix"), {Role.FUNCTIONEEL_BEHEERDER}),
    ("inclusion.criteria", _l("Inclusiecriteria"), {Role.FUNCTIONEEL_BEHEERDER}),
    ("review_settings.edit", _l("Evaluatietermijn"), {Role.FUNCTIONEEL_BEHEERDER}),
    ("escalations.settings", _l("Escalatieroute"), {Role.FUNCTIONEEL_BEHEERDER}),
    ("api_tokens.index", _l("API-sleutels"), {Role.FUNCTIONEEL_BEHEERDER}),
    ("privacy.index", _l("Privacy"), {Role.PRIVACY_OFFICER}),
    ("retention.index", _l("Bewaren en vernietigen"), {Role.PRIVACY_OFFICER}),
    ("reports.index", _l("Maandcijfers"), {Role.PROCESREGISSEUR, Role.LANDELIJK_ANALIST}),
    ("users.events", _l("Beheerlogboek"), {Role.FUNCTIONEEL_BEHEERDER}),
)


def init_request_context(app: Flask) -> None:
    # Dates on screen in Europe/Amsterdam, written the Dutch way ("2 nov 2026 10:00:05").
    app.jinja_env.filters["format_datetime"] = format_datetime
    app.jinja_env.filters["format_date"] = format_date

    @app.before_request
    def load_region() -> None:
        g.region = g.region_id = None
        if request.endpoint == "static" or not current_user.is_authenticated:
            return
        regions = current_user.regions()
        chosen = parse_uuid(session.get("region"))
        g.region = next((r for r in regions if r.id == chosen), regions[0] if regions else None)
        g.region_id = g.region.id if g.region is not None else None

    @app.context_processor
    def layout_context() -> dict:
        region = g.get("region")
        authenticated = current_user.is_authenticated
        return {
            "current_locale": get_locale().language if get_locale() else "nl",
            "current_region": region,
            "user_regions": current_user.regions() if authenticated else [],
            "main_nav": _navigation(region) if authenticated else [],
        }


def _navigation(region) -> list[dict]:
    roles = current_user.roles_in(region.id) if region else set()
    visible = [
        (endpoint, label)
        for endpoint, label, needed in NAVIGATION
        if needed is None or roles & needed
    ]
    nav_endpoints = {endpoint for endpoint, _label in visible}
    current = request.endpoint or ""
    items = []
    for endpoint, label in visible:
        # An item is active on its own page, and an ".index" item also on the other pages of its
        # blueprint that have no navigation item of their own.
        active = current == endpoint or (
            endpoint.endswith(".index")
            and current.split(".")[0] == endpoint.split(".")[0]
            and current not in nav_endpoints
        )
        items.append({"url": url_for(endpoint), "label": str(label), "active": active})
    return items
