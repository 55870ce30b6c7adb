"""Sending e-mail: a console backend (development, testing) and SMTP with STARTTLS (production).

The only e-mail Levensloop sends says that there is a new message and links to the inbox. The
log never holds an address: the console backend logs the subject, the link and a count.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from contextlib import contextmanager
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import Flask

log = logging.getLogger("levensloop.notifications.mail")

OUTBOX_KEY = "levensloop_mail_outbox"


class MailError(Exception):
    """Sending failed; the message says how many, never to whom."""


def compose(app: Flask, *, to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=_sender_domain(app))
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body)
    return message


def _sender_domain(app: Flask) -> str:
    sender = app.config.get("MAIL_DEFAULT_SENDER") or ""
    return sender.rpartition("@")[2].strip(">") or "localhost"


def outbox(app: Flask) -> list[EmailMessage]:
    """What the console backend 'sent' under the testing configuration (kept in memory)."""
    return app.extensions.setdefault(OUTBOX_KEY, [])


class ConsoleBackend:
    """Sends nothing: logs one line per e-mail without the address (and, when testing, keeps
    the message in the in-memory outbox)."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def send(self, message: EmailMessage) -> None:
        if self.app.testing:
            outbox(self.app).append(message)
        log.info(
            "E-mail niet verstuurd (console): '%s' aan 1 ontvanger\n%s",
            message["Subject"],
            message.get_content().strip(),
        )

    def close(self) -> None:
        pass


class SmtpBackend:
    """One SMTP connection for a batch: STARTTLS (or implicit TLS), then login if configured."""

    def __init__(self, app: Flask) -> None:
        config = app.config
        context = ssl.create_default_context()
        host, port, timeout = config["MAIL_SERVER"], config["MAIL_PORT"], config["MAIL_TIMEOUT"]
        if config.get("MAIL_USE_SSL"):
            self.smtp = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
        else:
            self.smtp = smtplib.SMTP(host, port, timeout=timeout)
            if config.get("MAIL_USE_TLS"):
                self.smtp.starttls(context=context)
        if config.get("MAIL_USERNAME"):
            self.smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")

    def send(self, message: EmailMessage) -> None:
        self.smtp.send_message(message)

    def close(self) -> None:
        try:
            self.smtp.quit()
        except smtplib.SMTPException:
            self.smtp.close()


BACKENDS = {"console": ConsoleBackend, "smtp": SmtpBackend}


@contextmanager
def connection(app: Flask):
    """The configured backend, opened once for a batch of e-mails and closed afterwards."""
    name = app.config.get("MAIL_BACKEND", "console")
    if name not in BACKENDS:
        raise MailError(f"onbekende MAIL_BACKEND {name!r}")
    backend = BACKENDS[name](app)
    try:
        yield backend
    finally:
        backend.close()
