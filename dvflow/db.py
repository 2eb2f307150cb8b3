"""Database engine and sessions. Plain SQLAlchemy 2; the web layer keeps one session per request."""
from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine with the settings dvflow needs on each backend."""
    if url.startswith("sqlite"):
        _ensure_sqlite_folder(url)
        kwargs.setdefault("connect_args", {"check_same_thread": False, "timeout": 30})
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # Let SQLAlchemy emit BEGIN itself so that SAVEPOINTs and transactional DDL work (SQLAlchemy's pysqlite recipe).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def make_session_factory(bind) -> sessionmaker[Session]:
    """Sessions for an engine, or for a test's connection whose outer transaction is rolled back at the end."""
    return sessionmaker(bind=bind, expire_on_commit=False, join_transaction_mode="create_savepoint")


def _sqlite_begin(conn) -> None:
    # IMMEDIATE: take the write lock up front, so two writers queue on busy_timeout instead of one failing with
    # "database is locked" when both try to upgrade a read lock (the embedded scheduler runs beside the web server).
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def _ensure_sqlite_folder(url: str) -> None:
    from pathlib import Path

    from sqlalchemy import make_url

    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
