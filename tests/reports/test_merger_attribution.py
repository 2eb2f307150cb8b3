"""A case moved by a unit merger counts under the unit it was in on the day of each fact counted (received, ended, a
time limit met, a rating): Xã Xa is merged into Xã Mới on 01/07/2026 and its open cases move there, yet what Xã Xa
received and did before that day stays Xã Xa's in every report of a period before it (services/cases/unit_on.py)."""
from __future__ import annotations

from datetime import date

import pytest
from factories import NOW
from sqlalchemy import select

from dvflow.models import Case, CaseUnitMove
from dvflow.services.cases import list_filters
from dvflow.services.org import accounts
from dvflow.services.org.units import dissolve_unit
from dvflow.services.reception import book
from dvflow.services.reports import periodic, periods, scorecard_facts

from . import scorecard_fixtures as fx
from .fixtures import World, local

MERGED = date(2026, 7, 1)


@pytest.fixture
def merged(session, workflows, org):
    """Xã Xa received a mass petition on 10/04/2026 (a time limit of it met on 10/05) and a letter on 10/06, both
    still open when it was merged into Xã Mới (a commune made on 01/07/2026)."""
    org["new"] = accounts.create_unit(session, "XA-MOI", "Xã Mới", parent_code="TINH", level="commune",
                                      active_from=MERGED)
    w = World(session, workflows, org)
    petition = w.case("petition", local(date(2026, 4, 10)), unit="remote", mass=True, people=20)
    w.clock(petition, due=date(2026, 5, 20), state="met", closed=local(date(2026, 5, 10)))
    letter = w.case("triage", local(date(2026, 6, 10)), unit="remote", channel="letter", state="classified")
    dissolve_unit(session, None, "XA-XA", MERGED, "XA-MOI", NOW)
    assert petition.unit_id == letter.unit_id == org["new"].id  # moved
    return {**org, "petition": petition, "letter": letter}


def _report(session, unit, quarter):
    return periodic.build(session, unit_id=unit.id, visible=None, now=NOW,
                          period=periods.bounds("quarter", 2026, quarter, "calendar"))


def _section(report, key):
    return {r.label: r.values for r in next(s for s in report.sections if s.key == key).rows}


def test_the_merger_records_each_move(session, merged):
    moves = session.execute(select(CaseUnitMove.case_id, CaseUnitMove.from_unit_id, CaseUnitMove.to_unit_id,
                                   CaseUnitMove.moved_on)).all()
    assert sorted(moves) == sorted((merged[k].id, merged["remote"].id, merged["new"].id, MERGED)
                                   for k in ("petition", "letter"))


def test_the_periodic_report_counts_what_the_dissolved_unit_received_before_the_merger_under_it(session, merged):
    before = _report(session, merged["remote"], 2)
    assert _section(before, "tiep-nhan")["Tổng cộng"]["total"] == 1
    assert _section(before, "dung-han")["Tổng cộng"]["open"] == 1  # open at the end of June, in Xã Xa
    # the successor did not exist then, and received nothing
    assert _section(_report(session, merged["new"], 2), "tiep-nhan")["Tổng cộng"]["total"] == 0
    assert _section(_report(session, merged["new"], 2), "dung-han")["Tổng cộng"]["open"] == 0
    # from the merger on the open case is the successor's
    assert _section(_report(session, merged["new"], 3), "dung-han")["Tổng cộng"]["open"] == 1
    assert _section(_report(session, merged["remote"], 3), "dung-han")["Tổng cộng"]["open"] == 0


def test_the_letters_of_a_quarter_before_the_merger_are_the_dissolved_units(session, merged):
    q2 = _section(_report(session, merged["province"], 2), "don")
    assert set(q2) == {"Xã Xa", "Tổng cộng"}
    assert (q2["Xã Xa"]["received"], q2["Xã Xa"]["waiting"]) == (1, 1)
    q3 = _section(_report(session, merged["province"], 3), "don")  # carried over into the successor's quarter
    assert set(q3) == {"Xã Mới", "Tổng cộng"} and q3["Xã Mới"]["carried"] == 1


def test_a_drill_down_of_a_period_before_the_merger_lists_the_moved_case_under_the_dissolved_unit(session, merged):
    report = _report(session, merged["remote"], 2)
    links = next(r for r in next(s for s in report.sections if s.key == "tiep-nhan").rows
                 if r.label != "Tổng cộng").links["total"]
    assert _listed(session, links) == [merged["petition"].id]
    assert _listed(session, {**links, "don_vi": str(merged["new"].id)}) == []
    # without a date the list is of the unit the case is in now
    assert _listed(session, {"don_vi": str(merged["new"].id), "kind": "petition"}) == [merged["petition"].id]


def _listed(session, args: dict) -> list[int]:
    filters, errors = list_filters.parse(args)
    assert errors == []
    query = select(Case.id).where(Case.kind == args["kind"]) if "kind" in args else select(Case.id)
    return list(session.scalars(filters.apply(session, query, NOW).order_by(Case.id)))


def _year(now=NOW):
    return scorecard_facts.Year(2026, now)


def test_the_scorecard_counts_a_time_limit_met_before_the_merger_for_the_dissolved_unit(session, merged):
    ctx, remote, new = fx.context(), merged["remote"], merged["new"]
    met = scorecard_facts.on_time_rate(session, remote.id, {remote.id}, _year(), ctx)
    assert met.counts[0][1] == 1 and met.value == 100.0
    assert scorecard_facts.on_time_rate(session, new.id, {new.id}, _year(), ctx).counts[0][1] == 0
    # its list agrees with the count of its cases
    assert dict(met.counts)["Hồ sơ đúng hạn"] == 1
    assert _listed(session, met.count_filters["Hồ sơ đúng hạn"]) == [merged["petition"].id]
    assert _listed(session, {**met.count_filters["Hồ sơ đúng hạn"], "don_vi": str(new.id)}) == []


def test_the_scorecard_counts_a_mass_case_received_before_the_merger_for_the_dissolved_unit(session, merged):
    ctx, remote, new = fx.context(), merged["remote"], merged["new"]
    mass = scorecard_facts.mass_cases(session, remote.id, {remote.id}, _year(), ctx)
    assert mass.value == 1.0 and _listed(session, mass.case_filters) == [merged["petition"].id]
    moved = scorecard_facts.mass_cases(session, new.id, {new.id}, _year(), ctx)
    assert moved.value == 0.0 and _listed(session, moved.case_filters) == []
    # the province's subtree counts it once
    both = {merged["province"].id, remote.id, new.id}
    assert scorecard_facts.mass_cases(session, merged["province"].id, both, _year(), ctx).value == 1.0


def test_the_reception_book_of_a_month_before_the_merger_keeps_the_citizen_in_the_dissolved_units_book(
        session, merged):
    reader = merged["users"]["supervisor"]
    april = date(2026, 4, 1)
    assert [c.id for c in book.month_walk_ins(session, reader, merged["remote"].id, april)] == [merged["petition"].id]
    assert book.month_walk_ins(session, reader, merged["new"].id, april) == []
    assert book.month_page(session, reader, merged["remote"].id, april, 1).walk_ins == [merged["petition"]]


def test_the_dashboard_counts_what_the_dissolved_unit_received_and_met_before_the_merger_under_it(session, merged):
    from dvflow.services.reports import dashboard

    remote, new = {merged["remote"].id}, {merged["new"].id}
    april = lambda units: next(m for m in dashboard.monthly_flow(session, units, date(2026, 11, 25))  # noqa: E731
                               if m.start == date(2026, 4, 1)).received
    assert (april(remote), april(new), april(None)) == (1, 0, 1)
    met = lambda units: dashboard.on_time(session, units, date(2026, 5, 1), date(2026, 6, 1), NOW, 0).met  # noqa
    assert (met(remote), met(new), met(None)) == (1, 0, 1)


def test_mergers_chain_each_fact_counts_under_the_unit_of_its_day(session, workflows, merged):
    """Xã Mới is merged in turn into Xã Hợp on 01/10/2026: the petition Xã Xa received (April) stays Xã Xa's, the
    time limit Xã Mới met in August is Xã Mới's, and the case open at the end of the year is Xã Hợp's."""
    later = accounts.create_unit(session, "XA-HOP", "Xã Hợp", parent_code="TINH", level="commune",
                                 active_from=date(2026, 10, 1))
    petition = merged["petition"]
    World(session, workflows, merged).clock(petition, due=date(2026, 8, 30), state="met",
                                            closed=local(date(2026, 8, 12)))
    dissolve_unit(session, None, "XA-MOI", date(2026, 10, 1), "XA-HOP", NOW)
    assert petition.unit_id == later.id
    ctx, year = fx.context(), _year()
    met = {k: scorecard_facts.on_time_rate(session, u.id, {u.id}, year, ctx).counts[0][1]
           for k, u in (("xa", merged["remote"]), ("moi", merged["new"]), ("hop", later))}
    assert met == {"xa": 1, "moi": 1, "hop": 0}
    assert _section(_report(session, merged["remote"], 2), "tiep-nhan")["Tổng cộng"]["total"] == 1
    assert _section(_report(session, merged["new"], 3), "dung-han")["Tổng cộng"]["open"] == 1
    assert _section(_report(session, later, 4), "dung-han")["Tổng cộng"]["open"] == 1
    assert _section(_report(session, merged["new"], 4), "dung-han")["Tổng cộng"]["open"] == 0
    from dvflow.services.cases import unit_on

    moves = unit_on.moves_of(session, [petition.id])[petition.id]
    days = (date(2026, 4, 10), date(2026, 7, 1), date(2026, 9, 30), date(2026, 10, 1))
    assert [unit_on.place(petition.unit_id, moves, d) for d in days] == [
        merged["remote"].id, merged["new"].id, merged["new"].id, later.id]


def test_a_moved_case_escalated_afterwards_still_counts_before_the_merger_under_the_dissolved_unit(session, merged):
    """An escalation is not dated (it moves the case to the unit above for every period, as before), but what the
    dissolved unit received before the merger stays its own wherever the case went since."""
    petition = merged["petition"]
    assert _section(_report(session, merged["remote"], 2), "tiep-nhan")["Tổng cộng"]["total"] == 1  # read once
    petition.unit_id = merged["province"].id  # escalated by the sweep after the merger
    session.flush()
    assert _section(_report(session, merged["remote"], 2), "tiep-nhan")["Tổng cộng"]["total"] == 1
    assert _section(_report(session, merged["new"], 2), "tiep-nhan")["Tổng cộng"]["total"] == 0
    # after the merger it counts where it is now, the province (not the successor it passed through)
    assert _section(_report(session, merged["new"], 3), "dung-han")["Tổng cộng"]["open"] == 0
    province = _report(session, merged["province"], 2)
    assert _section(province, "tiep-nhan")["Tổng cộng"]["total"] == 1
    assert _listed(session, {"don_vi": str(merged["remote"].id), "nhan_tu": "2026-04-01", "nhan_den": "2026-06-30",
                             "kind": "petition"}) == [petition.id]
