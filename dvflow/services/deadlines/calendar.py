"""The legal calendar as the database knows it: the holidays package plus admins' per-date overrides."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ... import read_mostly
from ...engine.calendar import (
    FIRST_YEAR,
    LAST_YEAR,
    Override,
    WorkCalendar,
    supported_year,
)
from ...models import CalendarOverride

#: the length of calendar_overrides.note
MAX_NOTE = 500
_OVERRIDES = select(CalendarOverride.day, CalendarOverride.kind, CalendarOverride.note)


def load_calendar(session: Session) -> WorkCalendar:
    """The calendar as of this transaction: cached per process behind the read-mostly token (dvflow.read_mostly), so
    an override set by any process is seen by every process's next transaction."""
    return read_mostly.part(session, "calendar", _load)


def _load(session: Session) -> WorkCalendar:
    return WorkCalendar(Override(day=day, kind=kind, note=note) for day, kind, note in session.execute(_OVERRIDES))


def list_overrides(session: Session, year: int | None = None) -> list[CalendarOverride]:
    if year is not None:
        _check_year(year, "year")
    query = select(CalendarOverride).order_by(CalendarOverride.day)
    if year is not None:
        query = query.where(CalendarOverride.day >= date(year, 1, 1), CalendarOverride.day <= date(year, 12, 31))
    return list(session.scalars(query))


def set_override(session: Session, workflows, *, day: date, kind: str, note: str, now: datetime,
                 actor_id: int | None = None, source: str = "ui") -> CalendarOverride:
    """Add or replace the override of one date, then recompute the open clocks it touches."""
    from ..errors import ServiceError
    from .clocks import recompute_open_clocks

    if kind not in ("off", "working"):
        raise ServiceError("Loại ngày điều chỉnh phải là 'off' (nghỉ) hoặc 'working' (làm việc).", field="kind")
    _check_day(day)
    if len(note) > MAX_NOTE:
        raise ServiceError("Ghi chú: tối đa %(limit)s ký tự.", field="note", limit=MAX_NOTE)
    row = session.scalar(select(CalendarOverride).where(CalendarOverride.day == day))
    if row is None:
        row = CalendarOverride(day=day, kind=kind, note=note, source=source, created_by_id=actor_id, created_at=now)
        session.add(row)
    else:
        row.kind, row.note, row.source, row.created_by_id = kind, note, source, actor_id
    session.flush()
    read_mostly.forget(session)  # the flush moved the token: the recomputation below must see this override
    recompute_open_clocks(session, ladder=workflows.ladder, calendar=load_calendar(session), now=now,
                          reason=_reason("set", day, kind, note), touching=day)
    return row


def remove_override(session: Session, workflows, *, day: date, now: datetime) -> bool:
    from .clocks import recompute_open_clocks

    _check_day(day)
    row = session.scalar(select(CalendarOverride).where(CalendarOverride.day == day))
    if row is None:
        return False
    kind, note = row.kind, row.note
    session.delete(row)
    session.flush()
    read_mostly.forget(session)  # the flush moved the token: the recomputation below must see this override
    recompute_open_clocks(session, ladder=workflows.ladder, calendar=load_calendar(session), now=now,
                          reason=_reason("remove", day, kind, note), touching=day)
    return True


def _check_year(year: int, field: str) -> None:
    """Only the supported years (engine.calendar): no case of this register is dated outside them, and a date
    there is none (10000) or at the calendar's end."""
    from ..errors import ServiceError

    if not supported_year(year):
        raise ServiceError("Năm: chọn từ %(first)s đến %(last)s.", field=field, first=FIRST_YEAR, last=LAST_YEAR)


def _check_day(day: date) -> None:
    """A day in the supported years: recomputing the deadlines around 0001-01-01 or 9999-12-31 steps off the
    calendar (OverflowError: a 500, a command's traceback)."""
    from ..errors import N_, ServiceError

    if not supported_year(day.year):
        raise ServiceError("%(label)s: chọn ngày từ năm %(first)s đến năm %(last)s.", field="day", label=N_("Ngày"),
                           first=FIRST_YEAR, last=LAST_YEAR)


def _reason(op: str, day: date, kind: str, note: str) -> str:
    what = "ngày nghỉ" if kind == "off" else "ngày làm việc bù"
    verb = "Thêm" if op == "set" else "Bỏ"
    return f"{verb} {what} {day:%d/%m/%Y}" + (f" ({note})" if note else "")
