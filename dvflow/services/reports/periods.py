"""Reporting periods: pure date arithmetic, no database.

Two ways to cut a period, chosen by the user:
- `cutoff`: the inspectorate's statistical cut-off (Thông tư 02/2021/TT-TTCP, Điều 7): figures run from the 15th of
  the month before the period's first month to the 14th of its last month. Quarter 1 runs 15/12 of the previous
  year to 14/03; quarters 2 to 4 from the 15th of the previous quarter's last month to the 14th of the quarter's
  last month; 6 months 15/12 to 14/06; 9 months 15/12 to 14/09; the year 15/12 to 14/12. A month is cut the same
  way (15th of the previous month to the 14th).
- `calendar`: calendar months, quarters, the first 6 and 9 months and the year.

Every period is a closed range of local dates (Asia/Ho_Chi_Minh) [first, last].
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

#: period kind -> how many months it spans and how many periods of that kind a year has
KINDS = {"month": (1, 12), "quarter": (3, 4), "half": (6, 1), "nine": (9, 1), "year": (12, 1)}
BASES = ("cutoff", "calendar")
CUTOFF_DAY = 15  # the first day of a cut-off period; the period ends the day before, on the 14th

#: the legal source of the cut-off (the YAML rule files cite the same way)
CUTOFF_BASIS = "Thông tư 02/2021/TT-TTCP, Điều 7"


@dataclass(frozen=True)
class Period:
    kind: str    # month, quarter, half, nine, year
    year: int
    number: int  # month 1-12 or quarter 1-4; 1 for half, nine and year
    basis: str   # cutoff or calendar
    first: date
    last: date   # inclusive

    @property
    def end(self) -> date:
        """The day after the last: the half-open range [first, end)."""
        return self.last + timedelta(days=1)

    def contains(self, day: date) -> bool:
        return self.first <= day <= self.last


def _month_start(year: int, month: int) -> date:
    """The first of `month`, which may be 0 or below (months of earlier years) or above 12."""
    year += (month - 1) // 12
    return date(year, (month - 1) % 12 + 1, 1)


def _last_month(kind: str, number: int) -> int:
    months, _count = KINDS[kind]
    return number * months if kind in ("month", "quarter") else months


def bounds(kind: str, year: int, number: int = 1, basis: str = "cutoff") -> Period:
    """The period `number` of `kind` in `year` (month 1-12, quarter 1-4; half, nine and year have only 1)."""
    if kind not in KINDS:
        raise ValueError(f"unknown period kind {kind!r}")
    if basis not in BASES:
        raise ValueError(f"unknown basis {basis!r}")
    _months, count = KINDS[kind]
    if not 1 <= number <= count:
        raise ValueError(f"{kind} number must be 1 to {count}")
    last_month = _last_month(kind, number)
    first_month = last_month - KINDS[kind][0] + 1
    if basis == "calendar":
        first = _month_start(year, first_month)
        last = _month_start(year, last_month + 1) - timedelta(days=1)
    else:
        first = _month_start(year, first_month - 1).replace(day=CUTOFF_DAY)
        last = _month_start(year, last_month).replace(day=CUTOFF_DAY - 1)
    return Period(kind, year, number, basis, first, last)


def reporting_year(day: date, basis: str = "cutoff") -> int:
    """The year whose periods `day` falls in: on the cut-off, 15/12 onwards already counts for the next year."""
    if basis == "cutoff" and day.month == 12 and day.day >= CUTOFF_DAY:
        return day.year + 1
    return day.year


def containing(day: date, kind: str, basis: str = "cutoff") -> Period:
    """The period of `kind` that `day` falls in. The 6- and 9-month reports start with the year: a day after their
    end gives that year's report (already complete), the current one of its kind."""
    year = reporting_year(day, basis)
    months, count = KINDS[kind]
    if count == 1:
        return bounds(kind, year, 1, basis)
    for number in range(1, count + 1):
        period = bounds(kind, year, number, basis)
        if day <= period.last:
            return period
    raise AssertionError("a year's periods cover every day of it")  # pragma: no cover


def previous(period: Period) -> Period:
    """The period of the same kind before `period` (the year before, for half, nine and year)."""
    _months, count = KINDS[period.kind]
    if period.number > 1:
        return bounds(period.kind, period.year, period.number - 1, period.basis)
    return bounds(period.kind, period.year - 1, count, period.basis)
