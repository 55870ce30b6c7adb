"""Domain errors and the HTTP error pages."""

from __future__ import annotations

from flask import Flask, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException


class DomainError(Exception):
    """A business rule said no. `message` is Dutch and safe to show; `field` names a form field."""

    status_code = 400

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(DomainError):
    status_code = 403


class NotFound(DomainError):
    status_code = 404


class Conflict(DomainError):
    """Someone else saved first (optimistic locking) or the state changed meanwhile."""

    status_code = 409


class TransitionNotAllowed(DomainError):
    status_code = 409


ERROR_PAGES = (400, 403, 404, 405, 409, 413, 429, 500)


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return _render(
            400,
            _(
                "Het formulier is verlopen of ongeldig. Laad de pagina opnieuw en "
                "probeer het nog eens."
            ),
        )

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        return _render(error.status_code, error.message)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code = error.code or 500
        page = code if code in ERROR_PAGES else (400 if code < 500 else 500)
        return _render(page, None, headers=error.get_headers(), raw_code=code)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        app.logger.exception("Onverwachte fout bij %s %s", request.method, request.path)
        _discard_failed_transaction()
        return _render(500, None)


def _discard_failed_transaction() -> None:
    """A failed flush leaves the session unusable; the error page reads the signed-in user and
    the menu from the database, so roll back first or that page fails as well."""
    from levensloop.extensions import db

    try:
        db.session.rollback()
    except Exception:  # the error page must still be shown
        current_app.logger.warning("Terugdraaien na een onverwachte fout mislukte")


def _render(code: int, description: str | None, headers=None, raw_code: int | None = None):
    status = raw_code or code
    if request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json":
        response = jsonify({"error": status, "message": description or ""})
        response.status_code = status
    else:
        response = app_response(code, description, status)
    for name, value in headers or ():
        if name.lower() in ("allow", "retry-after"):
            response.headers[name] = value
    return response


FALLBACK_PAGE = """<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8">
<title>Fout – Levensloop</title>
<link rel="stylesheet" href="/static/css/levensloop.css"></head><body><main>
<h1>Er ging iets mis</h1>
<p>Probeer het later opnieuw. Blijft het probleem, neem dan contact op met de functioneel
beheerder.</p>
<p><a href="/">Naar de startpagina</a></p></main></body></html>"""


def app_response(code: int, description: str | None, status: int):
    from flask import current_app, make_response

    try:
        body = render_template(f"errors/{code}.html", description=description)
    except Exception:  # the error page itself failed (e.g. the database is down): plain page
        current_app.logger.exception("Foutpagina %s kon niet worden getoond", code)
        body = FALLBACK_PAGE
    return make_response(body, status)
