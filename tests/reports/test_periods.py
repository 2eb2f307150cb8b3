"""Reporting periods: the cut-off of Thông tư 02/2021/TT-TTCP (15th to 14th) and calendar periods."""
from __future__ import annotations

from datetime import date

import pytest

from dvflow.services.reports import periods


@pytest.mark.parametrize("kind, number, first, last", [
    ("month", 1, date(2025, 12, 15), date(2026, 1, 14)),
    ("month", 3, date(2026, 2, 15), date(2026, 3, 14)),
    ("month", 12, date(2026, 11, 15), date(2026, 12, 14)),
    ("quarter", 1, date(2025, 12, 15), date(2026, 3, 14)),
    ("quarter", 2, date(2026, 3, 15), date(2026, 6, 14)),
    ("quarter", 3, date(2026, 6, 15), date(2026, 9, 14)),
    ("quarter", 4, date(2026, 9, 15), date(2026, 12, 14)),
    ("half", 1, date(2025, 12, 15), date(2026, 6, 14)),
    ("nine", 1, date(2025, 12, 15), date(2026, 9, 14)),
    ("year", 1, date(2025, 12, 15), date(2026, 12, 14)),
])
def test_cutoff_periods(kind, number, first, last):
    p = periods.bounds(kind, 2026, number, "cutoff")
    assert (p.first, p.last) == (first, last)
    assert p.end == date.fromordinal(last.toordinal() + 1)


@pytest.mark.parametrize("kind, number, first, last", [
    ("month", 2, date(2028, 2, 1), date(2028, 2, 29)),  # a leap year
    ("month", 12, date(2028, 12, 1), date(2028, 12, 31)),
    ("quarter", 1, date(2028, 1, 1), date(2028, 3, 31)),
    ("quarter", 4, date(2028, 10, 1), date(2028, 12, 31)),
    ("half", 1, date(2028, 1, 1), date(2028, 6, 30)),
    ("nine", 1, date(2028, 1, 1), date(2028, 9, 30)),
    ("year", 1, date(2028, 1, 1), date(2028, 12, 31)),
])
def test_calendar_periods(kind, number, first, last):
    p = periods.bounds(kind, 2028, number, "calendar")
    assert (p.first, p.last) == (first, last)


@pytest.mark.parametrize("day, kind, expected", [
    (date(2026, 3, 14), "quarter", (2026, 1)),   # the last day of Q1 on the cut-off
    (date(2026, 3, 15), "quarter", (2026, 2)),   # the first day of Q2
    (date(2025, 12, 14), "quarter", (2025, 4)),
    (date(2025, 12, 15), "quarter", (2026, 1)),  # already next year's first quarter
    (date(2026, 1, 14), "month", (2026, 1)),
    (date(2026, 1, 15), "month", (2026, 2)),
    (date(2025, 12, 15), "month", (2026, 1)),
    (date(2025, 12, 14), "year", (2025, 1)),
    (date(2025, 12, 15), "year", (2026, 1)),
    (date(2026, 6, 14), "half", (2026, 1)),
    (date(2026, 9, 14), "nine", (2026, 1)),
])
def test_containing_on_both_sides_of_the_cutoff(day, kind, expected):
    p = periods.containing(day, kind, "cutoff")
    assert (p.year, p.number) == expected
    assert p.contains(day)


def test_containing_calendar():
    assert periods.containing(date(2026, 3, 14), "quarter", "calendar").number == 1
    assert periods.containing(date(2026, 3, 31), "quarter", "calendar").number == 1
    assert periods.containing(date(2026, 4, 1), "quarter", "calendar").number == 2
    assert periods.containing(date(2025, 12, 15), "year", "calendar").year == 2025


def test_consecutive_cutoff_quarters_and_months_tile_the_year():
    quarters = [periods.bounds("quarter", 2026, q) for q in range(1, 5)]
    assert all(a.end == b.first for a, b in zip(quarters, quarters[1:]))
    months = [periods.bounds("month", 2026, m) for m in range(1, 13)]
    assert all(a.end == b.first for a, b in zip(months, months[1:]))
    assert months[0].first == quarters[0].first and months[-1].last == quarters[-1].last
    assert periods.bounds("year", 2027).first == periods.bounds("year", 2026).end


def test_previous_period():
    assert periods.previous(periods.bounds("quarter", 2026, 1)) == periods.bounds("quarter", 2025, 4)
    assert periods.previous(periods.bounds("month", 2026, 5)) == periods.bounds("month", 2026, 4)
    assert periods.previous(periods.bounds("year", 2026)).year == 2025


@pytest.mark.parametrize("args", [("week", 2026, 1), ("quarter", 2026, 5), ("month", 2026, 0), ("half", 2026, 2),
                                  ("year", 2026, 1, "lunar")])
def test_bad_periods_are_refused(args):
    with pytest.raises(ValueError):
        periods.bounds(*args)
