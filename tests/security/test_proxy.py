"""Behind the TLS proxy the client's address comes from X-Forwarded-For, but only when the
installation says how many proxies it trusts; otherwise the header is ignored, so no client
can pick the address that the login limit and the audit log see."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from levensloop.audit.models import AuditEvent
from levensloop.extensions import db
from tests.conftest import csrf_from, make_app

CLIENT = "203.0.113.7"  # documentation range (RFC 5737)


def _failed_login_access_point(app) -> str:
    with app.app_context():
        client = app.test_client()
        headers = {"X-Forwarded-For": CLIENT, "X-Forwarded-Proto": "https"}
        page = client.get("/inloggen", headers=headers)
        client.post(
            "/inloggen",
            data={
                "username": "onbekend@levensloop.test",
                "password": "fout-wachtwoord",
                "csrf_token": csrf_from(page.get_data(as_text=True)),
            },
            headers={**headers, "Referer": "https://localhost/inloggen"},
        )
        event = db.session.scalar(
            sa.select(AuditEvent)
            .where(AuditEvent.event_type == "login_failed")
            .order_by(AuditEvent.seq.desc())
        )
        assert event is not None, "mislukte inlog niet gelogd"
        access_point = event.access_point
        db.session.remove()
        db.engine.dispose()  # this app's own pool: no connection left for the collector
        return access_point


@pytest.mark.asvs("V15.3.4")
def test_the_forwarded_client_address_counts_only_behind_a_trusted_proxy(database_url):
    trusted = make_app(database_url, TRUSTED_PROXIES=1)
    assert _failed_login_access_point(trusted) == CLIENT
    untrusted = make_app(database_url)  # the default: no proxy trusted
    assert _failed_login_access_point(untrusted) == "127.0.0.1"
