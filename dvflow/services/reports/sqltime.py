"""Local calendar days and weeks of a UTC instant, computed by the database (so charts GROUP BY them in SQL).

Local time is Asia/Ho_Chi_Minh, UTC+7 all year (no daylight saving since 1975), so the local day of an instant is
floor((seconds since the epoch + 7 h) / 1 day): exact integer arithmetic on both databases, no time-zone tables.
The values are days since 1970-01-01 (`epoch_day`), turned back into dates with `from_epoch_day`. A DATE column (a
legal date: already a local day) has its own twins, `date_week` and `date_month`.
"""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Integer, String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

OFFSET_SECONDS = 7 * 3600
EPOCH = date(1970, 1, 1)  # a Thursday: a Monday-based week starts 3 days before a multiple of 7 days from it


class local_day(FunctionElement):
    """The local day of an instant column, as days since 1970-01-01."""
    type = Integer()
    inherit_cache = True
    name = "local_day"


class local_week(FunctionElement):
    """The Monday of the local week of an instant column, as days since 1970-01-01."""
    type = Integer()
    inherit_cache = True
    name = "local_week"


@compiles(local_day, "sqlite")
def _day_sqlite(element, compiler, **kw):
    # SQLite keeps the instant as naive UTC text; strftime('%s') gives whole seconds since the epoch
    return (f"((CAST(strftime('%s', {compiler.process(element.clauses, **kw)}) AS INTEGER) + {OFFSET_SECONDS})"
            f" / 86400)")


@compiles(local_day, "postgresql")
def _day_pg(element, compiler, **kw):
    return (f"CAST(FLOOR((EXTRACT(EPOCH FROM {compiler.process(element.clauses, **kw)}) + {OFFSET_SECONDS})"
            f" / 86400) AS INTEGER)")


@compiles(local_week)
def _week(element, compiler, **kw):
    day = compiler.process(local_day(*element.clauses.clauses), **kw)
    return f"((({day}) + 3) / 7 * 7 - 3)"  # integer division on both databases (positive values)


def from_epoch_day(n: int) -> date:
    return EPOCH + timedelta(days=int(n))


def epoch_day(day: date) -> int:
    return (day - EPOCH).days



class local_month(FunctionElement):
    """The local month of an instant column as text "YYYY-MM"."""
    type = String()
    inherit_cache = True
    name = "local_month"


@compiles(local_month, "sqlite")
def _month_sqlite(element, compiler, **kw):
    return f"strftime('%Y-%m', {compiler.process(element.clauses, **kw)}, '+{OFFSET_SECONDS} seconds')"


@compiles(local_month, "postgresql")
def _month_pg(element, compiler, **kw):
    return (f"to_char(({compiler.process(element.clauses, **kw)} + INTERVAL '{OFFSET_SECONDS} seconds') "
            f"AT TIME ZONE 'UTC', 'YYYY-MM')")


class date_day(FunctionElement):
    """A DATE column (a legal date, already a local day) as days since 1970-01-01."""
    type = Integer()
    inherit_cache = True
    name = "date_day"


class date_week(FunctionElement):
    """The Monday of the week of a DATE column, as days since 1970-01-01 (`local_week` of an instant's twin)."""
    type = Integer()
    inherit_cache = True
    name = "date_week"


class date_month(FunctionElement):
    """The month of a DATE column as text "YYYY-MM" (`local_month` of an instant's twin)."""
    type = String()
    inherit_cache = True
    name = "date_month"


@compiles(date_day, "sqlite")
def _date_day_sqlite(element, compiler, **kw):
    # SQLite keeps a date as text YYYY-MM-DD; its Julian day at midnight is n + 0.5, exact in a double
    return f"CAST(julianday({compiler.process(element.clauses, **kw)}) - 2440587.5 AS INTEGER)"


@compiles(date_day, "postgresql")
def _date_day_pg(element, compiler, **kw):
    return f"({compiler.process(element.clauses, **kw)} - DATE '1970-01-01')"  # date - date: whole days


@compiles(date_week)
def _date_week(element, compiler, **kw):
    day = compiler.process(date_day(*element.clauses.clauses), **kw)
    return f"((({day}) + 3) / 7 * 7 - 3)"


@compiles(date_month, "sqlite")
def _date_month_sqlite(element, compiler, **kw):
    return f"strftime('%Y-%m', {compiler.process(element.clauses, **kw)})"


@compiles(date_month, "postgresql")
def _date_month_pg(element, compiler, **kw):
    return f"to_char(CAST({compiler.process(element.clauses, **kw)} AS timestamp), 'YYYY-MM')"  # no time zone
