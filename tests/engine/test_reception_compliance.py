"""Compliance with the periodic-reception rules: holidays, delegated days, weekly and monthly rules, the rule change
of 01/7/2026, part months and months not over yet (dvflow/engine/reception/compliance.py)."""
from __future__ import annotations

from datetime import date

import pytest

from config import ROOT
from dvflow.engine.calendar import Override, WorkCalendar
from dvflow.engine.reception.compliance import SessionFact, compute
from dvflow.engine.reception.rules import load_rules

CAL = WorkCalendar()
LATER = date(2027, 1, 1)  # "today" after every month tested: they are over


@pytest.fixture(scope="module")
def rules():
    return load_rules(ROOT / "workflows")


def held(sid, day, delegate=None, reason=None, kind="periodic"):
    return SessionFact(sid, day, kind, "held", delegate, reason)


def run(rules, position, start, end, sessions, *, active_from=date(2020, 1, 1), active_to=None, today=LATER,
        calendar=CAL):
    return compute(rules.position(position), active_from=active_from, active_to=active_to, start=start, end=end,
                   sessions=sessions, calendar=calendar, today=today)


def test_commune_chair_april_2026_with_the_30_4_holiday_and_a_delegated_day(rules):
    # April 2026 under the weekly rule: the ISO weeks whose Thursday is in April are 30/3–5/4, 6–12/4, 13–19/4,
    # 20–26/4 and 27/4–3/5 (Thursday 30/4, a holiday; 28–29/4 are working days), so 5 days are required.
    sessions = [
        held(1, date(2026, 3, 31)),                      # in the week of Thursday 2/4: counts for April
        held(2, date(2026, 4, 8)), held(3, date(2026, 4, 10)),  # two days in one week make up for no other week
        held(4, date(2026, 4, 15), "Phó Chủ tịch Trần Văn B", "Chủ tịch đi công tác"),  # delegated: not counted
        held(5, date(2026, 4, 30)),                      # Ngày Chiến thắng: not a working day, not counted
        SessionFact(6, date(2026, 4, 22), "periodic", "cancelled"),
        held(7, date(2026, 4, 23), kind="ad_hoc"),        # ad hoc: apart from the periodic requirement
    ]
    april = run(rules, "commune_chair", date(2026, 4, 1), date(2026, 4, 30), sessions).months[0]
    assert april.required == 5
    assert april.held == 3
    assert [(d.day, d.delegate_name, d.reason, d.counts) for d in april.delegated] == [
        (date(2026, 4, 15), "Phó Chủ tịch Trần Văn B", "Chủ tịch đi công tác", False)]
    assert april.missed == 3  # the weeks of 13/4 (the chair receives in person: LTCD Art 15(2)(d)), 20/4 and 27/4
    assert [(n.day, n.reason) for n in april.not_counted] == [(date(2026, 4, 30), "Ngày Chiến thắng")]
    assert april.ad_hoc_held == 1 and april.outstanding == 0


def test_the_week_across_april_and_may_belongs_to_april_only(rules):
    may = run(rules, "commune_chair", date(2026, 5, 1), date(2026, 5, 31), [held(1, date(2026, 4, 28))]).months[0]
    assert may.required == 4 and may.held == 0 and may.missed == 4  # Thursdays 7, 14, 21, 28 May


def test_a_week_without_a_working_day_requires_nothing(rules):
    # Tết 2026: 16–20/2 are all days off, so February has three weeks that require a day, not four
    feb = run(rules, "commune_chair", date(2026, 2, 1), date(2026, 2, 28), []).months[0]
    assert feb.required == 3 and feb.missed == 3


def test_september_2026_monthly_rule_with_the_2_9_holiday(rules):
    sessions = [held(1, date(2026, 9, 2)), held(2, date(2026, 9, 16), "Phó Chủ tịch Lê C", "Ốm")]
    sep = run(rules, "commune_chair", date(2026, 9, 1), date(2026, 9, 30), sessions).months[0]
    # from 01/7/2026: 2 days a month, a delegate's day no longer counts (Luật số 136/2025/QH15)
    assert (sep.required, sep.held, sep.missed) == (2, 0, 2)
    assert [(d.day, d.counts) for d in sep.delegated] == [(date(2026, 9, 16), False)]
    assert [n.day for n in sep.not_counted] == [date(2026, 9, 2)]


def test_the_rule_change_of_1_july_2026_inside_the_period(rules):
    sessions = [held(1, date(2026, 6, 3)), held(2, date(2026, 6, 10), "Phó Chủ tịch", "Họp"),
                held(3, date(2026, 6, 17)),
                held(4, date(2026, 7, 1)),  # Wednesday of the week of Thursday 2/7: July, under the monthly rule
                held(5, date(2026, 7, 6), "Phó Chủ tịch", "Công tác"), held(6, date(2026, 7, 15))]
    result = run(rules, "commune_chair", date(2026, 6, 1), date(2026, 7, 31), sessions)
    june, july = result.months
    assert [r.per for r in june.rules] == ["week"] and [r.per for r in july.rules] == ["month"]
    assert (june.required, june.held, june.delegated_counted, june.missed) == (4, 2, 0, 2)
    assert (july.required, july.held, july.delegated_counted, july.missed) == (2, 2, 0, 0)
    assert len(july.delegated) == 1
    assert (result.total("required"), result.total("held"), result.total("missed")) == (6, 4, 2)
    assert result.total("delegated") == 2


@pytest.mark.parametrize("position, month, required", [
    ("province_chair", date(2026, 3, 1), 1),            # LTCD 2013 Art 12(5): "trực tiếp tiếp công dân"
    ("district_chair", date(2025, 3, 1), 2),            # LTCD 2013 Art 13(5): "trực tiếp tiếp công dân"
    ("agency_head", date(2026, 3, 1), 1),               # LTCD 2013 Art 18(2): "Trực tiếp thực hiện"
    ("public_service_unit_head", date(2026, 3, 1), 1),  # NĐ 64/2014 Art 4(2): "Trực tiếp thực hiện"
])
def test_a_deputy_s_day_never_stands_for_the_head_before_july_2026_either(rules, position, month, required):
    last = month.replace(day=31)
    delegated = [held(1, month.replace(day=10), "Phó Chủ tịch X", "Đi công tác"),
                 held(2, month.replace(day=17), "Phó Chủ tịch X", "Đi công tác")]
    m = run(rules, position, month, last, delegated).months[0]
    assert (m.required, m.held, len(m.delegated), m.delegated_counted, m.missed) == (required, 0, 2, 0, required)


def test_monthly_rule_for_an_agency_head_and_a_day_off_set_by_an_administrator(rules):
    calendar = WorkCalendar([Override(date(2026, 10, 14), "off", "Nghỉ bù")])
    sessions = [held(1, date(2026, 10, 14))]
    octo = run(rules, "agency_head", date(2026, 10, 1), date(2026, 10, 31), sessions, calendar=calendar).months[0]
    assert (octo.required, octo.held, octo.missed) == (1, 0, 1)
    assert octo.not_counted[0].reason
    again = run(rules, "agency_head", date(2026, 10, 1), date(2026, 10, 31), sessions).months[0]
    assert (again.required, again.held, again.missed) == (1, 1, 0)


def test_a_part_month_requires_the_share_of_its_working_days_rounded_half_up(rules):
    # October 2026 has 22 working days; from 16/10 the official held the post on 11 of them, from 19/10 on 10
    part = dict(start=date(2026, 10, 1), end=date(2026, 10, 31), sessions=[], active_from=date(2026, 10, 16))
    assert run(rules, "commune_chair", **part).months[0].required == 1  # 2 × 11 / 22
    assert run(rules, "agency_head", **part).months[0].required == 1    # 1 × 11 / 22: half, rounded up
    part["active_from"] = date(2026, 10, 19)
    assert run(rules, "agency_head", **part).months[0].required == 0    # 1 × 10 / 22: under half
    left = run(rules, "agency_head", date(2026, 10, 1), date(2026, 11, 30), [], active_from=date(2020, 1, 1),
               active_to=date(2026, 10, 31))
    assert [m.required for m in left.months] == [1, 0]


def test_a_period_that_cuts_a_month_owes_it_whole_if_it_holds_its_15th_else_not_at_all(rules):
    # as a week belongs to the month of its Thursday: no month owed twice, none forgotten, its sessions all count
    first = run(rules, "commune_chair", date(2026, 10, 1), date(2026, 10, 15), [held(1, date(2026, 10, 20))])
    assert (first.months[0].required, first.months[0].held) == (2, 1)  # the 20th counts for October
    second = run(rules, "commune_chair", date(2026, 10, 16), date(2026, 10, 31), [held(1, date(2026, 10, 5))])
    assert (second.months[0].required, second.months[0].held, second.months[0].missed) == (0, 0, 0)


def test_the_cut_off_month_report_owes_one_calendar_month_and_counts_its_first_working_day(rules):
    # the periodic report's default month runs from the 15th to the 14th: a province chair who received on the first
    # working day of every month complied, in every such report (owing each part of a cut month on its own made
    # February 2026's report owe 2 and show one missed, and March's owe nothing)
    firsts = [date(2026, 1, 2), date(2026, 2, 2), date(2026, 3, 2), date(2026, 4, 1), date(2026, 5, 4)]
    sessions = [held(i + 1, d) for i, d in enumerate(firsts)]
    for start, end in [(date(2026, 1, 15), date(2026, 2, 14)), (date(2026, 2, 15), date(2026, 3, 14)),
                       (date(2026, 3, 15), date(2026, 4, 14))]:
        report = run(rules, "province_chair", start, end, sessions)
        assert (sum(m.required for m in report.months), sum(m.missed for m in report.months)) == (1, 0), start


def test_when_the_head_changes_on_the_2nd_the_new_head_owes_the_month(rules):
    # October 2026: the old province chair's last day is Thursday 1/10 (1 of 22 working days), the new one starts
    # on Friday 2/10 (21 of 22): rounding down let neither owe October
    october = dict(start=date(2026, 10, 1), end=date(2026, 10, 31), sessions=[])
    old = run(rules, "province_chair", **october, active_to=date(2026, 10, 1)).months[0]
    new = run(rules, "province_chair", **october, active_from=date(2026, 10, 2)).months[0]
    assert (old.required, new.required) == (0, 1)


def test_a_head_appointed_on_the_second_working_day_owes_the_month(rules):
    # January 2026: 1/1 is a holiday, the first working days are Friday 2/1 and Monday 5/1
    january = run(rules, "agency_head", date(2026, 1, 1), date(2026, 1, 31), [], active_from=date(2026, 1, 5))
    assert january.months[0].required == 1


def test_a_period_ending_before_the_month_s_last_working_day_owes_the_month(rules):
    # January 2024 has 22 working days, the last on Wednesday 31/1: a report from 1 to 30 January covers 21 of them
    report = run(rules, "agency_head", date(2024, 1, 1), date(2024, 1, 30), [])
    assert (report.months[0].required, report.months[0].missed) == (1, 1)


def test_a_month_not_over_has_outstanding_days_and_upcoming_sessions_not_missed(rules):
    sessions = [held(1, date(2026, 11, 10)),
                SessionFact(2, date(2026, 11, 27), "periodic", "published"),
                SessionFact(3, date(2026, 11, 5), "periodic", "planned")]  # in the past, never held: not upcoming
    nov = run(rules, "commune_chair", date(2026, 11, 1), date(2026, 11, 30), sessions,
              today=date(2026, 11, 25)).months[0]
    assert (nov.required, nov.held, nov.missed, nov.outstanding) == (2, 1, 0, 1)
    assert [s.id for s in nov.upcoming] == [2]


def test_a_position_without_a_rule_in_force_requires_nothing(rules):
    result = run(rules, "district_chair", date(2025, 6, 1), date(2025, 7, 31), [])
    assert [m.required for m in result.months] == [2, 0]


def test_a_public_service_unit_head_owes_a_day_a_month_before_july_2026(rules):
    # NĐ 64/2014/NĐ-CP Art 4(2): "ít nhất 01 ngày trong 01 tháng", before NĐ 154/2026 took over on 01/7/2026
    first_half = run(rules, "public_service_unit_head", date(2026, 1, 1), date(2026, 6, 30),
                     [held(1, date(2026, 3, 4))])
    assert [m.required for m in first_half.months] == [1] * 6
    assert (first_half.total("held"), first_half.total("missed")) == (1, 5)
