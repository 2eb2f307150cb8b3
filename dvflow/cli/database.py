"""`dvflow db upgrade|downgrade|current`: migrations."""
from __future__ import annotations

import click
from flask import current_app

from .. import migrate
from . import dvflow_cli


@dvflow_cli.group("db")
def db_group():
    """Cơ sở dữ liệu: nâng cấp, hạ cấp, xem phiên bản (database migrations)."""


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def upgrade(revision: str):
    """Migrate the database to REVISION (default: the newest)."""
    migrate.upgrade(current_app.extensions["dvflow.bind"], revision)
    click.echo(f"Cơ sở dữ liệu đã ở phiên bản: {', '.join(sorted(migrate.current_heads(current_app.extensions['dvflow.bind'])))}")


@db_group.command("downgrade")
@click.argument("revision")
def downgrade(revision: str):
    """Migrate the database down to REVISION ("base" drops everything)."""
    migrate.downgrade(current_app.extensions["dvflow.bind"], revision)
    click.echo(f"Đã hạ cấp về: {revision}")


@db_group.command("current")
def current():
    """Print the database's current revision."""
    heads = migrate.current_heads(current_app.extensions["dvflow.bind"])
    click.echo(", ".join(sorted(heads)) or "(trống)")
