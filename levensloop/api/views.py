"""`/api/v1`: bearer tokens, no cookies, no CSRF."""

from __future__ import annotations

from flask import Blueprint, jsonify

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.get("/openapi.json")
def openapi():
    return jsonify({"openapi": "3.1.0", "info": {"title": "Levensloop", "version": "1"}, "paths": {}})
