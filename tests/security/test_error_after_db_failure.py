"""A request that fails inside the database still gets the full Dutch error page: the failed
transaction is rolled back before the page reads the signed-in user and the menu."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa

from levensloop.auth.models import Role
from levensloop.extensions import db
from levensloop.organisations.models import Organisation
from tests.conftest import Browser


@pytest.mark.asvs("V16.5.1")
def test_the_error_page_after_a_failed_commit_is_the_full_page(app, world, caplog):
    @app.get("/test-databasefout")
    def lost_race():
        # another request changed this row after we read it: the commit matches no row
        organisation = db.session.get(Organisation, world.west_ggz.id)
        db.session.connection().execute(
            sa.text("UPDATE organisations SET version = version + 1 WHERE id = :id"),
            {"id": organisation.id.hex if db.engine.dialect.name == "sqlite" else organisation.id},
        )
        organisation.name = "Gewijzigde naam"
        db.session.commit()

    browser = Browser(app.test_client())
    browser.login(world.user(Role.LEVENSLOOPCOORDINATOR))
    db.session.remove()
    with caplog.at_level(logging.WARNING):
        response = browser.get("/test-databasefout")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "StaleDataError" not in html and "Traceback" not in html
    assert "kon niet worden getoond" not in caplog.text  # not the plain fallback page
    assert 'href="/uitloggen"' in html or 'action="/uitloggen"' in html  # the signed-in layout
