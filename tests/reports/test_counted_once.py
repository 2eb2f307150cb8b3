"""A citizen's matter is counted once, and a voided case nowhere, on the dashboard, in the periodic report and on the
scorecard alike (the rule of dvflow/services/cases/matters.py). Reproductions of the review's R1, R2 and S1, then
the dashboard's figures against the periodic report's on the hand-counted world of fixtures.py."""
from __future__ import annotations

from datetime import date, datetime, timezone

from dvflow.models import Case
from dvflow.services import cases, reports
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.services.reports import periodic, periods
from dvflow.services.reports.scorecard_facts import FORMULAS, Year

from .fixtures import build, local

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


def hand_off_a_mass_letter(session, workflows, org) -> Case:
    """A mass letter of 6 people received 16/11, classified and accepted as a first complaint on 17/11: the hand-off
    closes the letter and opens a case with the letter's receipt instant and its mass mark."""
    head = org["users"]["head"]
    letter = register(session, workflows, org, "triage", local(date(2026, 11, 16), 10), mass=True, people_count=6)
    cases.perform(session, workflows, head, letter.id, "classify",
                  {"content_type": "complaint_first", "competent": True}, local(date(2026, 11, 17), 10))
    cases.perform(session, workflows, head, letter.id, "accept", {"target_kind": "complaint_first"},
                  local(date(2026, 11, 17), 11))
    assert letter.status == "closed" and letter.handed_off_to_id is not None
    return letter


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


def test_a_letter_handed_off_is_one_matter_on_the_dashboard(session, workflows, org):
    """R2: the letter and the case it became are received once, and the hand-off resolves nothing."""
    hand_off_a_mass_letter(session, workflows, org)
    weeks = {w.start: (w.received, w.resolved) for w in reports.weekly_flow(session, None, NOW.date(), weeks=2)}
    assert weeks == {date(2026, 11, 16): (1, 0), date(2026, 11, 23): (0, 0)}
    months = {m.start: (m.received, m.resolved) for m in reports.monthly_flow(session, None, NOW.date(), months=2)}
    assert months == {date(2026, 10, 1): (0, 0), date(2026, 11, 1): (1, 0)}
    # the periodic report: one letter in its own section, one matter received, none ended
    rep = report(session, org, periods.bounds("month", 2026, 11, "calendar"))
    assert total(rep, "don", "total") == 1
    assert total(rep, "tiep-nhan", "total") == 1 and total(rep, "ket-qua", "total") == 0
    assert (total(rep, "dung-han", "ended"), total(rep, "dung-han", "open")) == (0, 1)  # one matter, still open


def test_a_mass_letter_handed_off_is_one_mass_case_on_the_scorecard(session, workflows, org):
    """S1: the mass cases criterion counts the mass letter and the case it became once, as the periodic report."""
    hand_off_a_mass_letter(session, workflows, org)
    mass = FORMULAS["mass_cases"](session, org["province"].id, all_units(org), Year(2026, NOW), None)
    rep = report(session, org, periods.bounds("year", 2026, 1, "calendar"))
    assert mass.value == 1.0 and total(rep, "tiep-nhan", "mass") == 1


def test_the_dashboard_equals_the_periodic_report_month_by_month(session, workflows, org):
    """On the hand-counted world (letters handed off, guided, archived and still waiting, a follow-up task, a voided
    case, ratings) plus a real hand-off and a voided rated case: each month's received and resolved on the dashboard
    are the month's intake and results in the report, its ratings the report's satisfaction, and the scorecard's mass
    cases the year report's."""
    world = build(session, workflows, org)
    hand_off_a_mass_letter(session, workflows, org)
    world["c5"].voided_at = NOW  # rated (2, on 15/09) then voided
    session.flush()
    months = {m.start: m for m in reports.monthly_flow(session, None, NOW.date())}
    compared = 0
    for month in range(6, 12):
        rep = report(session, org, periods.bounds("month", 2026, month, "calendar"))
        row = months[date(2026, month, 1)]
        assert (row.received, row.resolved) == (total(rep, "tiep-nhan", "total"), total(rep, "ket-qua", "total")), month
        assert total(rep, "dung-han", "ended") == total(rep, "ket-qua", "total"), month  # the same matters ended
        start, end = date(2026, month, 1), date(2026 + month // 12, month % 12 + 1, 1)
        rated = sum(n for _name, n, _sum in reports.ratings_by_unit(session, None, start, end))
        assert rated == (total(rep, "hai-long", "count") or 0), month
        compared += row.received + row.resolved + rated
    assert compared >= 10  # the months hold figures: the equality is not 0 == 0
    mass = FORMULAS["mass_cases"](session, org["province"].id, all_units(org), Year(2026, NOW), None)
    year = report(session, org, periods.bounds("year", 2026, 1, "calendar"))
    assert mass.value == total(year, "tiep-nhan", "mass") == 2  # the fixture's mass denunciation and the letter's case
