"""Settings shared by every environment."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = Path(os.environ.get("LEVENSLOOP_INSTANCE_DIR", PROJECT_ROOT / "instance"))

# Values that must never reach production; ProductionConfig refuses them.
KNOWN_DEV_SECRETS = frozenset(
    {"", "dev", "changeme", "ontwikkeling-niet-geheim", "test-secret-key"}
)


def _flag(name: str, default: str) -> bool:
    return os.environ.get(name, default).strip().lower() in ("1", "true", "yes", "ja")


class DefaultConfig:
    ENV_NAME = "default"
    DEBUG = False
    TESTING = False

    SECRET_KEY: str | None = os.environ.get("LEVENSLOOP_SECRET_KEY")
    SQLALCHEMY_DATABASE_URI: str | None = os.environ.get("LEVENSLOOP_DATABASE_URL")
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    INSTANCE_DIR = str(INSTANCE_DIR)

    # Master keys for encrypting secrets (TOTP seeds): "1:<base64>,2:<base64>"; or a key file.
    MASTER_KEYS: str | None = os.environ.get("LEVENSLOOP_MASTER_KEYS")
    MASTER_KEY_FILE: str | None = os.environ.get("LEVENSLOOP_MASTER_KEY_FILE")
    # Blind-index root key (base64 of 32 bytes), or an "index:<base64>" entry in the keys.
    INDEX_KEY: str | None = os.environ.get("LEVENSLOOP_INDEX_KEY")

    # Sessions. The cookie only carries a random session token; the state lives in the database.
    SESSION_COOKIE_NAME = "levensloop_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    SESSION_IDLE_TIMEOUT = timedelta(minutes=int(os.environ.get("LEVENSLOOP_IDLE_MINUTES", "15")))
    SESSION_ABSOLUTE_TIMEOUT = timedelta(
        hours=int(os.environ.get("LEVENSLOOP_ABSOLUTE_HOURS", "8"))
    )
    # Between password and TOTP step.
    LOGIN_PENDING_TIMEOUT = timedelta(minutes=5)
    REMEMBER_COOKIE_DURATION = timedelta(seconds=0)

    # Accounts.
    PASSWORD_MIN_LENGTH = 12
    PASSWORD_MAX_LENGTH = 128
    LOCKOUT_THRESHOLD = 5
    LOCKOUT_DURATION = timedelta(minutes=15)
    # argon2id parameters (argon2-cffi defaults: RFC 9106 low-memory profile).
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 65536
    ARGON2_PARALLELISM = 4
    TOTP_ISSUER = "Levensloop"

    # Rate limits (Flask-Limiter). Redis in production so limits hold across workers.
    RATELIMIT_STORAGE_URI = os.environ.get("LEVENSLOOP_RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = os.environ.get("LEVENSLOOP_LOGIN_RATE_LIMIT", "20 per minute")
    RATELIMIT_STRATEGY = "fixed-window"

    # Forms.
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    MAX_CONTENT_LENGTH = 10 * 1024 * 1024
    # Attachments on a person's file; the upload route allows this plus form overhead.
    ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
    # Disclosure control outside the region: cells below these show as "<5" / "<10".
    REPORT_SUPPRESSION_MIN = 5
    REPORT_SUPPRESSION_SENSITIVE_MIN = 10

    # i18n and time.
    LANGUAGES = ("nl", "en")
    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Amsterdam"
    BABEL_TRANSLATION_DIRECTORIES = str(PROJECT_ROOT / "levensloop" / "translations")

    # Security headers.
    FORCE_HTTPS = False
    # The number of reverse proxies in front of the application whose X-Forwarded-For and
    # X-Forwarded-Proto are trusted (0: none). Behind one TLS proxy set it to 1, or every
    # request seems to come from the proxy: one login limit for everyone, and the proxy's
    # address in the audit log.
    TRUSTED_PROXIES = int(os.environ.get("LEVENSLOOP_TRUSTED_PROXIES", "0"))
    HSTS_MAX_AGE = 31536000

    # Demo data may be seeded (never in production).
    ALLOW_DEMO_SEED = True

    # E-mail about new notifications. The e-mail only says that there is a new message and
    # links to the inbox: no names, no person data. "console" writes a log line instead of
    # sending (development, testing); "smtp" sends through the server below (production).
    MAIL_ENABLED = _flag("LEVENSLOOP_MAIL_ENABLED", "1")
    MAIL_BACKEND = "console"
    MAIL_SERVER: str | None = os.environ.get("LEVENSLOOP_MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("LEVENSLOOP_MAIL_PORT", "587"))
    MAIL_USE_TLS = _flag("LEVENSLOOP_MAIL_USE_TLS", "1")  # STARTTLS
    MAIL_USE_SSL = _flag("LEVENSLOOP_MAIL_USE_SSL", "0")  # implicit TLS (port 465)
    MAIL_USERNAME: str | None = os.environ.get("LEVENSLOOP_MAIL_USERNAME")
    MAIL_PASSWORD: str | None = os.environ.get("LEVENSLOOP_MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get("LEVENSLOOP_MAIL_SENDER", "levensloop@localhost")
    MAIL_TIMEOUT = int(os.environ.get("LEVENSLOOP_MAIL_TIMEOUT", "30"))
    # The address users open Levensloop at; the e-mail's link to the inbox starts with it.
    MAIL_BASE_URL = os.environ.get("LEVENSLOOP_MAIL_BASE_URL", "http://localhost:5000")

    @classmethod
    def validate(cls, settings: dict) -> None:
        """Raise RuntimeError when the settings are not fit to run with."""
