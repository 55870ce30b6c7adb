"""Testing: fast password hashing, in-memory rate limits, fixed secrets."""

from __future__ import annotations

import base64

from config.default import DefaultConfig


class TestingConfig(DefaultConfig):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "test-secret-key"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    MASTER_KEYS = (
        "1:"
        + base64.b64encode(b"\x01" * 32).decode()
        + ",index:"
        + base64.b64encode(b"\x02" * 32).decode()
    )
    MASTER_KEY_FILE = None
    GENERATE_MISSING_SECRETS = False
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 8
    ARGON2_PARALLELISM = 1
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_ENABLED = False
    MAIL_ENABLED = True
    MAIL_BACKEND = "console"
    MAIL_BASE_URL = "https://levensloop.test"
