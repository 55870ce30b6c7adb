"""Per-IP rate limits on the login steps (Flask-Limiter), in memory and on a shared Redis."""

from __future__ import annotations

import pytest

import config as config_package
from tests.conftest import Browser, make_app


@pytest.fixture
def limited_app(database_url):
    """Apps with rate limits on; their database connections are closed afterwards."""
    apps = []

    def build(storage):
        app = make_app(
            database_url,
            RATELIMIT_ENABLED=True,
            RATELIMIT_STORAGE_URI=storage,
            LOGIN_RATE_LIMIT="5 per minute",
        )
        apps.append(app)
        return app

    yield build
    from levensloop.extensions import db

    for app in apps:
        with app.app_context():
            db.engine.dispose()


def _hammer(app, attempts, address="198.51.100.7"):
    browser = Browser(app.test_client())
    statuses = []
    for _ in range(attempts):
        page = browser.client.get("/inloggen", environ_base={"REMOTE_ADDR": address})
        from tests.conftest import csrf_from

        token = csrf_from(page.get_data(as_text=True))
        response = browser.client.post(
            "/inloggen",
            data={
                "username": "niemand@test.example",
                "password": "fout-fout-fout",
                "csrf_token": token,
            },
            environ_base={"REMOTE_ADDR": address},
        )
        statuses.append(response.status_code)
        last = response
    return statuses, last


@pytest.mark.asvs("V6.3.1")
def test_login_posts_are_limited_per_address(limited_app, world):
    app = limited_app("memory://")
    statuses, last = _hammer(app, 7)
    assert statuses[:5] == [200] * 5 and statuses[5:] == [429, 429]
    html = last.get_data(as_text=True)
    assert '<html lang="nl"' in html and "Retry-After" in last.headers
    other, _ = _hammer(app, 1, address="198.51.100.8")
    assert other == [200]


@pytest.mark.asvs("V6.3.1")
def test_login_limit_is_shared_between_processes_through_redis(limited_app, world):
    url = config_package.test_environment()["redis_url"]
    if not url:
        pytest.skip("Redis-test overgeslagen: LEVENSLOOP_TEST_REDIS_URL is niet gezet")
    import redis

    try:
        redis.Redis.from_url(url).flushdb()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis-test overgeslagen: server niet bereikbaar")
    worker_a, worker_b = limited_app(url), limited_app(url)
    first, _ = _hammer(worker_a, 3)
    second, _ = _hammer(worker_b, 3)
    assert first == [200, 200, 200] and second == [200, 200, 429]
    redis.Redis.from_url(url).flushdb()
