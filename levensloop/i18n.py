"""Locale and timezone selection: Dutch unless the user chose English."""

from __future__ import annotations

from flask import current_app, has_request_context, session
from flask_login import current_user


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("lang")
    if chosen not in languages and current_user and current_user.is_authenticated:
        chosen = current_user.preferred_locale
    if chosen not in languages:
        chosen = current_app.config["BABEL_DEFAULT_LOCALE"]
    # English in British form (dates as "2 Nov 2026"); the "en" catalogue serves it.
    return "en_GB" if chosen == "en" else chosen


def select_timezone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]
