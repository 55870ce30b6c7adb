"""Notifications: create them (once per user and dedup key), the inbox, read marks, and the
e-mail that only says there is something new.

A notification holds no personal data. Its title is a fixed Dutch sentence ("Een titel loopt
over 30 dagen af"); the person it is about is stored by id, and the inbox shows the name only
when the policy lets the reader see it (`persons.services.names_for`), looked up when shown.
"""

from __future__ import annotations

import logging
import re
import smtplib
import uuid
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import Flask
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from levensloop.audit.services import record
from levensloop.auth.models import User
from levensloop.db import utcnow
from levensloop.errors import NotFound
from levensloop.extensions import db
from levensloop.notifications import mail
from levensloop.notifications.models import Notification
from levensloop.organisations.models import Region

log = logging.getLogger("levensloop.notifications")

PAGE_SIZE = 25

# Labels of the kinds the modules raise; a kind without a label is shown as "Bericht".
KIND_LABELS = {
    "titel_loopt_af": _l("Titel loopt af"),
    "overdracht_onbeantwoord": _l("Overdracht onbeantwoord"),
    "escalatie_te_laat": _l("Escalatie over de termijn"),
    "evaluatie_nodig": _l("Evaluatie nodig"),
    "actie_te_laat": _l("Actie over de datum"),
    "informatieplicht": _l("Informatieplicht"),
    "rechtenverzoek": _l("Rechtenverzoek"),
}

_KIND = re.compile(r"[a-z][a-z0-9_]{0,39}")


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, _l("Bericht")))


def _check_link(link: str) -> str:
    """A path inside Levensloop: starts with one slash, no scheme, host or backslash."""
    if (
        not link.startswith("/")
        or link.startswith("//")
        or "\\" in link
        or len(link) > 300
        or any(ord(c) < 33 for c in link)
    ):
        raise ValueError("de link van een bericht moet een pad binnen Levensloop zijn")
    return link


# ---------------------------------------------------------------- creating


def notify(
    user_id: uuid.UUID,
    region_id: uuid.UUID,
    *,
    kind: str,
    title: str,
    link: str,
    person_id: uuid.UUID | None = None,
    dedup_key: str,
) -> Notification | None:
    """Put a notification in a user's inbox, once per (user, dedup_key): None when it was
    already there (also when another process created it at the same moment).

    `title` is a Dutch sentence WITHOUT personal data; `link` a local path; `dedup_key` names
    the alert and its period, e.g. "titel_loopt_af:<title id>:30". Joins the caller's
    transaction (so an alert commits together with the change that caused it): the caller
    commits."""
    if not _KIND.fullmatch(kind or ""):
        raise ValueError("kind: een korte code van kleine letters, cijfers en _")
    title = (title or "").strip()
    if not title or len(title) > 200:
        raise ValueError("title: 1 tot 200 tekens")
    if not dedup_key or len(dedup_key) > 200:
        raise ValueError("dedup_key: 1 tot 200 tekens")
    _check_link(link)
    new_id = uuid.uuid4()
    statement = (
        _insert_statement()
        .values(
            id=new_id,
            user_id=user_id,
            region_id=region_id,
            kind=kind,
            title=title,
            link=link,
            person_id=person_id,
            dedup_key=dedup_key,
            created_at=utcnow(),
        )
        .on_conflict_do_nothing(index_elements=["user_id", "dedup_key"])
        .returning(Notification.id)
    )
    if db.session.execute(statement).scalar() is None:
        return None
    record(
        "create",
        region_id=region_id,
        object_type="bericht",
        object_id=new_id,
        person_id=person_id,
        categories=["proces"] if person_id else None,
        details={"kind": kind, "user": str(user_id)},
    )
    return db.session.get(Notification, new_id)


def _insert_statement():
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(Notification)


# ---------------------------------------------------------------- the inbox


def _own(user, region_id: uuid.UUID):
    return sa.and_(Notification.user_id == user.id, Notification.region_id == region_id)


def unread_count(user, region_id: uuid.UUID | None) -> int:
    """The number of unread notifications of the user in the region (one query)."""
    if region_id is None:
        return 0
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Notification)
            .where(_own(user, region_id), Notification.read_at.is_(None))
        )
        or 0
    )


@dataclass
class InboxPage:
    pagination: object
    names: dict  # person id -> display name, or None where the reader may not see it
    unread: int
    only_unread: bool
    other_regions: list = field(default_factory=list)  # (region name, unread count)


def inbox(user, region: Region, *, page: int = 1, only_unread: bool = False) -> InboxPage:
    """One page of the user's notifications in this region, newest first, paged in SQL; the
    names of the persons as far as the policy allows; the unread counts of other regions.
    A fixed number of queries whatever the page size. The read is recorded."""
    from levensloop.persons.services import names_for

    query = sa.select(Notification).where(_own(user, region.id))
    if only_unread:
        query = query.where(Notification.read_at.is_(None))
    pagination = db.paginate(
        query.order_by(Notification.created_at.desc(), Notification.id),
        page=page,
        per_page=PAGE_SIZE,
        error_out=False,
    )
    names = names_for(user, region, (n.person_id for n in pagination.items))
    other_regions = db.session.execute(
        sa.select(Region.name, sa.func.count(Notification.id))
        .join(Region, Region.id == Notification.region_id)
        .where(
            Notification.user_id == user.id,
            Notification.region_id != region.id,
            Notification.read_at.is_(None),
        )
        .group_by(Region.name)
        .order_by(Region.name)
    ).all()
    shown_names = any(names.get(n.person_id) for n in pagination.items if n.person_id)
    record(
        "read",
        actor=user,
        region_id=region.id,
        object_type="berichten",
        categories=["identiteit", "proces"] if shown_names else ["proces"],
        details={"results": len(pagination.items), "page": pagination.page},
    )
    db.session.commit()
    return InboxPage(
        pagination=pagination,
        names=names,
        unread=unread_count(user, region.id),
        only_unread=only_unread,
        other_regions=[(name, count) for name, count in other_regions],
    )


def mark_read(user, region: Region, notification_id: uuid.UUID | None) -> Notification:
    """Mark one of the user's own notifications read. Anyone else's, another region's or an
    unknown id: 404. Harmless to repeat."""
    notification = db.session.get(Notification, notification_id) if notification_id else None
    if (
        notification is None
        or notification.user_id != user.id
        or notification.region_id != region.id
    ):
        raise NotFound(_("Dit bericht bestaat niet."))
    if notification.read_at is None:
        notification.read_at = utcnow()
        record(
            "update",
            actor=user,
            region_id=region.id,
            object_type="bericht",
            object_id=notification.id,
            details={"gelezen": 1},
        )
        db.session.commit()
    return notification


def mark_all_read(user, region: Region) -> int:
    """Mark all the user's unread notifications in the region read (one UPDATE)."""
    result = db.session.execute(
        sa.update(Notification)
        .where(_own(user, region.id), Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    count = result.rowcount or 0
    if count:
        record(
            "update",
            actor=user,
            region_id=region.id,
            object_type="berichten",
            details={"gelezen": count},
        )
    db.session.commit()
    return count


# ---------------------------------------------------------------- e-mail


@dataclass(frozen=True)
class MailResult:
    sent: int
    failed: int
    enabled: bool = True

    def summary(self) -> str:
        if not self.enabled:
            return "e-mail staat uit"
        text = f"{self.sent} e-mail(s) verstuurd"
        return f"{text}, {self.failed} mislukt" if self.failed else text


def _address():
    """The user's e-mail address: the e-mail field, else the username when it is one."""
    return sa.func.coalesce(
        User.email, sa.case((User.username.like("%@%"), User.username), else_=None)
    )


def inbox_link(app: Flask) -> str:
    path = app.url_map.bind("localhost").build("notifications.index")
    return app.config["MAIL_BASE_URL"].rstrip("/") + path


def compose_new_message_mail(app: Flask, *, to: str, locale: str | None):
    """The one e-mail: that there is a new message, and the link to the inbox. Nothing else:
    no name, no person, no kind of message."""
    with force_locale("en_GB" if locale == "en" else app.config["BABEL_DEFAULT_LOCALE"]):
        subject = _("Er is een nieuw bericht in Levensloop")
        body = "\n\n".join(
            (
                _("Er staat een nieuw bericht voor u klaar in Levensloop."),
                _("Log in om het te lezen: %(link)s", link=inbox_link(app)),
                _(
                    "Deze e-mail bevat bewust geen gegevens over personen. U krijgt hem één "
                    "keer voor nieuwe berichten die u nog niet heeft gelezen."
                ),
            )
        )
    return mail.compose(app, to=to, subject=subject, body=body + "\n")


def send_pending_emails(app: Flask) -> MailResult:
    """Per user with unread notifications that were not e-mailed yet: one e-mail, then those
    notifications are marked e-mailed (per user, so a failure halfway sends nobody twice).
    Users without an address or inactive users are left out. The log holds counts only."""
    if not app.config.get("MAIL_ENABLED"):
        log.info("E-mail staat uit; geen e-mails verstuurd")
        return MailResult(0, 0, enabled=False)
    cutoff = utcnow()
    pending = sa.and_(
        Notification.read_at.is_(None),
        Notification.emailed_at.is_(None),
        Notification.created_at <= cutoff,
    )
    address = _address()
    rows = db.session.execute(
        sa.select(User.id, address, User.preferred_locale, sa.func.count(Notification.id))
        .join(Notification, Notification.user_id == User.id)
        .where(pending, User.active.is_(True), address.is_not(None))
        .group_by(User.id, User.email, User.username, User.preferred_locale)
        .order_by(User.id)
    ).all()
    db.session.commit()
    sent = failed = 0
    if rows:
        with mail.connection(app) as backend:
            for user_id, to, locale, count in rows:
                try:
                    backend.send(compose_new_message_mail(app, to=to, locale=locale))
                except (smtplib.SMTPException, OSError) as exc:
                    failed += 1
                    log.warning("Een e-mail kon niet worden verstuurd (%s)", type(exc).__name__)
                    continue
                db.session.execute(
                    sa.update(Notification)
                    .where(Notification.user_id == user_id, pending)
                    .values(emailed_at=utcnow())
                    .execution_options(synchronize_session=False)
                )
                record(
                    "email_sent",
                    object_type="user",
                    object_id=user_id,
                    details={"berichten": count},
                )
                db.session.commit()
                sent += 1
    result = MailResult(sent, failed)
    log.info("Berichten-e-mail: %s", result.summary())
    if failed:
        raise mail.MailError(f"{failed} van {len(rows)} e-mails niet verstuurd")
    return result
