"""A citizen's matter is counted once, and a voided case nowhere, on the dashboard, in the periodic report and on the
scorecard alike (the rule of dvflow/services/reports/matters.py). Reproductions of the review's R1, R2 and S1, then
the dashboard's figures against the periodic report's on the hand-counted world of fixtures.py."""
from __future__ import annotations

from datetime import date, datetime, timezone

from dvflow.services import cases, reports
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.services.reports import periodic, periods
from dvflow.services.reports.scorecard_facts import FORMULAS, Year

from .fixtures import local

NOW = datetime(2026, 11, 25, 3, 0, tzinfo=timezone.utc)


def register(session, workflows, org, kind, received_at, **kw):
    data = IntakeInput(kind=kind, unit_id=org["dept"].id, channel="letter", received_at=received_at,
                       subject=f"Việc {kind} {received_at:%d%H%M}",
                       parties=[PartyInput(role="complainant", name="Nguyễn Văn An", address="12 Lê Lợi")], **kw)
    return register_case(session, workflows, org["users"]["reception"], data, received_at)


def report(session, org, period):
    return periodic.build(session, unit_id=org["province"].id, visible=None, period=period, now=NOW)


def total(rep, key, col):
    sec = next(s for s in rep.sections if s.key == key)
    return next(r for r in sec.rows if r.total).values[col]


def all_units(org) -> set[int]:
    return {org[u].id for u in ("province", "dept", "remote", "other")}


def test_a_voided_cases_rating_counts_on_no_dashboard(session, workflows, org):
    """R1: rated, then voided: the dashboard's satisfaction leaves it out, as the report and the scorecard do."""
    from dvflow.services.cases.voiding import void_case
    from dvflow.services.ratings.satisfaction import rate
    head = org["users"]["head"]
    c = register(session, workflows, org, "complaint_first", local(date(2026, 11, 2)))
    cases.perform(session, workflows, head, c.id, "refuse", {"decision_number": "1/TB", "decision_date": "2026-11-03",
                                                             "ground": "not_signed"}, local(date(2026, 11, 3)))
    rate(session, c, 1, "", local(date(2026, 11, 4)))
    assert reports.ratings_by_unit(session, None, date(2026, 11, 1), date(2026, 12, 1)) == [(org["dept"].name, 1, 1)]
    void_case(session, workflows, head, c.id, "Hồ sơ nhập nhầm, trùng", local(date(2026, 11, 5)))

    assert reports.ratings_by_unit(session, None, date(2026, 11, 1), date(2026, 12, 1)) == []
    assert reports.ratings_by_unit(session, {org["dept"].id}, date(2026, 11, 1), date(2026, 12, 1)) == []
    assert total(report(session, org, periods.bounds("month", 2026, 11, "calendar")), "hai-long", "count") == 0
    sat = FORMULAS["satisfaction_average"](session, org["province"].id, all_units(org), Year(2026, NOW), None)
    assert sat.value is None
