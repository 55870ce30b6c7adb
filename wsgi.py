"""Entry point for gunicorn: `gunicorn wsgi:app`."""

from levensloop import create_app

app = create_app()
