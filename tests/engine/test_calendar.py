"""The Vietnamese working-day calendar: exact dates worked out by hand from a calendar.

Weekdays used below (checked by hand): 2025-12-31 Wed; 2026-01-01 Thu; 2026-03-06 Fri;
2026-04-29 Wed; 2026-08-22 Sat; 2026-08-28 Fri; 2026-09-02 Wed; 2027-02-01 Mon;
2027-04-29 Thu; 2027-05-01 Sat.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from dvflow.engine.calendar import (
    TZ,
    Override,
    WorkCalendar,
    end_of_day_utc,
    format_date,
    local_date,
    start_of_day_utc,
    weekday_name,
)

# --- the base layers ------------------------------------------------------------------


def test_weekdays_work_weekends_do_not(cal: WorkCalendar) -> None:
    assert cal.is_working_day(date(2026, 3, 6))  # Friday, no holiday
    assert not cal.is_working_day(date(2026, 3, 7))  # Saturday
    assert not cal.is_working_day(date(2026, 3, 8))  # Sunday
    assert cal.non_working_reason(date(2026, 3, 7)) == "Thứ Bảy"
    assert cal.non_working_reason(date(2026, 3, 8)) == "Chủ nhật"
    assert cal.non_working_reason(date(2026, 3, 6)) is None


def test_tet_2027_days_and_vietnamese_names(cal: WorkCalendar) -> None:
    # The package's Tết 2027: Thu 4/2 ("29 Tết") to Wed 10/2 (Mùng năm), weekend 6–7/2 inside.
    expected = {
        date(2027, 2, 4): "29 Tết",
        date(2027, 2, 5): "Giao thừa Tết Nguyên Đán",
        date(2027, 2, 6): "Tết Nguyên Đán",
        date(2027, 2, 7): "Mùng hai Tết Nguyên Đán",
        date(2027, 2, 8): "Mùng ba Tết Nguyên Đán",
        date(2027, 2, 9): "Mùng bốn Tết Nguyên Đán",
        date(2027, 2, 10): "Mùng năm Tết Nguyên Đán",
    }
    for d, name in expected.items():
        assert not cal.is_working_day(d), d
        assert cal.non_working_reason(d) == name
    assert cal.is_working_day(date(2027, 2, 3))
    assert cal.is_working_day(date(2027, 2, 11))


def test_package_new_year_2026_gap_and_overrides(cal: WorkCalendar, cal2026: WorkCalendar) -> None:
    # Without overrides the package says Fri 2/1/2026 is a working day and Sat 10/1 is not —
    # both wrong; the overrides fix them and win over the package.
    assert cal.is_working_day(date(2026, 1, 2))
    assert not cal.is_working_day(date(2026, 1, 10))
    assert not cal2026.is_working_day(date(2026, 1, 2))
    assert cal2026.is_working_day(date(2026, 1, 10))
    assert cal2026.non_working_reason(date(2026, 1, 2)) == (
        "Ngày nghỉ (điều chỉnh): Nghỉ Tết Dương lịch 2026, hoán đổi theo Công văn 12729/VPCP-KGVX"
    )
    assert cal2026.non_working_reason(date(2026, 1, 10)) is None
    assert cal2026.non_working_reason(date(2026, 1, 1)) == "Tết Dương lịch"


def test_override_can_make_a_holiday_a_working_day() -> None:
    cal = WorkCalendar([Override(date(2026, 9, 2), "working")])
    assert cal.is_working_day(date(2026, 9, 2))
    cal = WorkCalendar([Override(date(2026, 3, 6), "off")])
    assert cal.non_working_reason(date(2026, 3, 6)) == "Ngày nghỉ (điều chỉnh)"


def test_override_kind_is_checked() -> None:
    with pytest.raises(ValueError):
        Override(date(2026, 1, 2), "holiday")  # type: ignore[arg-type]


def test_national_day_2026_per_package(cal: WorkCalendar) -> None:
    # The package (0.108) knows the 2026 Quốc khánh break: Tue 1/9 and Wed 2/9, plus Mon 31/8
    # given in exchange for Saturday 22/8, which becomes a make-up working day.
    assert cal.non_working_reason(date(2026, 8, 31)) == "Ngày nghỉ (thay cho ngày 22/08/2026)"
    assert cal.non_working_reason(date(2026, 9, 1)) == "Quốc khánh"
    assert cal.non_working_reason(date(2026, 9, 2)) == "Quốc khánh"
    assert cal.is_working_day(date(2026, 8, 22))  # Saturday, weekend_workdays
    assert cal.is_working_day(date(2026, 9, 3))


def test_april_may_2027_substitute_day(cal: WorkCalendar) -> None:
    # 1/5/2027 is a Saturday, so Monday 3/5 is the compensatory day off (BLLĐ Art 111(3)).
    assert not cal.is_working_day(date(2027, 4, 30))
    assert cal.non_working_reason(date(2027, 5, 1)) == "Ngày Quốc tế Lao động"
    assert cal.non_working_reason(date(2027, 5, 3)) == "Ngày Quốc tế Lao động (nghỉ bù)"
    assert cal.is_working_day(date(2027, 5, 4))


# --- arithmetic -------------------------------------------------------------------------


def test_add_zero_returns_start_even_on_a_holiday(cal: WorkCalendar) -> None:
    assert cal.add_working_days(date(2027, 2, 6), 0) == date(2027, 2, 6)


def test_start_day_is_not_counted_friday(cal: WorkCalendar) -> None:
    # From Fri 6/3/2026: 1 = Mon 9/3 … 5 = Fri 13/3, 6 = Mon 16/3 … 10 = Fri 20/3.
    assert cal.add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 9)
    assert cal.add_working_days(date(2026, 3, 6), 10) == date(2026, 3, 20)


def test_five_working_days_across_tet_2027(cal: WorkCalendar) -> None:
    # From Tue 2/2/2027: Wed 3/2 (1); 4–10/2 Tết; Thu 11 (2), Fri 12 (3); weekend;
    # Mon 15 (4), Tue 16 (5).
    assert cal.add_working_days(date(2027, 2, 2), 5) == date(2027, 2, 16)


def test_new_year_2026_with_and_without_overrides(cal: WorkCalendar, cal2026: WorkCalendar) -> None:
    start = date(2025, 12, 31)  # Wednesday; 1/1 Thursday is a holiday
    # With the swap: 2/1 off, weekend 3–4/1; Mon 5 (1) … Fri 9 (5), Sat 10 (6), Mon 12 (7).
    assert cal2026.add_working_days(start, 7) == date(2026, 1, 12)
    # Without: Fri 2 (1), Mon 5 (2) … Fri 9 (6), Mon 12 (7) — the swap cancels out over 7 days,
    assert cal.add_working_days(start, 7) == date(2026, 1, 12)
    # but not over 5 or 6: with the swap Fri 9/1 and Sat 10/1, without it Thu 8/1 and Fri 9/1.
    assert cal2026.add_working_days(start, 5) == date(2026, 1, 9)
    assert cal.add_working_days(start, 5) == date(2026, 1, 8)
    assert cal2026.add_working_days(start, 6) == date(2026, 1, 10)
    assert cal.add_working_days(start, 6) == date(2026, 1, 9)


def test_april_30_may_1_2026(cal: WorkCalendar) -> None:
    # From Wed 29/4/2026: Thu 30/4 and Fri 1/5 holidays, weekend; Mon 4/5 (1), Tue 5 (2), Wed 6 (3).
    assert cal.add_working_days(date(2026, 4, 29), 3) == date(2026, 5, 6)


def test_april_30_may_1_2027(cal: WorkCalendar) -> None:
    # From Thu 29/4/2027: Fri 30/4 holiday, Sat 1/5, Sun 2/5, Mon 3/5 nghỉ bù; Tue 4/5 (1).
    assert cal.add_working_days(date(2027, 4, 29), 1) == date(2027, 5, 4)


def test_national_day_2026_count(cal: WorkCalendar) -> None:
    # From Fri 28/8/2026: weekend, Mon 31/8 substitute, 1–2/9 Quốc khánh; Thu 3/9 (1), Fri 4 (2), Mon 7 (3).
    assert cal.add_working_days(date(2026, 8, 28), 3) == date(2026, 9, 7)
    # From Fri 21/8/2026 the next working day is the make-up Saturday 22/8.
    assert cal.add_working_days(date(2026, 8, 21), 1) == date(2026, 8, 22)


def test_subtract_working_days(cal: WorkCalendar) -> None:
    assert cal.subtract_working_days(date(2026, 3, 16), 0) == date(2026, 3, 16)
    assert cal.subtract_working_days(date(2026, 3, 16), 1) == date(2026, 3, 13)  # Mon -> Fri
    # Before Thu 11/2/2027: 4–10/2 Tết, so 1 working day back is Wed 3/2.
    assert cal.subtract_working_days(date(2027, 2, 11), 1) == date(2027, 2, 3)


def test_negative_counts_rejected(cal: WorkCalendar) -> None:
    with pytest.raises(ValueError):
        cal.add_working_days(date(2026, 3, 6), -1)
    with pytest.raises(ValueError):
        cal.subtract_working_days(date(2026, 3, 6), -1)


def test_first_working_day_on_or_after(cal: WorkCalendar) -> None:
    assert cal.first_working_day_on_or_after(date(2026, 3, 6)) == date(2026, 3, 6)
    assert cal.first_working_day_on_or_after(date(2027, 2, 5)) == date(2027, 2, 11)
    assert cal.first_working_day_on_or_after(date(2027, 5, 1)) == date(2027, 5, 4)


def test_working_days_between(cal: WorkCalendar) -> None:
    # (Tue 2/2/2027, Tue 16/2/2027]: 3, 11, 12, 15, 16 → 5
    assert cal.working_days_between(date(2027, 2, 2), date(2027, 2, 16)) == 5
    assert cal.working_days_between(date(2027, 2, 16), date(2027, 2, 2)) == -5
    assert cal.working_days_between(date(2027, 2, 3), date(2027, 2, 10)) == 0
    assert cal.working_days_between(date(2027, 2, 3), date(2027, 2, 3)) == 0


def test_non_working_days_lists_each_with_reason(cal: WorkCalendar) -> None:
    days = cal.non_working_days(date(2027, 4, 29), date(2027, 5, 4))
    assert days == [
        (date(2027, 4, 30), "Ngày Chiến thắng"),
        (date(2027, 5, 1), "Ngày Quốc tế Lao động"),
        (date(2027, 5, 2), "Chủ nhật"),
        (date(2027, 5, 3), "Ngày Quốc tế Lao động (nghỉ bù)"),
    ]


def test_sixty_working_days_is_fast(cal: WorkCalendar) -> None:
    import time

    cal.add_working_days(date(2026, 1, 1), 60)  # warm the per-year cache
    t = time.perf_counter()
    for _ in range(100):
        cal.add_working_days(date(2026, 1, 1), 60)
    assert (time.perf_counter() - t) / 100 < 0.005


# --- formatting and time zone ------------------------------------------------------------


def test_formatting() -> None:
    assert format_date(date(2027, 2, 4)) == "04/02/2027"
    assert weekday_name(date(2027, 2, 4)) == "Thứ Năm"
    assert weekday_name(date(2027, 2, 7)) == "Chủ nhật"


def test_day_boundaries_in_utc() -> None:
    # Vietnam is UTC+7 all year: local midnight starting 17/3 is 16/3 17:00 UTC.
    assert end_of_day_utc(date(2026, 3, 16)) == datetime(2026, 3, 16, 17, 0, tzinfo=timezone.utc)
    assert start_of_day_utc(date(2026, 3, 16)) == datetime(2026, 3, 15, 17, 0, tzinfo=timezone.utc)
    assert end_of_day_utc(date(2026, 12, 31)) == datetime(2026, 12, 31, 17, 0, tzinfo=timezone.utc)
    assert end_of_day_utc(date(2026, 3, 16)).tzinfo is not None


def test_local_date() -> None:
    assert local_date(datetime(2026, 3, 16, 16, 59, tzinfo=timezone.utc)) == date(2026, 3, 16)
    assert local_date(datetime(2026, 3, 16, 17, 0, tzinfo=timezone.utc)) == date(2026, 3, 17)
    assert local_date(datetime(2026, 3, 17, 0, 0, tzinfo=TZ)) == date(2026, 3, 17)
    assert local_date(end_of_day_utc(date(2026, 3, 16)) - timedelta(microseconds=1)) == date(2026, 3, 16)
    with pytest.raises(ValueError):
        local_date(datetime(2026, 3, 16, 12, 0))
