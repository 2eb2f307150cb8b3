"""Numbers of documents: per unit, per register series, per year; gap-free and unique under concurrency.

An office numbers its documents in a register (sổ văn bản) per series, the symbol's type part (TB, QĐ, KL…): every
document type printing "TB" takes the next number of the unit's TB series, so "Số, ký hiệu" (12/TB-STNMT) names one
document of the year (NĐ 30/2020, Điều 15). The same counters serve other books (the reception book).

The series row is locked (SELECT ... FOR UPDATE) for the rest of the issuing transaction: a second issue in the
same series waits for the first to commit or roll back, so numbers are consecutive, and a rolled-back issue (a
failed generation or conversion) leaves the series as it was. SQLite has one writer at a time anyway."""
from __future__ import annotations

from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.orm import Session

from ...models import Document, DocumentSeries

#: the key of a document register's counter row (document_series.type), beside other books' names
REGISTER_KEY = "register:{series}"


def _create_if_missing(session: Session, unit_id: int, type_: str, year: int, start: int = 0) -> None:
    values = {"unit_id": unit_id, "type": type_, "year": year, "last": start}
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        session.execute(pg_insert(DocumentSeries).values(values).on_conflict_do_nothing())
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        session.execute(sqlite_insert(DocumentSeries).values(values).on_conflict_do_nothing())
    else:  # pragma: no cover - the two databases dvflow runs on are above
        session.execute(insert(DocumentSeries).values(values))


def next_number(session: Session, unit_id: int, type_: str, year: int, *, start: int = 0) -> int:
    """The next number of the series, taken (the caller's transaction holds the series locked until it ends).
    `start`: the last number of a series created now."""
    _create_if_missing(session, unit_id, type_, year, start)
    series_id, last = session.execute(
        select(DocumentSeries.id, DocumentSeries.last)
        .where(DocumentSeries.unit_id == unit_id, DocumentSeries.type == type_, DocumentSeries.year == year)
        .with_for_update()).one()
    session.execute(update(DocumentSeries).where(DocumentSeries.id == series_id).values(last=last + 1))
    return last + 1


def last_number(session: Session, unit_id: int, type_: str, year: int) -> int:
    return session.scalar(select(DocumentSeries.last).where(
        DocumentSeries.unit_id == unit_id, DocumentSeries.type == type_, DocumentSeries.year == year)) or 0


def next_in_register(session: Session, unit_id: int, series: str, year: int) -> int:
    """The next number of the unit's register `series` ("TB", "QĐ"…) for `year`, taken as next_number does."""
    key = REGISTER_KEY.format(series=series)
    if session.scalar(select(DocumentSeries.id).where(DocumentSeries.unit_id == unit_id, DocumentSeries.type == key,
                                                      DocumentSeries.year == year)) is not None:
        return next_number(session, unit_id, key, year)
    return next_number(session, unit_id, key, year, start=highest_used(session, unit_id, series, year))


def highest_used(session: Session, unit_id: int, series: str, year: int) -> int:
    """The highest number the unit's documents of `series` already carry in `year`. Those issued before the
    registers (numbered per type, no series: their symbol, "TB-STNMT", begins with it) are signed and can never
    be renumbered, so a register starts after them and never prints a number and symbol one of them has."""
    legacy = and_(Document.series.is_(None), Document.symbol.startswith(f"{series}-", autoescape=True))
    return session.scalar(select(func.max(Document.number)).where(
        Document.unit_id == unit_id, Document.year == year, Document.number.is_not(None),
        or_(Document.series == series, legacy))) or 0
