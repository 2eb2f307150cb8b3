"""Many rows in one statement, for the hot set-based writes (the sweep's fast path).

``session.execute(insert(table), rows)`` spends more time building and converting each row's parameters than the
database spends storing it, and on PostgreSQL an executemany still costs the server one statement per row. Here a
write is compiled once per dialect and set of keys (those of the first row: every row must have the same), and each
value goes through its column type's own bind processor (UTC datetimes, JSON, booleans: as SQLAlchemy would convert
it), once per distinct value:

* SQLite: the single-row statement in one driver-level ``executemany`` (in-process: no round trip per row);
* PostgreSQL: a plain INSERT is a ``COPY … FROM STDIN``; an INSERT … ON CONFLICT or an UPDATE is one statement over
  arrays, ``INSERT … SELECT * FROM unnest(%b::type[], …)`` or ``UPDATE … FROM unnest(…) AS v(…)``. Either way one
  round trip and one parse, whatever the number of rows. The arrays go in psycopg's binary format (``%b``): the
  text format quotes and escapes every string element in Python (JSON above all), which cost as much as the
  statement itself. String arrays are cast to ``text[]``, so a value too long for its column fails as in a plain
  INSERT instead of being truncated.

All run on the session's connection, in its transaction and savepoints; errors are SQLAlchemy's (IntegrityError,
DataError, …); a read-only session is refused as ``dvflow.db`` refuses its writes. ``COPY`` is not a cursor
statement: SQLAlchemy's statement events do not see it.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import date, datetime
from typing import Callable, Sequence

from sqlalchemy import JSON, Column, String, Table, bindparam, update
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from . import READ_ONLY, ReadOnlyViolation

_MEMOISABLE = frozenset({datetime, date, str, int, float, bool, type(None)})  # exact types, hashable and immutable
_Processor = Callable[[object], object] | None
_Compiled = tuple[str, list[tuple[str, _Processor]]]


class _Bulk(ABC):
    """A write of rows to one table, compiled once per dialect and keys: its SQL, and the keys and bind processors of
    its parameters in the order of the SQL's placeholders (SQLite: one per value; PostgreSQL: one per key)."""

    def __init__(self, table: Table):
        self.table = table
        self._compiled: dict[tuple[str, tuple[str, ...]], _Compiled] = {}

    def _column(self, key: str) -> Column:
        return self.table.c[key]

    @abstractmethod
    def _sqlite(self, dialect: Dialect, keys: tuple[str, ...]) -> tuple[str, Sequence[str]]:
        """The SQLite statement for rows with these keys, and its parameters' keys in placeholder order."""

    @abstractmethod
    def _postgresql(self, dialect: Dialect, keys: tuple[str, ...]) -> tuple[str, Sequence[str]]:
        """The PostgreSQL statement for rows with these keys, and its parameters' keys in placeholder order."""

    def _array_type(self, key: str, dialect: Dialect) -> str:
        column_type = self._column(key).type
        if isinstance(column_type, String) and not isinstance(column_type, JSON):
            return "TEXT"
        return column_type.compile(dialect=dialect)

    def _for(self, dialect: Dialect, keys: tuple[str, ...]) -> _Compiled:
        compiled = self._compiled.get((dialect.name, keys))
        if compiled is None:
            sql, order = {"sqlite": self._sqlite, "postgresql": self._postgresql}[dialect.name](dialect, keys)
            if sorted(order) != sorted(keys):
                raise ValueError(f"{self.table.name}: placeholders {list(order)} are not the keys {list(keys)}")
            procs = [(k, self._column(k).type.dialect_impl(dialect).bind_processor(dialect)) for k in order]
            compiled = self._compiled[(dialect.name, keys)] = (sql, procs)
        return compiled

    def execute(self, session: Session, rows: Sequence[dict]) -> int:
        """Write the rows in one statement; returns the number of rows the database reports written."""
        if not rows:
            return 0
        connection = session.connection()
        if connection.get_execution_options().get(READ_ONLY):
            raise ReadOnlyViolation(f"write in a read-only session: {self.table.name}")
        sql, procs = self._for(connection.dialect, tuple(rows[0]))
        columns = [_convert([row[key] for row in rows], proc) for key, proc in procs]
        if sql.startswith("COPY "):
            return _copy(connection, sql, columns)
        if connection.dialect.name == "postgresql":  # one execution, an array per placeholder
            return connection.exec_driver_sql(sql, tuple(columns)).rowcount
        return connection.exec_driver_sql(sql, list(zip(*columns))).rowcount  # executemany, a tuple per row


def _convert(values: list, proc: _Processor) -> list:
    if proc is None:
        return values
    memo: dict = {}
    same: dict = {}  # id -> converted, for the other values: one object given to several rows is converted once
    out = []
    for value in values:
        if type(value) in _MEMOISABLE:  # the same instant, code or flag often recurs within a write
            if value not in memo:
                memo[value] = proc(value)
            out.append(memo[value])
        else:  # values is alive until the end: an id is never reused meanwhile
            key = id(value)
            if key not in same:
                same[key] = proc(value)
            out.append(same[key])
    return out


def _copy(connection: Connection, sql: str, columns: list[list]) -> int:
    dialect = connection.dialect
    try:
        with connection.connection.driver_connection.cursor() as cursor:
            with cursor.copy(sql) as copy:
                for row in zip(*columns):
                    copy.write_row(row)
            return cursor.rowcount
    except dialect.loaded_dbapi.Error as exc:
        raise DBAPIError.instance(sql, None, exc, dialect.loaded_dbapi.Error, dialect=dialect) from exc


class BulkInsert(_Bulk):
    """INSERT of the rows; ``skip_conflicts_on``: ON CONFLICT (these columns) DO NOTHING, so that the row count tells
    how many rows were new."""

    def __init__(self, table: Table, *, skip_conflicts_on: Sequence[str] = ()):
        super().__init__(table)
        self.conflict = tuple(skip_conflicts_on)

    def _sqlite(self, dialect: Dialect, keys: tuple[str, ...]) -> tuple[str, Sequence[str]]:
        statement = sqlite.insert(self.table)
        if self.conflict:
            statement = statement.on_conflict_do_nothing(index_elements=list(self.conflict))
        compiled = statement.compile(dialect=dialect, column_keys=list(keys))
        return compiled.string, compiled.positiontup

    def _postgresql(self, dialect: Dialect, keys: tuple[str, ...]) -> tuple[str, Sequence[str]]:
        q = dialect.identifier_preparer
        into = f"{q.format_table(self.table)} ({', '.join(q.quote(k) for k in keys)})"
        if not self.conflict:
            return f"COPY {into} FROM STDIN", keys
        arrays = ", ".join(f"%b::{self._array_type(k, dialect)}[]" for k in keys)
        return (f"INSERT INTO {into} SELECT * FROM unnest({arrays}) "
                f"ON CONFLICT ({', '.join(q.quote(c) for c in self.conflict)}) DO NOTHING"), keys


class BulkGuardedUpdate(_Bulk):
    """UPDATE of rows by id, each only at the version read: ``b_id`` and ``b_v`` name the row and that version, the
    other keys are the columns set. The row count tells how many rows were still at their version."""

    GUARD = {"b_id": "id", "b_v": "version"}

    def _column(self, key: str) -> Column:
        return self.table.c[self.GUARD.get(key, key)]

    def _sqlite(self, dialect: Dialect, keys: tuple[str, ...]) -> tuple[str, Sequence[str]]:
        c = self.table.c
        statement = update(self.table).where(c.id == bindparam("b_id"), c.version == bindparam("b_v"))
        compiled = statement.compile(dialect=dialect, column_keys=[k for k in keys if k not in self.GUARD])
        return compiled.string, compiled.positiontup

    def _postgresql(self, dialect: Dialect, keys: tuple[str, ...]) -> tuple[str, Sequence[str]]:
        q = dialect.identifier_preparer
        table = q.format_table(self.table)
        arrays = ", ".join(f"%b::{self._array_type(k, dialect)}[]" for k in keys)
        sets = ", ".join(f"{q.quote(k)} = v.{q.quote(k)}" for k in keys if k not in self.GUARD)
        return (f"UPDATE {table} SET {sets} FROM unnest({arrays}) AS v({', '.join(q.quote(k) for k in keys)}) "
                f"WHERE {table}.id = v.b_id AND {table}.version = v.b_v"), keys
