"""Levensloop: coordination of the Levensloopaanpak for Zorg- en Veiligheidshuizen."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

import config as config_package
from levensloop.setup import (
    register_blueprints,
    register_cli,
    register_error_pages,
    register_extensions,
    register_keyring,
    register_logging,
    register_request_context,
    register_security,
    resolve_config,
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: str | type | dict | None = None) -> Flask:
    """Build the application. `config` is a config name, a config class, or a mapping of
    overrides on top of the testing config."""
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    resolve_config(app, config, config_package)
    register_logging(app)
    register_keyring(app)
    register_extensions(app)
    register_security(app)
    register_request_context(app)
    register_blueprints(app)
    register_error_pages(app)
    register_cli(app)
    return app
