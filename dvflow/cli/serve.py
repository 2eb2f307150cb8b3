"""`dvflow serve`: the development server with the scheduler embedded (used by `make run`)."""
from __future__ import annotations

import click
from flask import current_app

from . import dvflow_cli


@dvflow_cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-scheduler", is_flag=True, help="Không chạy bộ lập lịch kèm theo.")
def serve(host: str, port: int, no_scheduler: bool):
    """Run the development web server (and the deadline scheduler in the same process)."""
    app = current_app._get_current_object()
    scheduler = None
    if not no_scheduler:
        from ..scheduler.runner import start_embedded

        scheduler = start_embedded(app)
    click.echo(f"dvflow đang chạy tại http://{host}:{port}  (Ctrl+C để dừng)")
    try:
        # Flask ignores app.run() inside a CLI command; werkzeug's server is what app.run would start
        from werkzeug.serving import run_simple

        run_simple(host, port, app, threaded=True, use_reloader=False, use_debugger=False)
    finally:
        if scheduler is not None:
            scheduler.shutdown(wait=False)
