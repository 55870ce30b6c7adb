"""Checks generated from the URL map: CSRF on every POST route, security headers on every GET."""

from __future__ import annotations

import uuid

import pytest

from levensloop.auth.models import Role

# Routes with their expected anonymous answer; a new route must be added here or the
# completeness test fails.
PUBLIC_GET = {
    "core.index",
    "core.healthz",
    "core.toegankelijkheid",
    "core.privacy",
    "core.help",
    "auth.login",
    "auth.verify",
    "auth.enrol",
    "auth.enrol_qr",
    "auth.new_password",
    "api.openapi",
    "static",
}
# Routes for machines: a bearer token instead of a session; without one, 401 (never a redirect).
BEARER_GET = {"api.monthly"}


def _url_for_rule(rule) -> str:
    values = {}
    for arg in rule.arguments:
        converter = rule._converters[arg]
        name = type(converter).__name__
        if name == "UUIDConverter":
            values[arg] = uuid.uuid4()
        elif name == "AnyConverter":
            values[arg] = sorted(converter.items)[0] if hasattr(converter, "items") else "x"
        elif name == "PathConverter":
            values[arg] = "css/levensloop.css"
        else:
            values[arg] = "x"
    return rule.build(values, append_unknown=False)[1]


def _rules(app, method):
    return [r for r in app.url_map.iter_rules() if method in r.methods]


@pytest.mark.asvs("V3.5.1")
def test_every_post_route_refuses_a_request_without_csrf_token(world, browser, app, clock):
    user = world.user(Role.FUNCTIONEEL_BEHEERDER)
    browser.login(user)
    rules = _rules(app, "POST")
    assert len(rules) >= 10
    for rule in rules:
        url = _url_for_rule(rule)
        response = browser.client.post(url, data={"lang": "en", "region": str(world.west.id)})
        assert response.status_code == 400, f"{rule.endpoint} {url} gaf {response.status_code}"
        assert "Het formulier is verlopen of ongeldig" in response.get_data(as_text=True)


@pytest.mark.asvs("V3.5.1")
def test_every_post_route_refuses_a_wrong_csrf_token(world, browser, app, clock):
    user = world.user(Role.FUNCTIONEEL_BEHEERDER)
    browser.login(user)
    for rule in _rules(app, "POST"):
        response = browser.client.post(_url_for_rule(rule), data={"csrf_token": "vervalst"})
        assert response.status_code == 400, rule.endpoint


CSP_REQUIRED = (
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
)


def _check_headers(response, endpoint):
    csp = response.headers.get("Content-Security-Policy", "")
    for part in CSP_REQUIRED:
        assert part in csp, f"{endpoint}: CSP mist {part}"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, endpoint
    assert response.headers.get("X-Content-Type-Options") == "nosniff", endpoint
    assert response.headers.get("X-Frame-Options") == "DENY", endpoint
    assert response.headers.get("Referrer-Policy") == "same-origin", endpoint
    if endpoint != "static":
        assert response.headers.get("Cache-Control") == "no-store", endpoint


@pytest.mark.parametrize("logged_in", [False, True], ids=["anoniem", "ingelogd"])
@pytest.mark.asvs("V3.4.3", "V3.4.4", "V3.4.5", "V3.4.6", "V14.3.2", "V14.2.2", "V14.2.3")
def test_security_headers_on_every_get_route(world, browser, app, clock, logged_in):
    if logged_in:
        browser.login(world.user(*Role))
    rules = _rules(app, "GET")
    endpoints = {r.endpoint for r in rules}
    assert endpoints >= PUBLIC_GET
    for rule in rules:
        url = _url_for_rule(rule)
        response = browser.client.get(url)
        response.close()
        assert response.status_code < 500, f"{rule.endpoint}: {response.status_code}"
        _check_headers(response, rule.endpoint)


@pytest.mark.asvs("V8.2.1", "V6.3.4", "V13.4.5")
def test_every_get_route_needs_login_unless_public(browser, app, world):
    for rule in _rules(app, "GET"):
        if rule.endpoint in PUBLIC_GET:
            continue
        response = browser.client.get(_url_for_rule(rule))
        response.close()
        if rule.endpoint in BEARER_GET:
            assert response.status_code == 401, rule.endpoint
            assert response.headers["WWW-Authenticate"].startswith("Bearer"), rule.endpoint
            continue
        assert response.status_code == 302, rule.endpoint
        assert "/inloggen" in response.headers["Location"], rule.endpoint


@pytest.mark.asvs("V3.4.1")
def test_hsts_over_https(client):
    response = client.get("/inloggen", base_url="https://localhost")
    hsts = response.headers.get("Strict-Transport-Security", "")
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts


@pytest.mark.asvs("V16.5.1")
def test_error_pages_show_no_stack_trace(app, client):
    @app.get("/test-ontploffing")
    def boom():
        raise RuntimeError("geheime-interne-details")

    response = client.get("/test-ontploffing")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "geheime-interne-details" not in html and "Traceback" not in html
    assert '<html lang="nl"' in html


@pytest.mark.parametrize(
    "status,path,method",
    [
        (404, "/bestaat-niet", "GET"),
        (405, "/uitloggen", "GET"),
        (404, f"/beheer/gebruikers/{uuid.uuid4()}x", "GET"),
    ],
)
@pytest.mark.asvs("V16.5.1")
def test_error_pages_in_dutch(client, status, path, method):
    response = client.open(path, method=method)
    assert response.status_code == status
    html = response.get_data(as_text=True)
    assert '<html lang="nl"' in html and "Traceback" not in html
    if status == 405:
        assert "GET" not in response.headers.get("Allow", "") or "POST" in response.headers["Allow"]


@pytest.mark.asvs("V15.2.2")
def test_too_large_request_gets_413(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = client.post("/inloggen", data={"username": "x" * 5000})
    assert response.status_code == 413
    assert '<html lang="nl"' in response.get_data(as_text=True)


@pytest.mark.asvs("V16.5.1", "V16.5.2")
def test_500_page_survives_a_failing_database(app, client, monkeypatch):
    """When even the error page cannot render (database down), a plain Dutch page is shown."""
    import jinja2

    @app.get("/test-dubbele-fout")
    def double_fault():
        raise RuntimeError("eerste fout")

    def broken(*args, **kwargs):
        raise jinja2.TemplateError("tweede fout")

    monkeypatch.setattr("levensloop.errors.render_template", broken)
    response = client.get("/test-dubbele-fout")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Er ging iets mis" in html and "fout" not in html.split("<main>")[1].split("Er ging")[0]
