"""Behind the TLS proxy every request is https, and Flask-WTF then also requires a same-origin
Referer on a form post. The Referrer-Policy must let browsers send it to our own origin (and to
no one else), or no form, not even the login, can be submitted."""

from __future__ import annotations

import pytest

from tests.conftest import csrf_from

HTTPS = "https://levensloop.test"


@pytest.mark.asvs("V3.5.1")
def test_a_form_posts_over_https_with_the_referer_the_policy_lets_through(app, world):
    client = app.test_client()
    page = client.get("/inloggen", base_url=HTTPS)
    policy = page.headers["Referrer-Policy"]
    # same-origin: the Referer goes along on our own pages' form posts, never to another site
    assert policy == "same-origin"
    token = csrf_from(page.get_data(as_text=True))
    data = {"username": "niemand@levensloop.test", "password": "fout", "csrf_token": token}

    with_referer = client.post(
        "/inloggen", data=data, base_url=HTTPS, headers={"Referer": f"{HTTPS}/inloggen"}
    )
    assert with_referer.status_code == 200  # the form answers (wrong credentials), CSRF passed
    assert "De combinatie van gebruikersnaam en wachtwoord" in with_referer.get_data(as_text=True)

    foreign = client.post(
        "/inloggen", data=data, base_url=HTTPS, headers={"Referer": "https://elders.test/"}
    )
    without = client.post("/inloggen", data=data, base_url=HTTPS)
    assert foreign.status_code == 400 and without.status_code == 400
