"""Security headers (Flask-Talisman), CSP and caching rules."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, request
from flask_babel import gettext as _

from levensloop.db import parse_int
from levensloop.errors import DomainError
from levensloop.extensions import talisman

CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "font-src": "'self'",
    "connect-src": "'self'",
    "form-action": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
}

PERMISSIONS_POLICY = {
    "camera": "()",
    "microphone": "()",
    "geolocation": "()",
    "browsing-topics": "()",
}


def init_security(app: Flask) -> None:
    talisman.init_app(
        app,
        force_https=app.config["FORCE_HTTPS"],
        strict_transport_security=True,
        strict_transport_security_max_age=app.config["HSTS_MAX_AGE"],
        strict_transport_security_include_subdomains=True,
        content_security_policy=CSP,
        frame_options="DENY",
        referrer_policy="same-origin",
        permissions_policy=PERMISSIONS_POLICY,
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        session_cookie_http_only=True,
        session_cookie_samesite="Lax",
    )

    @app.before_request
    def refuse_nul():
        """A NUL character is no text anyone can type (and PostgreSQL refuses it in text
        columns): a form or query that carries one is refused as a whole, before any
        service sees it."""
        sources = [request.args]
        if request.method in ("POST", "PUT", "PATCH") and request.mimetype in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            sources.append(request.form)
        if any(
            "\x00" in key or any("\x00" in value for value in values)
            for source in sources
            for key, values in source.lists()
        ):
            raise DomainError(_("Het formulier bevat een ongeldig teken. Controleer de invoer."))

    @app.after_request
    def no_store(response):
        """Nothing but static assets may be cached: pages can hold personal data."""
        if request.endpoint != "static":
            response.headers["Cache-Control"] = "no-store"
            response.headers["Pragma"] = "no-cache"
            response.vary.add("Cookie")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


def page_number() -> int:
    """The `page` query parameter of a list, 1 when absent or not a sensible number."""
    return parse_int(request.args.get("page"), 1) or 1


@dataclass
class SimplePage:
    """Enough of a pagination object for the pagination macro."""

    page: int
    pages: int
    total: int

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1

    def iter_pages(self, left_edge=2, left_current=2, right_current=4, right_edge=2):
        last = 0
        for number in range(1, self.pages + 1):
            if (
                number <= left_edge
                or self.page - left_current - 1 < number < self.page + right_current
                or number > self.pages - right_edge
            ):
                if last + 1 != number:
                    yield None
                yield number
                last = number


def simple_page(total: int, page: int, per_page: int) -> SimplePage:
    """Clamp a requested page to the pages there are."""
    pages = max(1, -(-total // per_page))
    return SimplePage(min(max(page, 1), pages), pages, total)
