"""Failing safely: an exception in the access policy closes the page instead of opening it,
unexpected errors reach the server log (not the browser), and hostile text is escaped."""

from __future__ import annotations

import logging

import pytest

from levensloop.auth.models import Role
from levensloop.persons.services import PersonInput, create_person

SENTINEL = "Faalsentinelnaam"


@pytest.mark.asvs("V16.5.3")
def test_an_error_in_the_policy_closes_the_page(world, browser, app, clock, monkeypatch):
    person = create_person(None, world.west, PersonInput(achternaam=SENTINEL))
    browser.login(world.user(Role.PROCESREGISSEUR))
    url = f"/personen/{person.id}"
    assert SENTINEL in browser.get(url).get_data(as_text=True)

    def broken(*args, **kwargs):
        raise RuntimeError("beleid onbereikbaar")

    monkeypatch.setattr("levensloop.sharing.policy._decide", broken)
    from levensloop.sharing import policy

    policy.forget()
    tabs = ("", "/bewerken", "/documenten", "/gedeeld-met", "/netwerk", "/plan", "/tijdlijn")
    for path in (url + tab for tab in tabs):
        response = browser.get(path)
        html = response.get_data(as_text=True)
        assert response.status_code == 500, path
        assert SENTINEL not in html and "beleid onbereikbaar" not in html, path


@pytest.mark.asvs("V16.3.4")
def test_an_unexpected_error_is_logged_on_the_server(app, client, caplog):
    @app.get("/test-onverwacht")
    def boom():
        raise RuntimeError("interne-oorzaak-42")

    caplog.set_level(logging.ERROR)
    response = client.get("/test-onverwacht")
    assert response.status_code == 500
    assert "interne-oorzaak-42" not in response.get_data(as_text=True)
    logged = [r for r in caplog.records if r.levelno >= logging.ERROR and r.exc_info]
    assert logged and "interne-oorzaak-42" in str(logged[-1].exc_info[1])
    assert "/test-onverwacht" in logged[-1].getMessage()


HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.mark.asvs("V1.2.1")
def test_hostile_text_is_escaped_in_html(world, browser, clock):
    person = create_person(
        None, world.west, PersonInput(achternaam=HOSTILE, voornamen='"><b>vet</b>')
    )
    browser.login(world.user(Role.PROCESREGISSEUR))
    html = browser.get(f"/personen/{person.id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(" in html
    assert "<script>alert(" not in html and "<img src=x" not in html and "<b>vet</b>" not in html
