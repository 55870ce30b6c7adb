"""Settings per environment. This package is the only place that reads the environment."""

from __future__ import annotations

import os

from config.default import DefaultConfig
from config.development import DevelopmentConfig
from config.production import ProductionConfig
from config.testing import TestingConfig

CONFIGS: dict[str, type[DefaultConfig]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def select(name: str | None = None) -> type[DefaultConfig]:
    """The config class named by `name`, else by LEVENSLOOP_CONFIG, else development."""
    name = name or os.environ.get("LEVENSLOOP_CONFIG", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(
            f"Onbekende configuratie {name!r}; kies uit {', '.join(sorted(CONFIGS))}."
        ) from None


def test_environment() -> dict[str, str | None]:
    """The settings the test suite reads from the environment."""
    return {
        "postgres_url": os.environ.get("LEVENSLOOP_TEST_POSTGRES_URL"),
        "require_postgres": os.environ.get("LEVENSLOOP_REQUIRE_POSTGRES"),
        "require_browser": os.environ.get("LEVENSLOOP_REQUIRE_BROWSER"),
        "chromium": os.environ.get("LEVENSLOOP_CHROMIUM"),
        "redis_url": os.environ.get("LEVENSLOOP_TEST_REDIS_URL"),
    }
