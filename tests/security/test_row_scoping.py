"""A raw query for persons inside a request sees only the current region."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import g

from levensloop.extensions import db
from levensloop.persons.models import Person
from levensloop.persons.services import PersonInput, create_person


@pytest.mark.asvs("V8.4.1")
def test_raw_select_sees_only_the_current_region(app, world):
    west = create_person(None, world.west, PersonInput(achternaam="West")).id
    oost = create_person(None, world.oost, PersonInput(achternaam="Oost")).id
    with app.test_request_context():
        g.region, g.region_id = world.west, world.west.id
        db.session.expire_all()
        assert set(db.session.scalars(sa.select(Person.id))) == {west}
        assert db.session.get(Person, oost) is None
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Person)) == 1
        unscoped = db.session.scalars(
            sa.select(Person.id).execution_options(skip_region_scope=True)
        )
        assert set(unscoped) == {west, oost}
        db.session.remove()
    # Outside a request (CLI, jobs) nothing is scoped.
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Person)) == 2
