"""Development: embedded SQLite in instance/, secrets generated on first run."""

from __future__ import annotations

import os

from config.default import INSTANCE_DIR, DefaultConfig


class DevelopmentConfig(DefaultConfig):
    ENV_NAME = "development"
    DEBUG = False
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "LEVENSLOOP_DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'levensloop.db'}"
    )
    # Generated into instance/ with mode 0600 when not set (see levensloop.secrets).
    GENERATE_MISSING_SECRETS = True
    MAIL_BACKEND = "console"
