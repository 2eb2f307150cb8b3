"""The migration chain builds the schema from nothing, tears it down, and builds it again, on each backend."""
from __future__ import annotations

from sqlalchemy import inspect

from dvflow import migrate
from dvflow.db import make_engine
from dvflow.models import Base


def _script_heads() -> set[str]:
    from alembic.script import ScriptDirectory

    return set(ScriptDirectory.from_config(migrate.alembic_config()).get_heads())


def _tables(engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def test_upgrade_downgrade_upgrade(db_backend, db_url, tmp_path):
    url = f"sqlite:///{tmp_path / 'mig.sqlite3'}" if db_backend == "sqlite" else db_url
    engine = make_engine(url)
    try:
        if db_backend == "postgres":
            # a schema of its own so the session's shared schema is left alone
            from sqlalchemy import text

            with engine.begin() as conn:
                conn.execute(text("DROP SCHEMA IF EXISTS migration_test CASCADE"))
                conn.execute(text("CREATE SCHEMA migration_test"))
            engine.dispose()
            engine = make_engine(url, connect_args={"options": "-csearch_path=migration_test"})
        migrate.upgrade(engine)
        assert _tables(engine) == set(Base.metadata.tables)
        assert migrate.current_heads(engine) == _script_heads()
        migrate.downgrade(engine, "base")
        assert _tables(engine) == set()
        migrate.upgrade(engine)
        assert _tables(engine) == set(Base.metadata.tables)
    finally:
        if db_backend == "postgres":
            from sqlalchemy import text

            with engine.begin() as conn:
                conn.execute(text("DROP SCHEMA IF EXISTS migration_test CASCADE"))
        engine.dispose()


def test_models_match_migrations(db_engine):
    """What the models declare is what the migrations built (no drift between the two)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with db_engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": False})
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == []
