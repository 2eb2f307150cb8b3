"""The deadline scheduler: a periodic, idempotent sweep over due clocks plus the e-mail dispatcher.

Run it as its own process (``flask --app wsgi dvflow scheduler``) or embedded in the development server
(``start_embedded(app)``); ``create_app`` never starts it.
"""
from .runner import (
    build_scheduler,
    run_blocking,
    run_dispatch,
    run_sweep,
    start_embedded,
)

__all__ = ["build_scheduler", "run_blocking", "run_dispatch", "run_sweep", "start_embedded"]
