"""The demo data is what a new user meets first: its plans are whole (every domain, as a plan
made in the application has) and every demo plan page opens for the coordinator."""

from __future__ import annotations

import sqlalchemy as sa

from levensloop import demo
from levensloop.auth.models import User
from levensloop.auth.services import _seal_totp
from levensloop.extensions import db
from levensloop.plans.domains import DOMAINS
from levensloop.plans.models import Plan
from tests.conftest import Browser
from tests.factories import TestUser


def test_demo_plans_have_every_domain_and_open(app):
    demo.seed(lambda user, secret: _seal_totp(user, "totp_secret", secret))
    plans = db.session.scalars(sa.select(Plan)).all()
    assert plans, "de demo maakt plannen"
    for plan in plans:
        assert sorted(s.domain for s in plan.sections) == sorted(DOMAINS), plan.id

    account = next(u for u in demo.USERS if u.username.startswith("coordinator@"))
    model = db.session.scalar(sa.select(User).where(User.username == account.username))
    browser = Browser(app.test_client())
    browser.login(TestUser(model, demo.DEMO_PASSWORD, account.totp_secret))
    opened = 0
    for plan in plans:
        response = browser.get(f"/personen/{plan.person_id}/plan")
        if response.status_code == 200:
            opened += 1
            assert "Juridisch kader" in response.get_data(as_text=True)
        else:  # another region's person: refused, never an error
            assert response.status_code in (403, 404), response.status_code
    assert opened > 0
