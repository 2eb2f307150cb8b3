"""Deadline computation (BLDS 2015 Art 147–148): exact dates worked out by hand.

Weekdays used below (checked by hand): 2025-12-31 Wed; 2026-02-13 Fri; 2026-03-02 Mon;
2026-04-01 Wed; 2026-05-01 Fri; 2026-06-12 Fri; 2026-07-01 Wed; 2026-07-12 Sun;
2026-09-02 Wed; 2026-10-02 Fri; 2027-01-08 Fri; 2027-02-02 Tue; 2027-02-05 Fri;
2027-02-07 Sun; 2027-04-01 Thu; 2027-05-01 Sat.
"""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from dvflow.engine.calendar import WorkCalendar, end_of_day_utc
from dvflow.engine.deadlines import (
    DueDate,
    compute_due,
    remaining_days,
    shift_days,
    step_due_at,
)
from dvflow.engine.types import ClockRule, Extension, LadderStep, Pause

from .conftest import NEW_YEAR_2026

ACCEPT_7 = ClockRule(7, "working_days", "Nghị định 124/2020/NĐ-CP, Điều 16 khoản 1 (sửa đổi)", "Thụ lý khiếu nại")
ACCEPT_10 = ClockRule(10, "working_days", "Nghị định 124/2020/NĐ-CP, Điều 16 khoản 1", "Thụ lý khiếu nại")
RESOLVE_30 = ClockRule(30, "calendar_days", "Luật Khiếu nại 2011, Điều 28", "Giải quyết khiếu nại lần đầu")
WD_5 = ClockRule(5, "working_days", "Luật Tiếp công dân 2013, Điều 28", "Xử lý đơn")
WD_10 = ClockRule(10, "working_days", "Nghị định 124/2020/NĐ-CP, Điều 16", "Thụ lý khiếu nại")


def kinds(due: DueDate, kind: str) -> list[str]:
    return [line.text for line in due.lines if line.kind == kind]


# --- plain limits -----------------------------------------------------------------------


def test_acceptance_7_vs_10_working_days(cal: WorkCalendar) -> None:
    # From Wed 1/7/2026: Thu 2 (1), Fri 3 (2), Mon 6 (3) … Fri 10 (7); Mon 13 (8), Tue 14 (9), Wed 15 (10).
    assert compute_due(ACCEPT_7, date(2026, 7, 1), cal).due_date == date(2026, 7, 10)
    assert compute_due(ACCEPT_10, date(2026, 7, 1), cal).due_date == date(2026, 7, 15)


def test_due_at_is_end_of_local_day_in_utc(cal: WorkCalendar) -> None:
    due = compute_due(ACCEPT_7, date(2026, 7, 1), cal)
    assert due.due_at == datetime(2026, 7, 10, 17, 0, tzinfo=timezone.utc)
    assert due.days_total == 7


def test_working_days_across_tet_2027(cal: WorkCalendar) -> None:
    # From Tue 2/2/2027: Wed 3 (1); Tết 4–10/2; Thu 11 (2), Fri 12 (3); Mon 15 (4), Tue 16 (5).
    due = compute_due(WD_5, date(2027, 2, 2), cal)
    assert due.due_date == date(2027, 2, 16)
    assert not kinds(due, "rollover")


def test_calendar_days_ending_in_tet_roll_forward(cal: WorkCalendar) -> None:
    # Fri 8/1/2027 + 30 days = Sun 7/2/2027 (Mùng hai Tết); 8, 9, 10/2 are Tết too,
    # so the limit ends at the end of Thu 11/2/2027 (BLDS Art 148).
    due = compute_due(RESOLVE_30, date(2027, 1, 8), cal)
    assert due.due_date == date(2027, 2, 11)
    rollover = "\n".join(kinds(due, "rollover"))
    for name in ("Mùng hai Tết Nguyên Đán", "Mùng ba Tết Nguyên Đán", "Mùng bốn Tết Nguyên Đán",
                 "Mùng năm Tết Nguyên Đán"):
        assert name in rollover
    assert "07/02/2027" in rollover and "11/02/2027" in rollover


def test_calendar_days_last_day_sunday(cal: WorkCalendar) -> None:
    # Fri 12/6/2026 + 30 = Sun 12/7/2026 → rolls to Mon 13/7/2026.
    due = compute_due(RESOLVE_30, date(2026, 6, 12), cal)
    assert due.due_date == date(2026, 7, 13)
    assert due.due_at == end_of_day_utc(date(2026, 7, 13))
    assert any("12/07/2026: Chủ nhật" in t for t in kinds(due, "rollover"))


def test_calendar_days_ending_on_may_1_2027(cal: WorkCalendar) -> None:
    # Thu 1/4/2027 + 30 = Sat 1/5/2027 (holiday); Sun 2/5; Mon 3/5 nghỉ bù → Tue 4/5/2027.
    assert compute_due(RESOLVE_30, date(2027, 4, 1), cal).due_date == date(2027, 5, 4)


def test_working_days_april_may_2026(cal: WorkCalendar) -> None:
    # From Wed 29/4/2026: 30/4, 1/5 holidays, weekend; Mon 4/5 (1) … Fri 8/5 (5).
    assert compute_due(WD_5, date(2026, 4, 29), cal).due_date == date(2026, 5, 8)


def test_working_days_national_day_2026(cal: WorkCalendar) -> None:
    # From Fri 28/8/2026: weekend, Mon 31/8 (package substitute for Sat 22/8), 1–2/9 Quốc khánh;
    # Thu 3/9 (1), Fri 4 (2), Mon 7 (3), Tue 8 (4), Wed 9 (5).
    due = compute_due(WD_5, date(2026, 8, 28), cal)
    assert due.due_date == date(2026, 9, 9)
    assert any("Ngày nghỉ (thay cho ngày 22/08/2026)" in t for t in kinds(due, "excluded"))


def test_clock_started_on_a_friday(cal: WorkCalendar) -> None:
    # Fri 6/3/2026 not counted: Mon 9/3 (1) … Fri 20/3 (10). Counting Friday would give 19/3.
    assert compute_due(WD_10, date(2026, 3, 6), cal).due_date == date(2026, 3, 20)


def test_clock_started_on_a_holiday(cal: WorkCalendar) -> None:
    # Wed 2/9/2026 (Quốc khánh) not counted: Thu 3 (1), Fri 4 (2), Mon 7 … Fri 11/9 (7).
    assert compute_due(ACCEPT_7, date(2026, 9, 2), cal).due_date == date(2026, 9, 11)
    # 30 calendar days: 2/9 + 30 = Fri 2/10/2026, a working day, no roll-over.
    due = compute_due(RESOLVE_30, date(2026, 9, 2), cal)
    assert due.due_date == date(2026, 10, 2)
    assert not kinds(due, "rollover")


def test_clock_started_on_the_eve_of_tet(cal: WorkCalendar) -> None:
    # Fri 13/2/2026, last working day before Tết (package: 16–20/2): weekend, Tết, weekend;
    # Mon 23/2 (1) … Fri 27/2 (5), Mon 2/3 (6), Tue 3/3 (7).
    assert compute_due(ACCEPT_7, date(2026, 2, 13), cal).due_date == date(2026, 3, 3)
    # Giao thừa Fri 5/2/2027: 6–10/2 off; Thu 11 (1), Fri 12 (2), Mon 15 … Fri 19/2 (7).
    assert compute_due(ACCEPT_7, date(2027, 2, 5), cal).due_date == date(2027, 2, 19)


def test_new_year_2026_swap(cal: WorkCalendar) -> None:
    swapped = WorkCalendar(NEW_YEAR_2026)
    start = date(2025, 12, 31)
    # 7 working days: both calendars end on Mon 12/1/2026 (the swap cancels out) …
    assert compute_due(ACCEPT_7, start, swapped).due_date == date(2026, 1, 12)
    assert compute_due(ACCEPT_7, start, cal).due_date == date(2026, 1, 12)
    # … but 5 do not: Fri 9/1 with the swap (Mon 5 … Fri 9), Thu 8/1 without (Fri 2, Mon 5 … Thu 8).
    assert compute_due(WD_5, start, swapped).due_date == date(2026, 1, 9)
    assert compute_due(WD_5, start, cal).due_date == date(2026, 1, 8)


def test_zero_day_rule_on_a_holiday_rolls_over(cal: WorkCalendar) -> None:
    rule = ClockRule(0, "calendar_days", "thử")
    assert compute_due(rule, date(2027, 2, 6), cal).due_date == date(2027, 2, 11)


def test_negative_days_rejected(cal: WorkCalendar) -> None:
    with pytest.raises(ValueError):
        compute_due(ClockRule(-1, "calendar_days", "thử"), date(2026, 3, 2), cal)
    with pytest.raises(ValueError):
        compute_due(RESOLVE_30, date(2026, 3, 2), cal, extensions=[Extension(-5, date(2026, 3, 5))])


# --- explanation ------------------------------------------------------------------------


def test_explanation_of_tet_working_days(cal: WorkCalendar) -> None:
    due = compute_due(WD_5, date(2027, 2, 2), cal)
    text = due.text()
    assert "Luật Tiếp công dân 2013, Điều 28" in text and "Xử lý đơn" in text
    assert "02/02/2027" in kinds(due, "start")[0] and "không tính" in kinds(due, "start")[0]
    assert "ngày làm việc" in text
    excluded = kinds(due, "excluded")
    assert excluded == [
        "Không tính 04/02/2027 (Thứ Năm): 29 Tết.",
        "Không tính 05/02/2027 (Thứ Sáu): Giao thừa Tết Nguyên Đán.",
        "Không tính 06/02/2027 (Thứ Bảy): Tết Nguyên Đán.",
        "Không tính 07/02/2027 (Chủ nhật): Mùng hai Tết Nguyên Đán.",
        "Không tính 08/02/2027 (Thứ Hai): Mùng ba Tết Nguyên Đán.",
        "Không tính 09/02/2027 (Thứ Ba): Mùng bốn Tết Nguyên Đán.",
        "Không tính 10/02/2027 (Thứ Tư): Mùng năm Tết Nguyên Đán.",
        "Không tính 13/02/2027: Thứ Bảy.",
        "Không tính 14/02/2027: Chủ nhật.",
    ]
    counted = kinds(due, "counted")
    assert counted[0] == "Tính ngày làm việc thứ 1: 03/02/2027 (Thứ Tư)."
    assert counted[-1] == "Tính ngày làm việc thứ 4–5: từ 15/02/2027 (Thứ Hai) đến 16/02/2027 (Thứ Ba)."
    assert due.lines[-1].kind == "due" and "16/02/2027" in due.lines[-1].text


def test_explanation_lists_override_note(cal: WorkCalendar) -> None:
    due = compute_due(ACCEPT_7, date(2025, 12, 31), WorkCalendar(NEW_YEAR_2026))
    excluded = kinds(due, "excluded")
    assert "Không tính 01/01/2026 (Thứ Năm): Tết Dương lịch." in excluded
    assert (
        "Không tính 02/01/2026 (Thứ Sáu): Ngày nghỉ (điều chỉnh): "
        "Nghỉ Tết Dương lịch 2026, hoán đổi theo Công văn 12729/VPCP-KGVX." in excluded
    )
    assert not any("10/01/2026" in t for t in excluded)  # the make-up Saturday is counted
    assert any("thứ 1–6" in t and "10/01/2026" in t for t in kinds(due, "counted"))


def test_to_dict_is_json_friendly(cal: WorkCalendar) -> None:
    import json

    data = compute_due(RESOLVE_30, date(2026, 6, 12), cal).to_dict()
    assert data["due_date"] == "2026-07-13"
    assert data["due_at"] == "2026-07-13T17:00:00+00:00"
    assert data["days_total"] == 30
    assert data["lines"][0]["kind"] == "rule"
    json.dumps(data)


# --- pauses ----------------------------------------------------------------------------------


def test_pause_and_resume_calendar_days(cal: WorkCalendar) -> None:
    # Mon 2/3/2026 + 30 = Wed 1/4. Paused 10/3 → 17/3: used 8 (3–10/3), 22 left from 17/3 → Wed 8/4,
    # i.e. exactly 7 calendar days later.
    base = compute_due(RESOLVE_30, date(2026, 3, 2), cal)
    assert base.due_date == date(2026, 4, 1)
    due = compute_due(RESOLVE_30, date(2026, 3, 2), cal, pauses=[Pause(date(2026, 3, 10), date(2026, 3, 17))])
    assert due.due_date == date(2026, 4, 8)
    pause_text = kinds(due, "pause")[0]
    assert "10/03/2026" in pause_text and "17/03/2026" in pause_text
    assert "8/30" in pause_text and "còn lại 22 ngày" in pause_text


def test_pause_and_resume_working_days(cal: WorkCalendar) -> None:
    # Mon 2/3/2026 + 10 wd = Mon 16/3. Paused Wed 4/3 → Wed 11/3 (5 working days: 5, 6, 9, 10, 11):
    # used 2 (3, 4/3), 8 left from 11/3: 12, 13, 16–20, Mon 23/3.
    due = compute_due(WD_10, date(2026, 3, 2), cal, pauses=[Pause(date(2026, 3, 4), date(2026, 3, 11))])
    assert due.due_date == date(2026, 3, 23)
    assert due.due_date == cal.add_working_days(date(2026, 3, 16), 5)


def test_open_pause_has_no_due_date(cal: WorkCalendar) -> None:
    due = compute_due(RESOLVE_30, date(2026, 3, 2), cal, pauses=[Pause(date(2026, 3, 10))])
    assert due.due_date is None and due.due_at is None and due.paused
    assert due.days_total == 30
    assert "chưa xác định" in due.lines[-1].text and "22 ngày" in due.lines[-1].text
    assert due.to_dict()["due_date"] is None


def test_zero_length_pause_changes_nothing(cal: WorkCalendar) -> None:
    base = compute_due(RESOLVE_30, date(2026, 3, 2), cal)
    due = compute_due(RESOLVE_30, date(2026, 3, 2), cal, pauses=[Pause(date(2026, 3, 10), date(2026, 3, 10))])
    assert (due.due_date, due.due_at) == (base.due_date, base.due_at)
    # on a Saturday, in working days
    base = compute_due(WD_10, date(2026, 3, 2), cal)
    due = compute_due(WD_10, date(2026, 3, 2), cal, pauses=[Pause(date(2026, 3, 7), date(2026, 3, 7))])
    assert due.due_date == base.due_date == date(2026, 3, 16)


def test_two_pauses(cal: WorkCalendar) -> None:
    # Paused 10→13/3 (3 days) and 20→24/3 (4 days): 1/4/2026 + 7 = Wed 8/4/2026.
    pauses = [Pause(date(2026, 3, 20), date(2026, 3, 24)), Pause(date(2026, 3, 10), date(2026, 3, 13))]
    due = compute_due(RESOLVE_30, date(2026, 3, 2), cal, pauses=pauses)
    assert due.due_date == date(2026, 4, 8)
    assert len(kinds(due, "pause")) == 2


def test_second_pause_still_open(cal: WorkCalendar) -> None:
    pauses = [Pause(date(2026, 3, 10), date(2026, 3, 13)), Pause(date(2026, 3, 20))]
    assert compute_due(RESOLVE_30, date(2026, 3, 2), cal, pauses=pauses).due_date is None


def test_pause_after_limit_used_up_keeps_due_date(cal: WorkCalendar) -> None:
    start = date(2026, 3, 2)  # due Wed 1/4/2026
    for pause in (Pause(date(2026, 4, 3), date(2026, 4, 20)), Pause(date(2026, 4, 1), date(2026, 4, 10)),
                  Pause(date(2026, 4, 3))):
        due = compute_due(RESOLVE_30, start, cal, pauses=[pause])
        assert due.due_date == date(2026, 4, 1), pause
        assert "đã dùng hết" in kinds(due, "pause")[0]


def test_pause_after_nominal_last_day_keeps_rolled_due(cal: WorkCalendar) -> None:
    # Fri 12/6/2026 + 30 = Sun 12/7 → Mon 13/7; a suspension on 13/7 changes nothing.
    due = compute_due(RESOLVE_30, date(2026, 6, 12), cal, pauses=[Pause(date(2026, 7, 13), date(2026, 8, 1))])
    assert due.due_date == date(2026, 7, 13)


@pytest.mark.parametrize(
    "pauses",
    [
        [Pause(date(2026, 3, 1), date(2026, 3, 5))],  # before the clock started
        [Pause(date(2026, 3, 10), date(2026, 3, 8))],  # ends before it starts
        [Pause(date(2026, 3, 10), date(2026, 3, 15)), Pause(date(2026, 3, 12), date(2026, 3, 20))],  # overlap
        [Pause(date(2026, 3, 10)), Pause(date(2026, 3, 20), date(2026, 3, 25))],  # after an open pause
    ],
)
def test_bad_pauses_rejected(cal: WorkCalendar, pauses: list[Pause]) -> None:
    with pytest.raises(ValueError):
        compute_due(RESOLVE_30, date(2026, 3, 2), cal, pauses=pauses)


# --- extensions ------------------------------------------------------------------------------


def test_extension_thirty_calendar_days(cal: WorkCalendar) -> None:
    # 2/3/2026 + 30 + 30 = Fri 1/5/2026 (Ngày Quốc tế Lao động), weekend → Mon 4/5/2026.
    ext = Extension(30, date(2026, 3, 25), number="15/QĐ-UBND", reason="Vụ việc phức tạp")
    due = compute_due(RESOLVE_30, date(2026, 3, 2), cal, extensions=[ext])
    assert due.due_date == date(2026, 5, 4)
    assert due.days_total == 60
    ext_text = kinds(due, "extension")[0]
    for part in ("15/QĐ-UBND", "25/03/2026", "Vụ việc phức tạp", "30 ngày"):
        assert part in ext_text
    assert any("Ngày Quốc tế Lao động" in t for t in kinds(due, "rollover"))


def test_extension_and_pause_together(cal: WorkCalendar) -> None:
    # 30 + 30 = 60 from 2/3/2026, paused 10→17/3: 1/5 + 7 = Fri 8/5/2026.
    due = compute_due(RESOLVE_30, date(2026, 3, 2), cal, pauses=[Pause(date(2026, 3, 10), date(2026, 3, 17))],
                      extensions=[Extension(30, date(2026, 3, 25))])
    assert due.due_date == date(2026, 5, 8)


# --- escalation steps, countdowns ---------------------------------------------------------------


def step(offset: int, unit: str = "working_days") -> LadderStep:
    return LadderStep(key=f"s{offset}", offset=offset, unit=unit, notify=("assignee",))  # type: ignore[arg-type]


def test_step_due_at(cal: WorkCalendar) -> None:
    due = date(2026, 3, 16)  # Monday
    # 1 working day before Monday is Friday 13/3; the step fires at its local 00:00 (= 12/3 17:00 UTC).
    assert step_due_at(due, step(-1), cal) == datetime(2026, 3, 12, 17, 0, tzinfo=timezone.utc)
    # 3 calendar days before: Fri 13/3 as well.
    assert step_due_at(due, step(-3, "calendar_days"), cal) == datetime(2026, 3, 12, 17, 0, tzinfo=timezone.utc)
    # 0: the end of the due date, 24:00 local of 16/3.
    assert step_due_at(due, step(0), cal) == datetime(2026, 3, 16, 17, 0, tzinfo=timezone.utc)
    # +2 working days: end of Wed 18/3.
    assert step_due_at(due, step(2), cal) == datetime(2026, 3, 18, 17, 0, tzinfo=timezone.utc)


def test_step_due_at_around_tet(cal: WorkCalendar) -> None:
    # Due Thu 11/2/2027: 1 working day before is Wed 3/2 (Tết in between); +1 is Fri 12/2.
    assert step_due_at(date(2027, 2, 11), step(-1), cal) == datetime(2027, 2, 2, 17, 0, tzinfo=timezone.utc)
    assert step_due_at(date(2027, 2, 11), step(1), cal) == datetime(2027, 2, 12, 17, 0, tzinfo=timezone.utc)


def test_shift_days(cal: WorkCalendar) -> None:
    assert shift_days(date(2026, 3, 13), 1, "working_days", cal) == date(2026, 3, 16)
    assert shift_days(date(2026, 3, 16), -1, "working_days", cal) == date(2026, 3, 13)
    assert shift_days(date(2026, 3, 13), 1, "calendar_days", cal) == date(2026, 3, 14)
    assert shift_days(date(2026, 3, 13), -13, "calendar_days", cal) == date(2026, 2, 28)


def test_remaining_days(cal: WorkCalendar) -> None:
    due = date(2026, 3, 16)  # Monday
    assert remaining_days(due, date(2026, 3, 13), "working_days", cal) == 1
    assert remaining_days(due, date(2026, 3, 13), "calendar_days", cal) == 3
    assert remaining_days(due, due, "working_days", cal) == 0
    assert remaining_days(due, date(2026, 3, 18), "working_days", cal) == -2
    assert remaining_days(due, date(2026, 3, 18), "calendar_days", cal) == -2
