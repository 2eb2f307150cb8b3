"""Run Alembic migrations programmatically (used by the CLI, `make run` and the tests)."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

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
        with bind.connect() as conn, foreign_keys_off(conn), conn.begin():
            fn(alembic_config(conn), revision)
    else:
        fn(alembic_config(bind), revision)


@contextmanager
def foreign_keys_off(conn: Connection) -> Iterator[None]:
    """On SQLite, run the migrations with foreign keys unenforced, then check them.

    SQLite alters a table in "batch" mode: it copies the table, drops the old one and renames the copy. With foreign
    keys enforced, dropping `cases` deletes every row that cascades from it (history, parties, clocks): an upgrade
    would empty the database. SQLite's own procedure for altering a table is to switch enforcement off (outside any
    transaction: the pragma is ignored inside one), alter, and run `foreign_key_check`, which is what this does."""
    if conn.dialect.name != "sqlite":
        yield
        return
    raw = conn.connection.dbapi_connection  # the driver's connection: a statement here starts no transaction
    raw.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
        broken = raw.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"migration left rows pointing at missing rows: {broken[:5]}")
    finally:
        raw.execute("PRAGMA foreign_keys=ON")
