"""Run Alembic migrations programmatically (used by the CLI, `make run` and the tests)."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import Connection, Engine

ROOT = Path(__file__).resolve().parent.parent


def alembic_config(connection: Connection | None = None) -> AlembicConfig:
    cfg = AlembicConfig(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def upgrade(bind: Engine | Connection, revision: str = "head") -> None:
    _run(bind, command.upgrade, revision)


def downgrade(bind: Engine | Connection, revision: str = "base") -> None:
    _run(bind, command.downgrade, revision)


def current_heads(bind: Engine | Connection) -> set[str]:
    from alembic.runtime.migration import MigrationContext

    if isinstance(bind, Engine):
        with bind.connect() as conn:
            return set(MigrationContext.configure(conn).get_current_heads())
    return set(MigrationContext.configure(bind).get_current_heads())


def _run(bind, fn, revision: str) -> None:
    if isinstance(bind, Engine):
        with bind.begin() as conn:
            fn(alembic_config(conn), revision)
    else:
        fn(alembic_config(bind), revision)
