"""Fixtures: every database test runs on SQLite and on PostgreSQL.

PostgreSQL comes from LEVENSLOOP_TEST_POSTGRES_URL; each test session creates a fresh database
on that server and drops it afterwards. Without a reachable server the PostgreSQL variants skip
with one line; with LEVENSLOOP_REQUIRE_POSTGRES=1 that is a failure instead.
"""

from __future__ import annotations

import contextvars
import re
import secrets
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy.engine import make_url

import config as config_package
from tests import factories

ENV = config_package.test_environment()
BACKENDS = ("sqlite", "postgresql")


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "ja")


# ---------------------------------------------------------------- databases


@pytest.fixture(scope="session")
def postgres_server_url():
    url = ENV["postgres_url"]
    reason = None
    if not url:
        reason = "PostgreSQL-tests overgeslagen: LEVENSLOOP_TEST_POSTGRES_URL is niet gezet"
    else:
        try:
            engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
            with engine.connect() as conn:
                conn.execute(sa.text("SELECT 1"))
            engine.dispose()
        except Exception as exc:  # unreachable server, wrong credentials
            reason = f"PostgreSQL-tests overgeslagen: server niet bereikbaar ({type(exc).__name__})"
    if reason:
        if _truthy(ENV["require_postgres"]):
            pytest.fail(reason + " terwijl LEVENSLOOP_REQUIRE_POSTGRES=1", pytrace=False)
        pytest.skip(reason)
    return url


@pytest.fixture(scope="session")
def postgres_database(postgres_server_url):
    """A fresh, empty database on the test server for this session."""
    name = f"levensloop_test_{secrets.token_hex(4)}"
    admin = sa.create_engine(postgres_server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = make_url(postgres_server_url).set(database=name)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    yield url.render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def sqlite_database(tmp_path_factory):
    path = tmp_path_factory.mktemp("db") / "levensloop-test.db"
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def migrated(request):
    """Database URLs whose schema was built by the migrations (once per backend)."""
    done: dict[str, str] = {}

    def get(backend: str) -> str:
        if backend not in done:
            url = (
                request.getfixturevalue(f"{backend}_database")
                if backend == "sqlite"
                else request.getfixturevalue("postgres_database")
            )
            app = make_app(url)
            with app.app_context():
                from flask_migrate import upgrade

                upgrade()
                from levensloop.extensions import db

                db.engine.dispose()
            done[backend] = url
        return done[backend]

    return get


class IsolatedClient(FlaskClient):
    """Each request runs in a fresh context, as in a real server: its own app context, `g`
    and database session, not the ones the test itself holds."""

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


def make_app(database_url: str, **overrides):
    from levensloop import create_app

    settings = {"CONFIG_NAME": "testing", "SQLALCHEMY_DATABASE_URI": database_url}
    settings.update(overrides)
    app = create_app(settings)
    app.test_client_class = IsolatedClient
    return app


@pytest.fixture(params=BACKENDS)
def backend(request):
    return request.param


@pytest.fixture
def database_url(backend, migrated):
    return migrated(backend)


@pytest.fixture
def app(database_url):
    app = make_app(database_url)
    with app.app_context():
        yield app
        from levensloop.extensions import db

        db.session.remove()
        _empty_all_tables(db)
        db.engine.dispose()


def _empty_all_tables(db) -> None:
    from levensloop.audit.models import GENESIS_HASH, AuditChainHead

    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SET LOCAL levensloop.audit_maintenance = 'on'"))
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())
        conn.execute(sa.insert(AuditChainHead.__table__).values(id=1, seq=0, hash=GENESIS_HASH))


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# ---------------------------------------------------------------- time


@pytest.fixture
def clock():
    """Frozen time that tests move forward explicitly: clock.advance(minutes=16)."""
    import time_machine

    class Clock:
        def __init__(self) -> None:
            self.now = datetime(2026, 11, 2, 9, 0, 5, tzinfo=UTC)
            self._traveller = time_machine.travel(self.now, tick=False)
            self._traveller.start()

        def advance(self, **delta) -> datetime:
            self._traveller.stop()
            self.now = self.now + timedelta(**delta)
            self._traveller = time_machine.travel(self.now, tick=False)
            self._traveller.start()
            return self.now

        def stop(self) -> None:
            self._traveller.stop()

    clock = Clock()
    yield clock
    clock.stop()


# ---------------------------------------------------------------- users and login


@pytest.fixture
def world(app):
    """Two regions with organisations, and a helper to create users in them."""
    return factories.World.build()


CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "geen CSRF-token op de pagina"
    return match.group(1) or match.group(2)


class Browser:
    """A test client that fills in CSRF tokens the way a browser form would."""

    def __init__(self, client) -> None:
        self.client = client

    def get(self, url, **kwargs):
        return self.client.get(url, **kwargs)

    def post_form(self, page_url: str, data: dict, *, action: str | None = None, **kwargs):
        page = self.client.get(page_url)
        token = csrf_from(page.get_data(as_text=True))
        return self.client.post(action or page_url, data={**data, "csrf_token": token}, **kwargs)

    def post_from(self, page, action: str, data: dict, **kwargs):
        """Submit a form of a page already fetched (as a browser would)."""
        token = csrf_from(page.get_data(as_text=True))
        return self.client.post(action, data={**data, "csrf_token": token}, **kwargs)

    def login(
        self,
        user: factories.TestUser,
        *,
        code: str | None = None,
        follow: bool = True,
        next_url=None,
    ):
        login_url = "/inloggen" + (f"?next={next_url}" if next_url else "")
        first = self.post_form(login_url, {"username": user.username, "password": user.password})
        assert first.status_code == 302, first.get_data(as_text=True)[:2000]
        code = code or user.current_code()
        second = self.post_form("/inloggen/code", {"code": code})
        if follow and second.status_code == 302:
            return self.client.get(second.headers["Location"])
        return second

    def logout(self):
        return self.post_form("/dashboard", {}, action="/uitloggen")


@pytest.fixture
def browser(client):
    return Browser(client)


def new_uuid() -> str:
    return str(uuid.uuid4())


# ---------------------------------------------------------------- ASVS coverage


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """After a full run: the OWASP ASVS coverage in short (see tests/asvs.py)."""
    from tests.asvs import terminal_summary

    terminal_summary(terminalreporter, config)
