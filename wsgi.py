"""WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi ...`."""
import os
import sys

from config import ConfigError
from dvflow import create_app

try:
    app = create_app()
except ConfigError as exc:  # a setting missing or wrong: one line naming it, not a traceback
    env = os.environ.get("DVFLOW_ENV") or "production"
    sys.exit(f"dvflow ({env}): {exc}. The demo runs with DVFLOW_ENV=development (make run sets it); "
             "see README.md, Configuration.")
