"""Notifications: created once per dedup key, an inbox of one's own (names through the policy,
paged in SQL), read marks, the unread count in the header, and the e-mail that carries no
personal data."""

from __future__ import annotations

import contextvars
import logging
import uuid

import pytest
import sqlalchemy as sa

from config.production import ProductionConfig
from levensloop.auth.models import Role
from levensloop.db import local_today
from levensloop.extensions import db
from levensloop.notifications import mail, services
from levensloop.notifications.models import Notification
from levensloop.persons.services import PersonInput, create_person
from levensloop.scheduler.models import JobRun
from levensloop.sharing.models import CaseAssignment
from tests.conftest import Browser

NAME = "Zwartvoet"
BSN = "111222333"
TITLE = "Een titel loopt over 30 dagen af"


def _invoke(app, *args):
    """A command as its own process would run it: a fresh context with this app only."""
    return contextvars.Context().run(app.test_cli_runner().invoke, args=list(args))


def _notify(user, region, *, key=None, person=None, title=TITLE, kind="titel_loopt_af"):
    link = f"/personen/{person.id}/titels" if person else "/escalaties/"
    created = services.notify(
        user.id,
        region.id,
        kind=kind,
        title=title,
        link=link,
        person_id=person.id if person else None,
        dedup_key=key or f"test:{uuid.uuid4()}",
    )
    db.session.commit()
    return created


@pytest.fixture
def case(world, app, clock):
    """A coördinator with one person in the caseload, and a colleague."""
    person = create_person(None, world.west, PersonInput(achternaam=NAME, bsn=BSN))
    coordinator = world.user(Role.LEVENSLOOPCOORDINATOR, organisation=world.west_ggz)
    colleague = world.user(Role.LEVENSLOOPCOORDINATOR, organisation=world.west_ggz)
    db.session.add(
        CaseAssignment(
            person_id=person.id,
            user_id=coordinator.id,
            role="coordinator",
            start_date=local_today(),
        )
    )
    db.session.commit()
    browser = Browser(app.test_client())
    browser.login(coordinator)
    return {
        "person": person,
        "coordinator": coordinator,
        "colleague": colleague,
        "browser": browser,
    }


def _reload(notification_id) -> Notification:
    db.session.expire_all()
    return db.session.get(Notification, notification_id)


# ---------------------------------------------------------------- creating


def test_notify_creates_the_same_alert_once_per_user(world, case):
    coordinator, colleague = case["coordinator"], case["colleague"]
    first = _notify(coordinator, world.west, key="titel:abc:30", person=case["person"])
    assert first is not None and first.read_at is None and first.emailed_at is None
    assert _notify(coordinator, world.west, key="titel:abc:30", person=case["person"]) is None
    assert _notify(colleague, world.west, key="titel:abc:30") is not None
    assert _notify(coordinator, world.west, key="titel:abc:60") is not None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification)) == 3


@pytest.mark.parametrize(
    "link", ["https://voorbeeld.example/x", "//voorbeeld.example/x", "berichten", "/a\\b", "/a b"]
)
@pytest.mark.asvs("V1.2.2", "V3.7.2")
def test_notify_only_links_inside_levensloop(world, case, link):
    with pytest.raises(ValueError):
        services.notify(
            case["coordinator"].id,
            world.west.id,
            kind="titel_loopt_af",
            title=TITLE,
            link=link,
            dedup_key="x",
        )


# ---------------------------------------------------------------- the inbox


def test_inbox_shows_only_own_notifications_with_names_the_policy_allows(world, case):
    coordinator, colleague = case["coordinator"], case["colleague"]
    stranger = create_person(None, world.west, PersonInput(achternaam="Onbekendewoud"))
    _notify(coordinator, world.west, person=case["person"])
    _notify(coordinator, world.west, person=stranger, title="Een overdracht is niet beantwoord")
    _notify(colleague, world.west, title="Een escalatie is over de termijn")
    _notify(coordinator, world.oost, title="Een evaluatie is nodig")
    html = case["browser"].get("/berichten/").get_data(as_text=True)
    assert TITLE in html and NAME in html
    assert f'href="/personen/{case["person"].id}/titels"' in html
    assert "Een overdracht is niet beantwoord" in html
    assert "Onbekendewoud" not in html and "niet zichtbaar voor u" in html
    assert "Een escalatie is over de termijn" not in html  # the colleague's
    assert "Een evaluatie is nodig" not in html  # another region's: only counted
    assert "ZVH Test Oost (1)" in html


def test_inbox_read_is_audited_with_categories(world, case):
    from levensloop.audit.models import AuditEvent

    _notify(case["coordinator"], world.west, person=case["person"])
    case["browser"].get("/berichten/")
    event = db.session.scalar(
        sa.select(AuditEvent).where(
            AuditEvent.object_type == "berichten", AuditEvent.event_type == "read"
        )
    )
    assert event.actor_user_id == case["coordinator"].id
    assert event.categories == "identiteit,proces"
    assert NAME not in str(event.details)


@pytest.mark.asvs("V8.2.2")
def test_another_users_notification_is_not_found(world, case):
    browser = case["browser"]
    theirs = _notify(case["colleague"], world.west)
    own_elsewhere = _notify(case["coordinator"], world.oost)
    page = browser.get("/berichten/")
    for notification_id in (theirs.id, own_elsewhere.id, uuid.uuid4()):
        response = browser.post_from(page, f"/berichten/{notification_id}/gelezen", {})
        assert response.status_code == 404
    assert _reload(theirs.id).read_at is None
    assert _reload(own_elsewhere.id).read_at is None


def test_unread_count_in_the_header(world, case):
    browser = case["browser"]
    html = browser.get("/dashboard").get_data(as_text=True)
    assert ">Berichten</a>" in html
    first = _notify(case["coordinator"], world.west, person=case["person"])
    _notify(case["coordinator"], world.west)
    _notify(case["colleague"], world.west)
    html = browser.get("/dashboard").get_data(as_text=True)
    assert 'Berichten (2<span class="levensloop-visually-hidden"> ongelezen</span>)' in html
    browser.post_from(browser.get("/berichten/"), f"/berichten/{first.id}/gelezen", {})
    html = browser.get("/dashboard").get_data(as_text=True)
    assert "Berichten (1<span" in html


def test_mark_one_and_all_read(world, case):
    browser = case["browser"]
    first = _notify(case["coordinator"], world.west, person=case["person"])
    second = _notify(case["coordinator"], world.west, title="Een escalatie is over de termijn")
    third = _notify(case["coordinator"], world.west, title="Een evaluatie is nodig")
    page = browser.get("/berichten/?weergave=ongelezen")
    assert "Ongelezen (3)" in page.get_data(as_text=True)
    done = browser.post_from(page, f"/berichten/{first.id}/gelezen", {"weergave": "ongelezen"})
    assert done.status_code == 302 and done.headers["Location"].endswith(
        "/berichten/?weergave=ongelezen"
    )
    assert _reload(first.id).read_at is not None
    unread = browser.get("/berichten/?weergave=ongelezen").get_data(as_text=True)
    assert TITLE not in unread and "Een escalatie is over de termijn" in unread
    again = browser.post_from(page, f"/berichten/{first.id}/gelezen", {})
    assert again.status_code == 302  # harmless to repeat
    everything = browser.get("/berichten/").get_data(as_text=True)
    assert TITLE in everything and "Gelezen" in everything
    browser.post_from(browser.get("/berichten/"), "/berichten/alles-gelezen", {})
    assert _reload(second.id).read_at is not None and _reload(third.id).read_at is not None
    html = browser.get("/berichten/?weergave=ongelezen").get_data(as_text=True)
    assert "Geen ongelezen berichten" in html and "Berichten (" not in html


def test_empty_inbox(case):
    html = case["browser"].get("/berichten/").get_data(as_text=True)
    assert "Geen berichten" in html
    assert "Levensloop meldt hier termijnen die verlopen, overdrachten en escalaties." in html


def test_inbox_is_paged_in_sql_without_a_query_per_row(world, case, app, clock):
    coordinator = case["coordinator"]

    def add_persons(n, start):
        for i in range(n):
            person = create_person(None, world.west, PersonInput(achternaam=f"Rij{start + i}"))
            db.session.add(
                CaseAssignment(
                    person_id=person.id,
                    user_id=coordinator.id,
                    role="coordinator",
                    start_date=local_today(),
                )
            )
            db.session.commit()
            _notify(coordinator, world.west, person=person)
            clock.advance(seconds=1)

    def queries_for(url):
        statements = []

        def count(*_args):
            statements.append(1)

        sa.event.listen(db.engine, "before_cursor_execute", count)
        try:
            response = case["browser"].get(url)
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", count)
        assert response.status_code == 200
        return len(statements), response.get_data(as_text=True)

    add_persons(3, 0)
    case["browser"].get("/berichten/")
    few, _html = queries_for("/berichten/")
    add_persons(24, 3)
    many, html = queries_for("/berichten/")
    assert few == many
    assert html.count('class="utrecht-table__row"') == 1 + services.PAGE_SIZE
    second = case["browser"].get("/berichten/?page=2").get_data(as_text=True)
    assert second.count('class="utrecht-table__row"') == 1 + 2
    assert "Rij0" in second  # oldest last


# ---------------------------------------------------------------- e-mail


@pytest.fixture
def outbox(app):
    box = mail.outbox(app)
    box.clear()
    return box


@pytest.mark.asvs("V14.2.3")
def test_mail_job_sends_one_mail_per_user_without_personal_data(world, case, app, clock, outbox):
    coordinator, colleague = case["coordinator"], case["colleague"]
    db.session.refresh(coordinator.model)  # the login changed the row
    coordinator.model.email = "coordinator.werk@test.example"
    db.session.commit()
    for n in range(3):
        _notify(coordinator, world.west, person=case["person"], title=f"{TITLE} ({n})")
    read = _notify(colleague, world.west)
    read.read_at = read.created_at
    db.session.commit()
    result = _invoke(app, "scheduler", "run-once", "berichten-mailen")
    assert result.exit_code == 0, result.output
    assert "klaar (1 e-mail(s) verstuurd)" in result.output
    assert len(outbox) == 1
    message = outbox[0]
    assert message["To"] == "coordinator.werk@test.example"
    assert message["Subject"] == "Er is een nieuw bericht in Levensloop"
    text = message.as_string()
    assert "https://levensloop.test/berichten/" in text
    for secret in (NAME, BSN, str(case["person"].id), TITLE, "titel", "titels", "Titel"):
        assert secret not in text
    db.session.expire_all()
    assert all(
        n.emailed_at is not None
        for n in db.session.scalars(
            sa.select(Notification).where(Notification.user_id == coordinator.id)
        )
    )
    # The next hour: nothing new, nothing sent; a new notification, one more e-mail.
    clock.advance(hours=1)
    assert _invoke(app, "scheduler", "run-once", "berichten-mailen").exit_code == 0
    assert len(outbox) == 1
    _notify(coordinator, world.west)
    clock.advance(hours=1)
    assert _invoke(app, "scheduler", "run-once", "berichten-mailen").exit_code == 0
    assert len(outbox) == 2


@pytest.mark.asvs("V16.2.5")
def test_mail_log_holds_no_address_and_no_names(world, case, app, outbox, caplog):
    caplog.set_level(logging.INFO, logger="levensloop")
    _notify(case["coordinator"], world.west, person=case["person"])
    assert _invoke(app, "scheduler", "run-once", "berichten-mailen").exit_code == 0
    assert len(outbox) == 1
    lines = [record.getMessage() for record in caplog.records]
    assert any("E-mail niet verstuurd (console)" in line for line in lines)
    for line in lines:
        assert "@" not in line and case["coordinator"].username not in line
        assert NAME not in line and BSN not in line


def test_inactive_users_and_users_without_an_address_get_no_mail(world, case, app, outbox):
    inactive = world.user(Role.LEVENSLOOPCOORDINATOR, active=False)
    no_address = world.user(Role.LEVENSLOOPCOORDINATOR)
    no_address.model.username = f"zonder-adres-{uuid.uuid4().hex[:8]}"
    db.session.commit()
    _notify(inactive, world.west)
    _notify(no_address, world.west)
    result = _invoke(app, "scheduler", "run-once", "berichten-mailen")
    assert result.exit_code == 0 and "0 e-mail(s) verstuurd" in result.output
    assert outbox == []


def test_mail_can_be_switched_off(world, case, app, outbox):
    app.config["MAIL_ENABLED"] = False
    _notify(case["coordinator"], world.west)
    result = _invoke(app, "scheduler", "run-once", "berichten-mailen")
    assert result.exit_code == 0 and "e-mail staat uit" in result.output
    assert outbox == []


class FakeSMTP:
    instances: list = []
    fail_send = False

    def __init__(self, host, port, timeout=None):
        self.calls = [("connect", host, port)]
        FakeSMTP.instances.append(self)

    def starttls(self, context=None):
        self.calls.append(("starttls",))

    def login(self, user, password):
        self.calls.append(("login", user))

    def send_message(self, message):
        if FakeSMTP.fail_send:
            import smtplib

            raise smtplib.SMTPRecipientsRefused({})
        self.calls.append(("send", message["To"]))

    def quit(self):
        self.calls.append(("quit",))


@pytest.fixture
def smtp(app, monkeypatch):
    FakeSMTP.instances = []
    FakeSMTP.fail_send = False
    monkeypatch.setattr(mail.smtplib, "SMTP", FakeSMTP)
    app.config.update(
        MAIL_BACKEND="smtp",
        MAIL_SERVER="smtp.test.example",
        MAIL_PORT=587,
        MAIL_USE_TLS=True,
        MAIL_USE_SSL=False,
        MAIL_USERNAME="levensloop",
        MAIL_PASSWORD="geheim-wachtwoord",
    )
    return FakeSMTP


def test_smtp_backend_uses_starttls_and_one_connection(world, case, app, smtp):
    _notify(case["coordinator"], world.west)
    _notify(case["colleague"], world.west)
    assert _invoke(app, "scheduler", "run-once", "berichten-mailen").exit_code == 0
    assert len(smtp.instances) == 1
    calls = smtp.instances[0].calls
    assert [c[0] for c in calls] == ["connect", "starttls", "login", "send", "send", "quit"]


@pytest.mark.asvs("V16.5.2")
def test_failed_sending_fails_the_run_and_a_retry_sends(world, case, app, smtp):
    first = _notify(case["coordinator"], world.west)
    smtp.fail_send = True
    failed = _invoke(app, "scheduler", "run-once", "berichten-mailen")
    assert failed.exit_code != 0 and "mislukt (MailError)" in failed.output
    assert _reload(first.id).emailed_at is None
    run = db.session.scalar(sa.select(JobRun))
    assert run.status == "failed" and run.error == "MailError"
    smtp.fail_send = False
    retried = _invoke(app, "scheduler", "run-once", "berichten-mailen", "--period", run.period)
    assert retried.exit_code == 0 and "klaar (1 e-mail(s) verstuurd)" in retried.output
    db.session.expire_all()
    run = db.session.scalar(sa.select(JobRun))
    assert run.status == "ok" and run.attempts == 2 and run.error is None
    assert _reload(first.id).emailed_at is not None


def test_production_refuses_mail_without_smtp_settings_only_when_enabled():
    base = {
        "SECRET_KEY": "p" * 40,
        "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://db/levensloop",
        "MASTER_KEY_FILE": "/etc/levensloop/master.keys",
        "RATELIMIT_STORAGE_URI": "redis://localhost:6379/0",
    }
    ProductionConfig.validate({**base, "MAIL_ENABLED": False})
    with pytest.raises(RuntimeError) as refused:
        ProductionConfig.validate({**base, "MAIL_ENABLED": True, "MAIL_USE_TLS": True})
    assert "LEVENSLOOP_MAIL_SERVER" in str(refused.value)
    assert "LEVENSLOOP_MAIL_SENDER" in str(refused.value)
    assert "LEVENSLOOP_MAIL_BASE_URL" in str(refused.value)
    complete = {
        **base,
        "MAIL_ENABLED": True,
        "MAIL_SERVER": "smtp.zvh.example",
        "MAIL_USE_TLS": True,
        "MAIL_DEFAULT_SENDER": "levensloop@zvh.example",
        "MAIL_BASE_URL": "https://levensloop.zvh.example",
        "MAIL_USERNAME": "levensloop",
        "MAIL_PASSWORD": "wachtwoord-uit-de-omgeving",
    }
    ProductionConfig.validate(complete)
    with pytest.raises(RuntimeError, match="versleuteling"):
        ProductionConfig.validate({**complete, "MAIL_USE_TLS": False})
