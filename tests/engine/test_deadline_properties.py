"""Property tests for the calendar and deadline arithmetic (dates bounded to 2024–2030)."""
from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from dvflow.engine.calendar import Override, WorkCalendar
from dvflow.engine.deadlines import compute_due
from dvflow.engine.types import ClockRule, Pause

CAL = WorkCalendar()
FAST = settings(max_examples=150, deadline=None)

dates = st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 6, 30))
units = st.sampled_from(["working_days", "calendar_days"])
day_counts = st.integers(min_value=0, max_value=90)
overrides = st.lists(
    st.builds(Override, day=dates, kind=st.sampled_from(["off", "working"]), note=st.just("thử")),
    max_size=5,
)


def rule(days: int, unit: str) -> ClockRule:
    return ClockRule(days, unit, "thử")  # type: ignore[arg-type]


@FAST
@given(start=dates, days=day_counts, unit=units, extra=overrides)
def test_due_date_never_before_start_and_is_a_working_day(start, days, unit, extra) -> None:
    cal = WorkCalendar(extra)
    due = compute_due(rule(days, unit), start, cal)
    assert due.due_date is not None and due.due_date >= start
    assert cal.is_working_day(due.due_date)
    if days > 0:
        assert due.due_date > start


@FAST
@given(start=dates, days=day_counts, unit=units, extra=overrides, off_offset=st.integers(0, 140))
def test_extra_day_off_never_makes_due_earlier(start, days, unit, extra, off_offset) -> None:
    before = compute_due(rule(days, unit), start, WorkCalendar(extra))
    off = Override(start + timedelta(days=off_offset), "off", "nghỉ thêm")
    after = compute_due(rule(days, unit), start, WorkCalendar([*extra, off]))
    assert after.due_date >= before.due_date


@FAST
@given(start=dates, days=day_counts, unit=units, pause_offset=st.integers(0, 120), extra=overrides)
def test_zero_length_pause_changes_nothing(start, days, unit, pause_offset, extra) -> None:
    cal = WorkCalendar(extra)
    at = start + timedelta(days=pause_offset)
    base = compute_due(rule(days, unit), start, cal)
    paused = compute_due(rule(days, unit), start, cal, pauses=[Pause(at, at)])
    assert (paused.due_date, paused.due_at) == (base.due_date, base.due_at)


@FAST
@given(start=dates, days=st.integers(1, 90), unit=units, pause_offset=st.integers(0, 60),
       length=st.integers(0, 60))
def test_pause_never_makes_due_earlier(start, days, unit, pause_offset, length) -> None:
    p_start = start + timedelta(days=pause_offset)
    base = compute_due(rule(days, unit), start, CAL)
    paused = compute_due(rule(days, unit), start, CAL, pauses=[Pause(p_start, p_start + timedelta(days=length))])
    assert paused.due_date >= base.due_date
    assert compute_due(rule(days, unit), start, CAL, pauses=[Pause(p_start)]).due_date in (None, base.due_date)


@FAST
@given(d=dates, n=st.integers(0, 120), m=st.integers(0, 120), extra=overrides)
def test_add_working_days_composes(d, n, m, extra) -> None:
    cal = WorkCalendar(extra)
    assert cal.add_working_days(cal.add_working_days(d, n), m) == cal.add_working_days(d, n + m)


@FAST
@given(d=dates, n=st.integers(0, 200), extra=overrides)
def test_working_days_between_inverts_add(d, n, extra) -> None:
    cal = WorkCalendar(extra)
    end = cal.add_working_days(d, n)
    assert cal.working_days_between(d, end) == n
    assert cal.working_days_between(end, d) == -n
    assert cal.is_working_day(end) or n == 0


@FAST
@given(d=dates, n=st.integers(1, 120))
def test_subtract_working_days_lands_n_working_days_back(d, n) -> None:
    back = CAL.subtract_working_days(d, n)
    assert back < d and CAL.is_working_day(back)
    # (back, d] holds the n - 1 working days between them, plus d itself if it is one.
    assert CAL.working_days_between(back, d) == n - 1 + int(CAL.is_working_day(d))
    if CAL.is_working_day(d):
        assert CAL.add_working_days(back, n) == d
