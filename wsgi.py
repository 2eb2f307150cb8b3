"""WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi ...`."""
from dvflow import create_app

app = create_app()
