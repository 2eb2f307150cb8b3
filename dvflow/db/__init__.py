"""Database engine and sessions. Plain SQLAlchemy 2; the web layer keeps one session per request."""
from __future__ import annotations

import sqlite3
import threading
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

#: execution option of the engine behind read-only sessions (GET requests): a plain BEGIN on SQLite, and any write
#: refused with ReadOnlyViolation
READ_ONLY = "dvflow_read_only"
#: how long a SQLite writer waits for the write lock before "database is locked"
SQLITE_BUSY_SECONDS = 30


class ReadOnlyViolation(RuntimeError):
    """A read-only session tried to write: a programming error (write through a writing session instead)."""


def make_engine(url: str, *, busy_seconds: int = SQLITE_BUSY_SECONDS, **kwargs: Any) -> Engine:
    """An engine with the settings dvflow needs on each backend (`busy_seconds`: SQLite's wait for the write lock)."""
    if url.startswith("sqlite"):
        _ensure_sqlite_folder(url)
        kwargs.setdefault("connect_args", {"check_same_thread": False, "timeout": busy_seconds})
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", lambda dbapi_connection, _record: _sqlite_pragmas(dbapi_connection,
                                                                                            busy_seconds))
        WriterTurn(busy_seconds).install(engine)
    else:
        kwargs.setdefault("pool_pre_ping", True)
        engine = create_engine(url, **kwargs)
        if engine.dialect.name == "postgresql":
            event.listen(engine, "connect", _postgresql_session)
    event.listen(engine, "before_cursor_execute", _refuse_writes_when_read_only)
    return engine


def _postgresql_session(dbapi_connection, _record) -> None:
    """No JIT compilation: PostgreSQL compiles a query whose estimated cost passes jit_above_cost, and for dvflow's
    queries (pages of tens to hundreds of milliseconds) the compiling costs more than it saves: 55 ms of the 107 ms
    of the scorecard's overdue count at 1M cases. Set per connection, so a database shared with other work keeps its
    own setting."""
    cursor = dbapi_connection.cursor()
    cursor.execute("SET jit = off")
    cursor.close()
    dbapi_connection.commit()  # psycopg opened a transaction for the SET; the pool expects none open


def _sqlite_pragmas(dbapi_connection, busy_seconds: int) -> None:
    # Let SQLAlchemy emit BEGIN itself so that SAVEPOINTs and transactional DDL work (SQLAlchemy's pysqlite recipe).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={busy_seconds * 1000}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def make_session_factory(bind, *, read_only: bool = False) -> sessionmaker[Session]:
    """Sessions for an engine, or for a test's connection whose outer transaction is rolled back at the end.
    `read_only` sessions (for GET requests) never write, so on SQLite they need not queue for the write lock."""
    if read_only and isinstance(bind, Engine):
        bind = bind.execution_options(**{READ_ONLY: True})
    return sessionmaker(bind=bind, expire_on_commit=False, join_transaction_mode="create_savepoint")


class WriterTurn:
    """SQLite has one writer at a time. Every writing transaction starts with BEGIN IMMEDIATE: it takes the write lock
    up front, so two writers queue instead of one failing with "database is locked" when both try to upgrade a read
    lock (the embedded scheduler runs beside the web server). A read-only transaction is a plain BEGIN and takes no
    lock (WAL: a reader sees a snapshot and never waits for the writer).

    Within one process, writers also take turns on a lock of their own before BEGIN IMMEDIATE. SQLite's busy handler
    polls with sleeps of up to 100 ms, so a thread that finds the write lock taken waited up to 100 ms longer than
    needed (the p99 of concurrent POSTs was 10-40 times their median); a thread waiting on this lock wakes as soon as
    the previous writer commits. Writers in other processes still queue on SQLite's busy_timeout."""

    KEY = "dvflow.writer_turn"

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._lock = threading.Lock()

    def install(self, engine: Engine) -> None:
        event.listen(engine, "begin", self.begin)
        event.listen(engine, "commit", self.end)
        event.listen(engine, "rollback", self.end)
        # a connection returned to the pool or dropped with its transaction open gives the turn back too
        event.listen(engine, "reset", self._on_reset)
        event.listen(engine, "invalidate", self._on_invalidate)

    def begin(self, conn) -> None:
        if conn.get_execution_options().get(READ_ONLY):
            conn.exec_driver_sql("BEGIN")
            return
        if not self._lock.acquire(timeout=self.timeout):
            raise OperationalError("BEGIN IMMEDIATE", None, sqlite3.OperationalError("database is locked"))
        conn.info[self.KEY] = True
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            self._release(conn.info)
            raise

    def end(self, conn) -> None:
        if not conn.invalidated:  # an invalidated connection gave the turn back in _on_invalidate
            self._release(conn.info)

    def _on_reset(self, _dbapi_connection, record, _reset_state) -> None:
        self._release(record.info)

    def _on_invalidate(self, _dbapi_connection, record, _exception) -> None:
        self._release(record.info)

    def _release(self, info: dict) -> None:
        if info.pop(self.KEY, False):
            self._lock.release()


def _refuse_writes_when_read_only(conn, _cursor, statement, _parameters, context, _executemany) -> None:
    if context is not None and conn.get_execution_options().get(READ_ONLY) and (
            context.isinsert or context.isupdate or context.isdelete):
        raise ReadOnlyViolation(f"write in a read-only session: {statement[:80]}")


def _ensure_sqlite_folder(url: str) -> None:
    from pathlib import Path

    from sqlalchemy import make_url

    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
