"""Start page, dashboard, health check, language and region, static pages."""

from __future__ import annotations

import sqlalchemy as sa
from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from levensloop.auth.views import safe_next
from levensloop.core import dashboard as dashboard_service
from levensloop.db import parse_uuid
from levensloop.extensions import db

bp = Blueprint("core", __name__)


@bp.get("/")
def index():
    if current_user.is_authenticated:
        return redirect(url_for("core.dashboard"))
    return redirect(url_for("auth.login"))


@bp.get("/dashboard")
@login_required
def dashboard():
    sections = dashboard_service.sections_for(current_user, g.region)
    return render_template("core/dashboard.html", sections=sections)


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(sa.text("SELECT 1"))
    except Exception:  # any failure of the database means "not healthy"
        current_app.logger.warning("healthz: database niet bereikbaar")
        db.session.rollback()
        return jsonify(status="error", database="error"), 503
    return jsonify(status="ok", database="ok")


@bp.post("/taal")
def set_language():
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        if current_user.is_authenticated:
            current_user.preferred_locale = lang
            db.session.commit()
    return redirect(safe_next(request.form.get("next")) or url_for("core.index"))


@bp.post("/regio")
@login_required
def set_region():
    wanted = parse_uuid(request.form.get("region"))
    region = next((r for r in current_user.regions() if r.id == wanted), None)
    if region is None:
        flash(_("U heeft geen rol in die regio."), "error")
    else:
        session["region"] = str(region.id)
        flash(_("U werkt nu in regio %(name)s.", name=region.name), "ok")
    return redirect(url_for("core.dashboard"))


@bp.get("/toegankelijkheid")
def toegankelijkheid():
    return render_template("pages/toegankelijkheid.html")


@bp.get("/privacy")
def privacy():
    return render_template("pages/privacy.html")


@bp.get("/help")
def help():
    return render_template("pages/help.html")
