"""HTTP-level checks: no TRACE, no directory listings, no CORS grants, a Content-Type with a
character set on text responses, and a logout control on every page behind the login."""

from __future__ import annotations

import pytest

from levensloop.auth.models import Role
from tests.security.test_routes import _rules, _url_for_rule

EVIL = "https://evil.example"


@pytest.mark.asvs("V13.4.4")
@pytest.mark.parametrize("path", ["/inloggen", "/dashboard", "/healthz", "/api/v1/openapi.json"])
def test_trace_is_not_supported(client, path):
    response = client.open(path, method="TRACE")
    assert response.status_code == 405
    assert "TRACE" not in response.headers.get("Allow", "")


@pytest.mark.asvs("V13.4.3")
@pytest.mark.parametrize("path", ["/static/", "/static/css/", "/static/js/", "/static/vendor/"])
def test_no_directory_listing(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Index of" not in response.get_data(as_text=True)


@pytest.mark.asvs("V3.4.2")
@pytest.mark.parametrize(
    "method,path",
    [
        ("GET", "/inloggen"),
        ("GET", "/healthz"),
        ("GET", "/api/v1/openapi.json"),
        ("GET", "/api/v1/rapportages/maand"),
        ("OPTIONS", "/api/v1/rapportages/maand"),
    ],
)
def test_no_cross_origin_access_is_granted(client, method, path):
    response = client.open(
        path,
        method=method,
        headers={
            "Origin": EVIL,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization",
        },
    )
    granted = [name for name in response.headers.keys() if name.lower().startswith("access-")]
    assert granted == [], granted


def _needs_charset(content_type: str) -> bool:
    media = content_type.split(";")[0].strip().lower()
    return media.startswith("text/") or media.endswith(("/xml", "+xml"))


@pytest.mark.asvs("V4.1.1", "V7.4.4")
def test_every_page_has_a_content_type_and_a_logout(world, browser, app, clock):
    """Logged in with every role: each GET route that answers with a body names its type (with
    a character set for text), and each HTML page offers the logout button."""
    browser.login(world.user(*Role))
    pages = 0
    for rule in _rules(app, "GET"):
        response = browser.client.get(_url_for_rule(rule))
        body = response.get_data()
        response.close()
        if not body:
            continue
        content_type = response.headers.get("Content-Type", "")
        assert content_type, rule.endpoint
        if _needs_charset(content_type):
            assert "charset=utf-8" in content_type.lower(), f"{rule.endpoint}: {content_type}"
        if response.status_code == 200 and content_type.startswith("text/html"):
            html = body.decode()
            if rule.endpoint.startswith("auth.") and "/uitloggen" not in html:
                continue  # the login steps themselves come before the session
            assert 'action="/uitloggen"' in html, f"{rule.endpoint}: geen uitlogknop"
            pages += 1
    assert pages >= 30
