"""The register_* steps that create_app() reads as a table of contents."""

from __future__ import annotations

import logging
import secrets
from pathlib import Path

from flask import Flask


def resolve_config(app: Flask, config, config_package) -> None:
    overrides: dict = {}
    if isinstance(config, dict):
        overrides = config
        config_class = config_package.select(overrides.pop("CONFIG_NAME", "testing"))
    elif isinstance(config, type):
        config_class = config
    else:
        config_class = config_package.select(config)
    app.config.from_object(config_class)
    app.config.update(overrides)
    app.config["CONFIG_NAME"] = config_class.ENV_NAME
    if app.config.get("GENERATE_MISSING_SECRETS"):
        _generate_dev_secrets(app)
    config_class.validate(app.config)


def _generate_dev_secrets(app: Flask) -> None:
    """Development only: a secret key and a master key file under instance/ (mode 0600)."""
    from levensloop.crypto.keyring import ensure_index_key, generate_key_file

    instance = Path(app.config["INSTANCE_DIR"])
    instance.mkdir(parents=True, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        path = instance / "secret_key"
        if not path.exists():
            path.touch(mode=0o600)
            path.write_text(secrets.token_urlsafe(48))
        app.config["SECRET_KEY"] = path.read_text().strip()
    if not app.config.get("MASTER_KEYS") and not app.config.get("MASTER_KEY_FILE"):
        app.config["MASTER_KEY_FILE"] = str(instance / "master.keys")
    key_file = app.config.get("MASTER_KEY_FILE")
    if key_file and not app.config.get("MASTER_KEYS"):
        if not Path(key_file).exists():
            generate_key_file(Path(key_file))
        else:
            ensure_index_key(Path(key_file))


def register_logging(app: Flask) -> None:
    """Plain log lines without request data: no personal data ever reaches the logs."""
    if not app.debug and not app.testing:
        logging.basicConfig(
            level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
        app.logger.setLevel(logging.INFO)


def register_keyring(app: Flask) -> None:
    from levensloop.crypto.keyring import load_keyring
    from levensloop.keys.services import init_keys

    app.extensions["levensloop_keyring"] = load_keyring(
        app.config.get("MASTER_KEYS"),
        app.config.get("MASTER_KEY_FILE"),
        app.config.get("INDEX_KEY"),
    )
    init_keys(app)
    if app.config["CONFIG_NAME"] == "production":
        _refuse_weak_production_keys(app.extensions["levensloop_keyring"])


def _refuse_weak_production_keys(ring) -> None:
    import base64

    from config.production import KNOWN_TEST_MASTER_KEYS

    known = {base64.b64decode(k) for k in KNOWN_TEST_MASTER_KEYS}
    if any(key in known for key in ring.master_keys.values()) or ring.index_key in known:
        raise RuntimeError(
            "Productieconfiguratie geweigerd: de sleutels bevatten een bekende testsleutel."
        )
    if ring.index_key is None:
        raise RuntimeError("Productieconfiguratie geweigerd: de indexsleutel ontbreekt.")


def register_extensions(app: Flask) -> None:
    from levensloop import models  # noqa: F401  (registers every model with the metadata)
    from levensloop.audit.chain import install as install_audit_chain
    from levensloop.extensions import babel, csrf, db, limiter, login_manager, migrate
    from levensloop.i18n import select_locale, select_timezone
    from levensloop.sharing.scoping import install as install_region_scoping

    db.init_app(app)
    install_audit_chain()
    install_region_scoping()
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.session_protection = "strong"
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.refresh_view = "auth.login"

    from levensloop.auth.views import load_user_from_session

    login_manager.user_loader(load_user_from_session)


def register_security(app: Flask) -> None:
    from werkzeug.middleware.proxy_fix import ProxyFix

    from levensloop.web import init_security

    proxies = app.config.get("TRUSTED_PROXIES", 0)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    init_security(app)


def register_request_context(app: Flask) -> None:
    from levensloop.core.context import init_request_context

    init_request_context(app)


def register_blueprints(app: Flask) -> None:
    from levensloop.api.admin_views import bp as api_tokens_bp
    from levensloop.api.views import bp as api_bp
    from levensloop.auth.admin_views import bp as users_bp
    from levensloop.auth.views import bp as auth_bp
    from levensloop.core.views import bp as core_bp
    from levensloop.documents.views import bp as documents_bp
    from levensloop.escalations.views import bp as escalations_bp
    from levensloop.handovers.views import bp as handovers_bp
    from levensloop.inclusion.overview_views import bp as overview_bp
    from levensloop.inclusion.table_views import bp as inclusion_bp
    from levensloop.inclusion.views import bp as referrals_bp
    from levensloop.notifications.views import bp as notifications_bp
    from levensloop.organisations.views import bp as organisations_bp
    from levensloop.persons.views import bp as persons_bp
    from levensloop.plans.views import bp as plans_bp
    from levensloop.privacy.views import bp as privacy_bp
    from levensloop.reports.views import bp as reports_bp
    from levensloop.retention.views import bp as retention_bp
    from levensloop.reviews.views import bp as reviews_bp
    from levensloop.reviews.views import settings_bp as review_settings_bp
    from levensloop.sharing.views import bp as sharing_bp
    from levensloop.titles.views import bp as titles_bp

    for blueprint in (
        core_bp,
        auth_bp,
        users_bp,
        organisations_bp,
        persons_bp,
        sharing_bp,
        privacy_bp,
        referrals_bp,
        inclusion_bp,
        plans_bp,
        titles_bp,
        documents_bp,
        overview_bp,
        escalations_bp,
        handovers_bp,
        reports_bp,
        api_bp,
        api_tokens_bp,
        retention_bp,
        notifications_bp,
        reviews_bp,
        review_settings_bp,
    ):
        app.register_blueprint(blueprint)


def register_error_pages(app: Flask) -> None:
    from levensloop.errors import register_error_handlers

    register_error_handlers(app)


def register_cli(app: Flask) -> None:
    from levensloop.cli import register_commands

    register_commands(app)
