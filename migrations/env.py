"""Alembic environment: uses a connection handed over by dvflow.migrate, or DVFLOW_DATABASE_URL."""
from __future__ import annotations

from alembic import context

from config import load_config
from dvflow.db import make_engine
from dvflow.migrate import foreign_keys_off
from dvflow.models import Base
from dvflow.models.indexes import applies_to

config = context.config
target_metadata = Base.metadata


def _configure(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        # a PostgreSQL-only index (trigram) is not proposed on SQLite
        include_object=lambda obj, _name, type_, reflected, _to: (
            reflected or type_ != "index" or applies_to(obj, connection.dialect.name)),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        return
    url = config.get_main_option("sqlalchemy.url") or load_config(overrides={"ENV": "development"})["DATABASE_URL"]
    engine = make_engine(url)
    with engine.connect() as conn, foreign_keys_off(conn):
        _configure(conn)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("dvflow migrations run online only: use `flask --app wsgi dvflow db upgrade`")
run_migrations_online()
