"""The load test: gunicorn workers on PostgreSQL, simulated users per role (locust, in its own
process), and a concurrent-edit run that proves no update is lost. See `python -m loadtest -h`.

The modules the locust process imports (`loadtest.client`, `loadtest.locustfile`) must not
import the application: locust patches the standard library with gevent.
"""
