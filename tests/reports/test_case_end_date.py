"""A case ends on the legal date of the act that ends it, not on the day that act is entered, and every report counts
its end in the period of that date, with the case list behind each figure agreeing.

A petition received Wednesday 16/12/2026, accepted and drafted in December, is answered by a reply dated Monday
28/12/2026 (issue_decision) that the head enters only on Sunday 03/01/2027. It was resolved in 2026: December's
periodic report counts it among the cases ended in the period (results and timeliness), the dashboard's chart among
December's resolved, the 2026 scorecard among the matters ended in the year, and the case list's "ended from/to"
filter lists it on 28/12. Before, all of them counted it by `closed_at` (the instant it was entered): in January.
"""
from __future__ import annotations

from datetime import date, datetime, time

import pytest
from sqlalchemy import select

from dvflow.models import Case, Commitment
from dvflow.services import cases
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.services.reports import dashboard, periodic
from dvflow.services.reports import scorecard_facts as facts
from dvflow.timeutil import TZ

from . import scorecard_fixtures as fx
from .fixtures import World, local
from .test_scorecard_drilldown import listed

RECEIVED, DECIDED, ENTERED = date(2026, 12, 16), date(2026, 12, 28), date(2027, 1, 3)


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), TZ)


ENTERED_AT = at(ENTERED)
LATER = at(date(2027, 2, 1))


@pytest.fixture
def answered(session, workflows, org):
    """The petition, answered by a reply dated 28/12/2026 and entered 03/01/2027."""
    data = IntakeInput(kind="petition", unit_id=org["dept"].id, channel="walk_in", received_at=at(RECEIVED, 9),
                       subject="Kiến nghị sửa đường liên thôn",
                       parties=[PartyInput(role="petitioner", name="Nguyễn Văn An")])
    head = org["users"]["head"]
    case = register_case(session, workflows, org["users"]["reception"], data, at(RECEIVED))
    steps = ((date(2026, 12, 17), "accept", {"reply_date": "2026-12-17", "reply_form": "written"}),
             (date(2026, 12, 18), "draft_decision", {}), (date(2026, 12, 21), "submit", {}),
             (date(2026, 12, 22), "approve", {}),
             (ENTERED, "issue_decision", {"decision_number": "15/TL-STNMT", "decision_date": DECIDED.isoformat()}))
    for day, action, payload in steps:
        cases.perform(session, workflows, head, case.id, action, payload, at(day))
    assert case.state == "closed"
    return case


def test_the_case_keeps_the_legal_date_it_ended_on(session, answered):
    assert answered.closed_at == ENTERED_AT and answered.closed_on == DECIDED


def _report(session, org, month: int, year: int):
    period = periodic.choose_period("month", year, month, "calendar", LATER.date())
    return periodic.build(session, unit_id=org["province"].id, visible=None, period=period, now=LATER)


def _section(rep, key: str) -> dict:
    return {r.label: r for r in next(s for s in rep.sections if s.key == key).rows}


def test_the_periodic_report_counts_it_ended_in_december(session, org, answered):
    december, january = _report(session, org, 12, 2026), _report(session, org, 1, 2027)
    results = _section(december, "ket-qua")["Tổng cộng"]
    assert (results.values["total"], results.values["answered"]) == (1, 1)
    assert listed(session, org, results.links["total"], LATER) == {answered.id}
    ended = _section(december, "dung-han")["Tổng cộng"]
    assert (ended.values["ended"], ended.values["open"]) == (1, 0)
    assert listed(session, org, ended.links["ended"], LATER) == {answered.id}
    assert _section(january, "ket-qua")["Tổng cộng"].values["total"] == 0
    late = _section(january, "dung-han")["Tổng cộng"]
    assert (late.values["ended"], late.values["open"]) == (0, 0)  # not carried into January as still open
    assert listed(session, org, late.links["ended"], LATER) == set()


def test_the_dashboard_chart_counts_it_resolved_in_december(session, org, answered):
    months = {m.start: m for m in dashboard.monthly_flow(session, None, date(2027, 1, 10), months=2)}
    assert (months[date(2026, 12, 1)].resolved, months[date(2027, 1, 1)].resolved) == (1, 0)
    for month, ids in ((months[date(2026, 12, 1)], {answered.id}), (months[date(2027, 1, 1)], set())):
        # the bar's link (web/reports/routes._chart_link): the cases ended from the month's first to its last day
        assert listed(session, org, {"xong_tu": month.start.isoformat(), "xong_den": month.end.isoformat()},
                      LATER) == ids


def test_the_dashboard_week_of_its_date_counts_it(session, workflows, org):
    """A reply dated Thursday 31/12/2026 and entered Monday 04/01/2027 resolved its case in the week of 28/12."""
    World(session, workflows, org).case("petition", local(date(2026, 12, 16)), state="closed",
                                        closed=at(date(2027, 1, 4)), ended_on=date(2026, 12, 31))
    weeks = {w.start: w.resolved for w in dashboard.weekly_flow(session, None, date(2027, 1, 10), weeks=3)}
    assert weeks == {date(2026, 12, 21): 0, date(2026, 12, 28): 1, date(2027, 1, 4): 0}


def _ended_in_year(session, org, year: int) -> int:
    fact = facts.satisfaction_average(session, org["dept"].id, {org["dept"].id}, facts.Year(year, LATER),
                                      fx.context())
    return dict(fact.counts)["Hồ sơ kết thúc trong năm"]


def test_the_scorecard_counts_it_ended_in_2026(session, org, answered):
    assert (_ended_in_year(session, org, 2026), _ended_in_year(session, org, 2027)) == (1, 0)


def test_the_case_list_filters_by_the_date_it_ended_on(session, org, answered):
    assert listed(session, org, {"xong_tu": "2026-12-28", "xong_den": "2026-12-28"}, LATER) == {answered.id}
    assert listed(session, org, {"xong_tu": "2027-01-01", "xong_den": "2027-01-31"}, LATER) == set()
    assert listed(session, org, {"don_vi": str(org["dept"].id), "xong_tu": "2026-12-01", "xong_den": "2026-12-31"},
                  LATER) == {answered.id}


def test_a_commitment_done_by_an_act_dated_in_the_period_counts_done_at_its_end(session, workflows, org):
    """A follow-up task confirmed done by an act dated 28/12 and entered 03/01 was done at December's end."""
    w = World(session, workflows, org)
    task = w.case("follow_up", local(date(2026, 12, 1)), channel="assigned", state="done", closed=ENTERED_AT,
                  ended_on=DECIDED)
    session.add(Commitment(case_id=task.id, source="dialogue", created_at=local(date(2026, 12, 1))))
    session.flush()
    dialogue = _section(_report(session, org, 12, 2026), "doi-thoai")["Đối thoại trong giải quyết khiếu nại"]
    assert (dialogue.values["made"], dialogue.values["done"]) == (1, 1)


def test_a_letter_handled_by_an_act_dated_in_the_period_is_handled_in_it(session, workflows, org):
    """A letter guided by an act dated 28/12 and entered 03/01 was handled in December, not waiting at its end."""
    w = World(session, workflows, org)
    w.case("triage", local(date(2026, 12, 10)), state="guided", closed=ENTERED_AT, ended_on=DECIDED)
    december = _section(_report(session, org, 12, 2026), "don")["Tổng cộng"]
    assert (december.values["handled"], december.values["guided"], december.values["waiting"]) == (1, 1, 0)
    assert listed(session, org, december.links["guided"], LATER) == {
        session.scalar(select(Case.id).where(Case.kind == "triage", Case.state == "guided"))}
    january = _section(_report(session, org, 1, 2027), "don")["Tổng cộng"]
    assert (january.values["carried"], january.values["handled"]) == (0, 0)


def test_the_national_export_gives_the_date_it_ended_on(session, org, answered):
    """The export's `closed_on` (schema v1, unchanged) is the legal date the case ended on, not the day entered."""
    from dvflow.services.reports import national_export, periods

    december = periods.bounds("month", 2026, 12, "calendar")
    doc = national_export.build(session, unit_id=org["dept"].id, visible=None, now=LATER,
                                span=national_export.Range(december.first, december.last, december))
    exported = next(c for c in doc["cases"] if c["tracking_code"] == answered.tracking_code)
    assert (exported["status"], exported["closed_on"]) == ("closed", "2026-12-28")



def test_the_api_gives_the_date_it_ended_on(session, workflows, org, answered):
    from dvflow.api.serialize import case_out

    out = case_out(session, workflows, answered, org["users"]["head"])
    assert out["closed_on"] == "2026-12-28" and out["closed_at"].startswith("2027-01-03")
