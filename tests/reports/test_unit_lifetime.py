"""The yearly scorecard and the periodic report list a unit dissolved in the 2025 mergers only for the periods it
existed, with its figures there; a unit made by them is no peer of the years before it."""
from __future__ import annotations

from datetime import date

import pytest
from factories import NOW

from dvflow.services.errors import ServiceError
from dvflow.services.org import accounts
from dvflow.services.org.units import dissolve_unit
from dvflow.services.reports import periodic, periods, scorecard

from . import scorecard_fixtures as fx
from .fixtures import World, local


def _board(session, year):
    return scorecard.board(session, criteria=fx.criteria(), level="department", year=year, visible=None, now=NOW,
                           ctx=fx.context())


def test_the_scorecard_ranks_a_unit_only_among_the_peers_of_the_years_it_existed(session, org):
    accounts.create_unit(session, "SO-MOI", "Sở mới", parent_code="TINH", active_from=date(2026, 3, 1))
    dissolve_unit(session, None, "STNMT", date(2025, 7, 1), "SYT", NOW)
    assert {r.unit.code for r in _board(session, 2025).rows} == {"STNMT", "SYT"}
    board = _board(session, 2026)
    assert {r.unit.code for r in board.rows} == {"SO-MOI", "SYT"} and board.peers == 2
    with pytest.raises(ServiceError) as refused:
        scorecard.unit_board(session, criteria=fx.criteria(), unit_id=org["dept"].id, year=2026, visible=None,
                             now=NOW, ctx=fx.context())
    assert refused.value.field == "nam" and "không hoạt động trong năm 2026" in refused.value.message
    _full, row = scorecard.unit_board(session, criteria=fx.criteria(), unit_id=org["dept"].id, year=2025,
                                      visible=None, now=NOW, ctx=fx.context())
    assert row.unit.code == "STNMT"


def _satisfaction(session, org, quarter):
    report = periodic.build(session, unit_id=org["province"].id, visible=None, now=NOW,
                            period=periods.bounds("quarter", 2026, quarter, "calendar"))
    section = next(s for s in report.sections if s.key == "hai-long")
    return {r.label: (r.values["count"], r.values["average"], bool(r.links)) for r in section.rows}


def test_the_periodic_report_lists_a_dissolved_unit_only_for_the_periods_it_existed(session, workflows, org):
    """Xã Xa, merged into Xã Mới from 01/07/2026: its case rated in Q2 stays its own; the one rated in Q4 (closed
    before the merger) is counted in the row of Xã Mới, which carries on its work; the totals never change."""
    new = accounts.create_unit(session, "XA-MOI", "Xã Mới", parent_code="TINH", level="commune",
                               active_from=date(2026, 7, 1))
    w = World(session, workflows, org)
    rated_then = w.case("petition", local(date(2026, 4, 2)), unit="remote", closed=local(date(2026, 4, 20)))
    rated_later = w.case("petition", local(date(2026, 5, 4)), unit="remote", closed=local(date(2026, 6, 20)))
    w.rating(rated_then, 4, local(date(2026, 5, 2)))
    w.rating(rated_later, 2, local(date(2026, 10, 5)))
    dissolve_unit(session, None, "XA-XA", date(2026, 7, 1), "XA-MOI", NOW)
    assert _satisfaction(session, org, 2) == {"Xã Xa": (1, 4.0, False), "Tổng cộng": (1, 4.0, False)}
    assert _satisfaction(session, org, 4) == {"Xã Mới": (1, 2.0, False), "Tổng cộng": (1, 2.0, False)}
    assert new.id != org["remote"].id
    # the report of the dissolved unit alone has no successor in its scope: its row stays
    alone = periodic.build(session, unit_id=org["remote"].id, visible=None, now=NOW,
                           period=periods.bounds("quarter", 2026, 4, "calendar"))
    assert [r.label for r in next(s for s in alone.sections if s.key == "hai-long").rows] == ["Xã Xa", "Tổng cộng"]


def test_a_merged_letters_row_has_no_drill_down(session, workflows, org):
    accounts.create_unit(session, "XA-MOI", "Xã Mới", parent_code="TINH", level="commune",
                         active_from=date(2026, 7, 1))
    w = World(session, workflows, org)
    w.case("triage", local(date(2026, 6, 10)), unit="remote", channel="letter", state="archived",
           closed=local(date(2026, 8, 3)))  # received and archived by Xã Xa; the dissolution entered later
    dissolve_unit(session, None, "XA-XA", date(2026, 7, 1), "XA-MOI", NOW)
    report = periodic.build(session, unit_id=org["province"].id, visible=None, now=NOW,
                            period=periods.bounds("quarter", 2026, 3, "calendar"))
    rows = {r.label: r for r in next(s for s in report.sections if s.key == "don").rows}
    assert set(rows) == {"Xã Mới", "Tổng cộng"} and rows["Xã Mới"].values["archived"] == 1
    assert rows["Xã Mới"].links == {} and rows["Tổng cộng"].values["carried"] == 1
