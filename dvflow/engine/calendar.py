"""The Vietnamese public-sector working-day calendar.

Layers, strongest first:

1. administrators' per-date overrides (extra day off / make-up working day);
2. public holidays from the ``holidays`` package (``VN``, Vietnamese names), including
   substitute days and its ``weekend_workdays`` (make-up Saturdays);
3. the working week: Monday to Friday (QĐ 188/1999/QĐ-TTg).

Also the time-zone helpers: every instant in dvflow is aware; legal days are local
days in Asia/Ho_Chi_Minh.  Nothing here reads the wall clock or does I/O.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from typing import Iterable, Literal, Mapping
from zoneinfo import ZoneInfo

import holidays

from .message import N_, Msg, msg

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ONE_DAY = timedelta(days=1)

WEEKDAY_NAMES = (N_("Thứ Hai"), N_("Thứ Ba"), N_("Thứ Tư"), N_("Thứ Năm"), N_("Thứ Sáu"), N_("Thứ Bảy"),
                 N_("Chủ nhật"))
#: The years a day the product takes from a user may fall in: a case received before 2000 is refused at intake and
#: the reports ask for 2000–2100; a day at the calendar's ends (0001-01-01, 9999-12-31) would overflow the
#: arithmetic around it (the month after, the deadlines a calendar change recomputes): a 500 before.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def supported_year(year: int) -> bool:
    return FIRST_YEAR <= year <= LAST_YEAR


OVERRIDE_OFF_LABEL = N_("Ngày nghỉ (điều chỉnh)")
OVERRIDE_OFF_NOTE = N_("Ngày nghỉ (điều chỉnh): %(note)s")


@dataclass(frozen=True)
class Override:
    """An administrator's correction for one date, kept in the database by the services."""

    day: date
    kind: Literal["off", "working"]  # extra day off / make-up working day (e.g. a Saturday)
    note: str = ""

    def __post_init__(self) -> None:
        if self.kind not in ("off", "working"):
            raise ValueError(f"Loại điều chỉnh không hợp lệ: {self.kind!r} (chỉ nhận 'off' hoặc 'working')")


# --- the holidays package, cached per year -------------------------------------------


@lru_cache(maxsize=None)
def _package_year(year: int) -> holidays.HolidayBase:
    """The ``holidays`` object for one year, in Vietnamese; built once per year."""
    return holidays.country_holidays("VN", years=year, language="vi")


@lru_cache(maxsize=None)
def holiday_names(year: int) -> Mapping[date, str]:
    """The package's public holidays (with substitute days) of ``year``: date -> Vietnamese name."""
    return {d: name for d, name in _package_year(year).items() if d.year == year}


@lru_cache(maxsize=None)
def package_weekend_workdays(year: int) -> frozenset[date]:
    """Make-up working weekend days of ``year`` known to the package.

    A swap may be recorded in the neighbouring year's table, so the years around are read too.
    """
    found: set[date] = set()
    for y in (year - 1, year, year + 1):
        found.update(d for d in _package_year(y).weekend_workdays if d.year == year)
    return frozenset(found)


# --- formatting helpers ----------------------------------------------------------------


def weekday_name(d: date) -> str:
    """Vietnamese weekday name: "Thứ Hai" … "Chủ nhật"."""
    return WEEKDAY_NAMES[d.weekday()]


def format_date(d: date) -> str:
    """dd/mm/yyyy, the form used in Vietnamese official documents."""
    return d.strftime("%d/%m/%Y")


# --- the calendar ---------------------------------------------------------------------


class WorkCalendar:
    """Working days of Vietnamese state bodies: Mon–Fri, minus public holidays, plus overrides.

    An override always wins over the ``holidays`` package.  If several overrides name the
    same date, the last one wins.
    """

    def __init__(self, overrides: Iterable[Override] = ()) -> None:
        self._overrides: dict[date, Override] = {o.day: o for o in overrides}

    def __repr__(self) -> str:
        return f"WorkCalendar(overrides={len(self._overrides)})"

    @property
    def overrides(self) -> tuple[Override, ...]:
        """The overrides in date order."""
        return tuple(self._overrides[d] for d in sorted(self._overrides))

    def holiday_name(self, d: date) -> str | None:
        """The package's Vietnamese holiday name for ``d`` (ignores overrides)."""
        return holiday_names(d.year).get(d)

    def is_working_day(self, d: date) -> bool:
        """True when state bodies work on ``d``."""
        override = self._overrides.get(d)
        if override is not None:
            return override.kind == "working"
        if d.weekday() >= 5:
            return d in package_weekend_workdays(d.year)
        return d not in holiday_names(d.year)

    def non_working_reason(self, d: date) -> str | None:
        """Why ``d`` is not a working day, in Vietnamese; None if it is a working day."""
        reason = self.non_working_message(d)
        return None if reason is None else str(reason)

    def non_working_message(self, d: date) -> Msg | str | None:
        """`non_working_reason` as a message a page can translate: an override or a weekend day is a `Msg`; a
        holiday's name (the ``holidays`` package's Vietnamese) and an override's note are kept as they are."""
        if self.is_working_day(d):
            return None
        override = self._overrides.get(d)
        if override is not None:
            return msg(OVERRIDE_OFF_NOTE, note=override.note) if override.note else msg(OVERRIDE_OFF_LABEL)
        name = self.holiday_name(d)
        if name:
            return name
        return msg(weekday_name(d))

    def add_working_days(self, start: date, n: int) -> date:
        """The ``n``-th working day after ``start``; ``start`` itself is not counted (BLDS Art 147).

        ``n == 0`` returns ``start`` unchanged.
        """
        if n < 0:
            raise ValueError("Số ngày làm việc phải không âm; dùng subtract_working_days để lùi ngày")
        d = start
        while n:
            d += ONE_DAY
            if self.is_working_day(d):
                n -= 1
        return d

    def subtract_working_days(self, d: date, n: int) -> date:
        """The ``n``-th working day before ``d`` (``d`` itself not counted); ``n == 0`` returns ``d``."""
        if n < 0:
            raise ValueError("Số ngày làm việc phải không âm; dùng add_working_days để cộng ngày")
        while n:
            d -= ONE_DAY
            if self.is_working_day(d):
                n -= 1
        return d

    def first_working_day_on_or_after(self, d: date) -> date:
        """``d`` if it is a working day, else the next working day."""
        while not self.is_working_day(d):
            d += ONE_DAY
        return d

    def working_days_between(self, a: date, b: date) -> int:
        """Number of working days in (a, b]; negative (count in (b, a]) when ``b < a``."""
        if b < a:
            return -self.working_days_between(b, a)
        count = 0
        d = a
        while d < b:
            d += ONE_DAY
            if self.is_working_day(d):
                count += 1
        return count

    def non_working_days(self, a: date, b: date) -> list[tuple[date, str]]:
        """Every non-working day in (a, b] with its Vietnamese reason."""
        days: list[tuple[date, str]] = []
        d = a
        while d < b:
            d += ONE_DAY
            reason = self.non_working_reason(d)
            if reason is not None:
                days.append((d, reason))
        return days


# --- time zone helpers ----------------------------------------------------------------


def start_of_day_utc(d: date) -> datetime:
    """Aware UTC instant when local day ``d`` begins (00:00 Asia/Ho_Chi_Minh)."""
    return datetime.combine(d, time(0), tzinfo=TZ).astimezone(timezone.utc)


def end_of_day_utc(d: date) -> datetime:
    """Aware UTC instant when local day ``d`` ends (= local midnight starting ``d + 1``)."""
    return start_of_day_utc(d + ONE_DAY)


def local_date(instant: datetime) -> date:
    """The local (Asia/Ho_Chi_Minh) date of an aware instant; a naive datetime is a ValueError."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("naive datetime: dvflow works with aware datetimes only")
    return instant.astimezone(TZ).date()
