"""Browser tests: Playwright for Python driving Debian's Chromium, with axe-core.

Chromium comes from LEVENSLOOP_CHROMIUM or `chromium` on the PATH; Playwright never downloads
a browser. Without Chromium the tests skip with one line; with LEVENSLOOP_REQUIRE_BROWSER=1
that is a failure.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

import config as config_package
from tests.conftest import _empty_all_tables, _truthy, make_app

ENV = config_package.test_environment()
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_path():
    path = ENV["chromium"] or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path or not Path(path).exists():
        reason = (
            "browsertests overgeslagen: geen Chromium gevonden "
            "(zet LEVENSLOOP_CHROMIUM of installeer chromium)"
        )
        if _truthy(ENV["require_browser"]):
            pytest.fail(reason + " terwijl LEVENSLOOP_REQUIRE_BROWSER=1", pytrace=False)
        pytest.skip(reason)
    return path


@pytest.fixture(scope="session")
def playwright_browser(chromium_path):
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(
        executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def live_app(migrated):
    app = make_app(migrated("sqlite"))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config["LIVE_URL"] = f"http://127.0.0.1:{server.server_port}"
    with app.app_context():
        yield app
        server.shutdown()
        from levensloop.extensions import db

        db.session.remove()
        _empty_all_tables(db)
        db.engine.dispose()


@pytest.fixture
def page(playwright_browser, live_app):
    context = playwright_browser.new_context(base_url=live_app.config["LIVE_URL"], locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(10000)
    yield page
    context.close()


def assert_accessible(page, name: str) -> None:
    """No serious or critical axe violations (WCAG 2.x A/AA); saves a screenshot as artefact."""
    from axe_playwright_python.sync_playwright import Axe

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    results = Axe().run(page, options=AXE_OPTIONS)
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert not bad, f"{name}: " + "; ".join(f"{v['id']} ({v['impact']}): {v['help']}" for v in bad)
