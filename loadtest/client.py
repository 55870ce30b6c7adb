"""What a browser behind the TLS proxy does, for the locust users and the concurrent-edit run.

Levensloop runs with its production configuration: HSTS, https only (Talisman) and a session
cookie `__Host-levensloop_session` with `Secure`. In a real installation a reverse proxy ends
TLS and talks plain HTTP to gunicorn on the same machine with `X-Forwarded-Proto: https`. The
clients here stand in for browser and proxy together:

- every request carries `X-Forwarded-Proto: https`, as the proxy adds it (gunicorn trusts it
  from 127.0.0.1, so the application sees an https request);
- cookies marked `Secure` are sent back on the plain loopback hop (the browser would send them
  over TLS to the proxy);
- POSTs carry a same-origin `Referer`: on an https request Flask-WTF refuses a form without
  one (see the report of the load test: under `Referrer-Policy: no-referrer` a browser sends
  none).

This module is imported by the locust process: no application imports here.
"""

from __future__ import annotations

import re
import time
from html.parser import HTMLParser

import pyotp

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
PERSON_LINK_RE = re.compile(
    r'href="/personen/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"'
)
TAB_LINK_RE = re.compile(r'levensloop-tabs__link" href="(/personen/[^"]+)"')
PAGES_RE = re.compile(r"Pagina \d+ van (\d+)")
MEETING_LINK_RE = re.compile(r'href="(/inclusietafel/[0-9a-f-]{36})"')
MONTH_OPTION_RE = re.compile(r'<option value="(\d{4}-\d{2})"')
# Pages that only a logged-in user gets have the main menu.
LOGGED_IN_MARK = 'class="utrecht-nav-bar levensloop-nav"'
ERROR_SUMMARY_MARK = 'id="error-summary"'
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


def csrf(html: str) -> str | None:
    match = CSRF_RE.search(html)
    return (match.group(1) or match.group(2)) if match else None


def headers(base_url: str, referer_path: str | None = None) -> dict:
    out = dict(PROXY_HEADERS)
    if referer_path is not None:
        host = base_url.split("://", 1)[-1].rstrip("/")
        out["Referer"] = f"https://{host}{referer_path}"
    return out


def send_secure_cookies(session) -> None:
    """Let the session send its `Secure` cookies on the plain loopback hop."""
    for cookie in session.cookies:
        cookie.secure = False


def is_login_redirect(response) -> bool:
    return response.status_code in (301, 302, 303) and "/inloggen" in response.headers.get(
        "Location", ""
    )


def totp_code(secret: str) -> str:
    return pyotp.TOTP(secret).now()


def seconds_to_next_code(secret: str) -> float:
    interval = pyotp.TOTP(secret).interval
    return interval - time.time() % interval + 0.5


# ---------------------------------------------------------------- forms


class Form:
    def __init__(self, action: str) -> None:
        self.action = action
        self.fields: dict[str, str] = {}
        self.options: dict[str, list[str]] = {}

    def data(self, **values) -> dict:
        out = dict(self.fields)
        out.update(values)
        return out


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = Form(a.get("action") or "")
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self._form.fields[a["name"]] = a.get("value") or ""
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self._form.fields[self._textarea] = ""
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self._form.options[self._select] = []
        elif tag == "option" and self._select:
            value = a.get("value") or ""
            self._form.options[self._select].append(value)
            if "selected" in a or self._select not in self._form.fields:
                self._form.fields[self._select] = value

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form.fields[self._textarea] += data


def forms(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def form_ending(html: str, suffix: str) -> Form | None:
    """The first form whose action ends with `suffix`."""
    for form in forms(html):
        if form.action.endswith(suffix):
            return form
    return None


def form_with(html: str, field_name: str) -> Form | None:
    """The first form with a field of this name (for forms that post to their own page)."""
    for form in forms(html):
        if field_name in form.fields or field_name in form.options:
            return form
    return None


def person_links(html: str) -> list[str]:
    return list(dict.fromkeys(PERSON_LINK_RE.findall(html)))


def page_count(html: str) -> int:
    found = PAGES_RE.search(html)
    return int(found.group(1)) if found else 1
