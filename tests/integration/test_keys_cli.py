"""`flask keys status|rotate|rewrap|retire` against a real key file."""

from __future__ import annotations

import base64
import stat

import pytest

from levensloop.persons.services import PersonInput, create_person
from tests.conftest import make_app


@pytest.fixture
def keyed_app(database_url, tmp_path, world):
    path = tmp_path / "master.keys"
    path.write_text(
        "1:"
        + base64.b64encode(b"\x11" * 32).decode()
        + "\nindex:"
        + base64.b64encode(b"\x12" * 32).decode()
        + "\n"
    )
    path.chmod(0o600)
    apps = []

    def build():
        app = make_app(database_url, MASTER_KEYS=None, MASTER_KEY_FILE=str(path))
        apps.append(app)
        return app

    yield build, path
    from levensloop.extensions import db

    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def _invoke(app, *args, **kwargs):
    """Run a command as its own process would: in a fresh context with this app only."""
    import contextvars

    return contextvars.Context().run(app.test_cli_runner().invoke, args=list(args), **kwargs)


@pytest.mark.asvs("V11.2.2")
def test_rotate_rewrap_retire_cycle(keyed_app):
    build, path = keyed_app
    app = build()
    ids = _in_app(
        app,
        lambda: [
            create_person(None, _region(), PersonInput(achternaam=f"Sleutel{n}")).id
            for n in range(5)
        ],
    )
    status = _invoke(app, "keys", "status")
    assert status.exit_code == 0 and "1       actief    5" in status.output

    assert _invoke(app, "keys", "retire", "1").exit_code != 0  # the active version
    rotated = _invoke(app, "keys", "rotate")
    assert rotated.exit_code == 0 and "versie 2" in rotated.output
    assert stat.S_IMODE(path.stat().st_mode) == 0o600

    app = build()  # a restarted process sees version 2
    status = _invoke(app, "keys", "status")
    assert "2       actief    0" in status.output and "1       oud       5" in status.output
    refused = _invoke(app, "keys", "retire", "1")
    assert refused.exit_code != 0 and "5 datasleutels gebruiken versie 1 nog" in refused.output

    rewrapped = _invoke(app, "keys", "rewrap", "--batch", "2")
    assert (
        rewrapped.exit_code == 0
        and "5 datasleutels opnieuw verpakt onder versie 2" in rewrapped.output
    )
    again = _invoke(app, "keys", "rewrap")
    assert "Alle datasleutels staan al onder de actieve hoofdsleutel" in again.output

    retired = _invoke(app, "keys", "retire", "1")
    assert retired.exit_code == 0, retired.output
    assert not path.read_text().count("\n1:") and not path.read_text().startswith("1:")

    app = build()  # only version 2 left: everything still decrypts
    from levensloop.extensions import db
    from levensloop.persons.models import Person

    names = _in_app(app, lambda: sorted(db.session.get(Person, i).achternaam for i in ids))
    assert names == [f"Sleutel{n}" for n in range(5)]


def test_rewrap_with_bad_batch_size_is_refused(keyed_app):
    build, _path = keyed_app
    result = _invoke(build(), "keys", "rewrap", "--batch", "0")
    assert result.exit_code != 0


@pytest.mark.asvs("V14.2.7")
def test_shred_command_asks_for_confirmation_and_is_idempotent(keyed_app):
    build, _path = keyed_app
    app = build()
    person_id = _in_app(
        app, lambda: create_person(None, _region(), PersonInput(achternaam="Weg")).id
    )
    declined = _invoke(app, "persons", "shred", str(person_id), "--reason", "retentie", input="n\n")
    assert declined.exit_code != 0
    done = _invoke(app, "persons", "shred", str(person_id), "--reason", "retentie", "--yes")
    assert done.exit_code == 0 and "Gegevens vernietigd" in done.output
    again = _invoke(app, "persons", "shred", str(person_id), "--reason", "retentie", "--yes")
    assert again.exit_code == 0 and "al vernietigd" in again.output
    assert (
        _invoke(app, "persons", "shred", "geen-id", "--reason", "retentie", "--yes").exit_code != 0
    )
    status = _invoke(app, "keys", "status")
    assert "Vernietigde datasleutels (personen): 1" in status.output


def _region():
    import sqlalchemy as sa

    from levensloop.extensions import db
    from levensloop.organisations.models import Region

    return db.session.scalar(sa.select(Region).where(Region.code == "test-west"))


def _in_app(app, fn):
    """Call fn inside `app`'s context, in a fresh contextvars context (the test holds another
    app)."""
    import contextvars

    def run():
        from levensloop.extensions import db

        with app.app_context():
            try:
                return fn()
            finally:
                db.session.remove()

    return contextvars.Context().run(run)
