"""Production: every secret from the environment; refuses to start with defaults."""

from __future__ import annotations

import base64
import os

from config.default import KNOWN_DEV_SECRETS, DefaultConfig, _flag

# Master keys that appear in this repository (tests, documentation) and must never be used.
KNOWN_TEST_MASTER_KEYS = frozenset(
    {base64.b64encode(b"\x01" * 32).decode(), base64.b64encode(b"\x02" * 32).decode()}
)


class ProductionConfig(DefaultConfig):
    ENV_NAME = "production"
    GENERATE_MISSING_SECRETS = False
    ALLOW_DEMO_SEED = False
    FORCE_HTTPS = os.environ.get("LEVENSLOOP_FORCE_HTTPS", "1") != "0"
    SESSION_COOKIE_NAME = "__Host-levensloop_session"
    SESSION_COOKIE_SECURE = True
    RATELIMIT_STORAGE_URI = os.environ.get("LEVENSLOOP_RATELIMIT_STORAGE_URI", "")
    # E-mail is off until LEVENSLOOP_MAIL_ENABLED=1; then the SMTP settings must be complete.
    MAIL_ENABLED = _flag("LEVENSLOOP_MAIL_ENABLED", "0")
    MAIL_BACKEND = "smtp"
    MAIL_DEFAULT_SENDER = os.environ.get("LEVENSLOOP_MAIL_SENDER")
    MAIL_BASE_URL = os.environ.get("LEVENSLOOP_MAIL_BASE_URL")

    @classmethod
    def validate(cls, settings: dict) -> None:
        problems = []
        secret = settings.get("SECRET_KEY") or ""
        if secret in KNOWN_DEV_SECRETS or len(secret) < 32:
            problems.append(
                "LEVENSLOOP_SECRET_KEY ontbreekt, is te kort (< 32 tekens) of is een "
                "bekende standaardwaarde"
            )
        url = settings.get("SQLALCHEMY_DATABASE_URI") or ""
        if not url or url.startswith("sqlite://") and url in ("sqlite://", "sqlite:///:memory:"):
            problems.append("LEVENSLOOP_DATABASE_URL ontbreekt")
        keys = settings.get("MASTER_KEYS") or ""
        if not keys and not settings.get("MASTER_KEY_FILE"):
            problems.append("LEVENSLOOP_MASTER_KEYS of LEVENSLOOP_MASTER_KEY_FILE ontbreekt")
        for part in keys.split(","):
            if part.partition(":")[2].strip() in KNOWN_TEST_MASTER_KEYS:
                problems.append("LEVENSLOOP_MASTER_KEYS bevat een bekende testsleutel")
        if (
            keys
            and "index:" not in keys
            and not settings.get("INDEX_KEY")
            and not settings.get("MASTER_KEY_FILE")
        ):
            problems.append(
                "de indexsleutel ontbreekt (LEVENSLOOP_INDEX_KEY of 'index:<base64>' in de "
                "sleutels)"
            )
        if not settings.get("RATELIMIT_STORAGE_URI"):
            problems.append("LEVENSLOOP_RATELIMIT_STORAGE_URI ontbreekt (gebruik redis://...)")
        if settings.get("MAIL_ENABLED"):
            problems.extend(_mail_problems(settings))
        if problems:
            raise RuntimeError("Productieconfiguratie geweigerd: " + "; ".join(problems) + ".")


def _mail_problems(settings: dict) -> list[str]:
    """With e-mail enabled: an SMTP server, a sender, an https address for the link, and an
    encrypted connection (plain SMTP only to a relay on this machine)."""
    problems = []
    server = (settings.get("MAIL_SERVER") or "").strip()
    if not server:
        problems.append("e-mail staat aan maar LEVENSLOOP_MAIL_SERVER ontbreekt")
    if not (settings.get("MAIL_DEFAULT_SENDER") or "").strip():
        problems.append("e-mail staat aan maar LEVENSLOOP_MAIL_SENDER ontbreekt")
    if not (settings.get("MAIL_BASE_URL") or "").startswith("https://"):
        problems.append(
            "e-mail staat aan maar LEVENSLOOP_MAIL_BASE_URL ontbreekt of begint niet met https://"
        )
    if settings.get("MAIL_USERNAME") and not settings.get("MAIL_PASSWORD"):
        problems.append("LEVENSLOOP_MAIL_USERNAME is gezet maar LEVENSLOOP_MAIL_PASSWORD ontbreekt")
    encrypted = settings.get("MAIL_USE_TLS") or settings.get("MAIL_USE_SSL")
    if server and not encrypted and server not in ("localhost", "127.0.0.1", "::1"):
        problems.append(
            "e-mail zonder versleuteling (LEVENSLOOP_MAIL_USE_TLS=0) mag alleen via een relay op "
            "deze machine"
        )
    return problems
