"""Numbers of documents: per unit, per document type, per year; gap-free and unique under concurrency.

The series row is locked (SELECT ... FOR UPDATE) for the rest of the issuing transaction: a second issue in the
same series waits for the first to commit or roll back, so numbers are consecutive, and a rolled-back issue (a
failed generation or conversion) leaves the series as it was. SQLite has one writer at a time anyway."""
from __future__ import annotations

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from ...models import DocumentSeries


def _create_if_missing(session: Session, unit_id: int, type_: str, year: int) -> None:
    values = {"unit_id": unit_id, "type": type_, "year": year, "last": 0}
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        session.execute(pg_insert(DocumentSeries).values(values).on_conflict_do_nothing())
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        session.execute(sqlite_insert(DocumentSeries).values(values).on_conflict_do_nothing())
    else:  # pragma: no cover - the two databases dvflow runs on are above
        session.execute(insert(DocumentSeries).values(values))


def next_number(session: Session, unit_id: int, type_: str, year: int) -> int:
    """The next number of the series, taken (the caller's transaction holds the series locked until it ends)."""
    _create_if_missing(session, unit_id, type_, year)
    series_id, last = session.execute(
        select(DocumentSeries.id, DocumentSeries.last)
        .where(DocumentSeries.unit_id == unit_id, DocumentSeries.type == type_, DocumentSeries.year == year)
        .with_for_update()).one()
    session.execute(update(DocumentSeries).where(DocumentSeries.id == series_id).values(last=last + 1))
    return last + 1


def last_number(session: Session, unit_id: int, type_: str, year: int) -> int:
    return session.scalar(select(DocumentSeries.last).where(
        DocumentSeries.unit_id == unit_id, DocumentSeries.type == type_, DocumentSeries.year == year)) or 0
