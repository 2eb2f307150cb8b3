"""`flask --app wsgi dvflow ...`: the operator's commands."""
from __future__ import annotations

from flask import Flask
from flask.cli import AppGroup

dvflow_cli = AppGroup("dvflow", help="Lệnh quản trị dvflow (dvflow administration commands).")


def register_cli(app: Flask) -> None:
    from . import (  # noqa: F401  (each attaches its commands)
        accounts,
        audit,
        backup,
        calendar,
        database,
        demo,
        exports,
        files,
        identity,
        scheduler,
        serve,
        tokens,
        workflows,
    )

    if "dvflow" not in app.cli.commands:
        app.cli.add_command(dvflow_cli)
