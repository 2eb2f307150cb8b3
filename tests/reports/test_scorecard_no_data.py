""""No data" means "nothing was asked of the unit" (không phát sinh), not "nothing was recorded": a unit that never
registered the official who must receive citizens, or whose cases ended without a single rating, scores zero on that
criterion, with the reason (the shortfall) beside it."""
from __future__ import annotations

from datetime import date, time

from factories import NOW

from config import ROOT
from dvflow.engine import scorecard as engine
from dvflow.models import ReceptionOfficial, ReceptionSession
from dvflow.services.org import accounts
from dvflow.services.reports import scorecard
from dvflow.services.reports import scorecard_facts as facts

from . import scorecard_fixtures as fx
from .fixtures import World, local


def _line(board, unit, key: str):
    row = next(r for r in board.rows if r.unit.id == unit.id)
    return next(line for line in row.lines if line.criterion.key == key)


def _board(session, year: int, level: str = "department"):
    criteria = engine.load(ROOT / "workflows").for_year(year)
    return scorecard.board(session, criteria=criteria, level=level, year=year, visible=None, now=NOW,
                           ctx=fx.context())


def _official(session, unit, position="agency_head", start=date(2025, 1, 1), end=None) -> ReceptionOfficial:
    row = ReceptionOfficial(unit_id=unit.id, full_name="Nguyễn Văn Trưởng", title="Giám đốc Sở", position=position,
                            active_from=start, active_to=end, created_at=NOW)
    session.add(row)
    session.flush()
    return row


def test_a_department_that_never_registered_its_head_scores_no_reception_points(session, org):
    """Every head of a state administrative agency must receive citizens at least one day a month (LTCD 2013
    Art 18(2)); a department without any official on /tiep-nhan/nguoi-tiep owes the same days."""
    official = _official(session, org["dept"])
    for month in range(1, 12):  # January to November held, December missed
        day = date(2025, month, 10)
        while day.weekday() >= 5:
            day = day.replace(day=day.day + 1)
        session.add(ReceptionSession(unit_id=org["dept"].id, kind="periodic", mode="in_person",
                                     official_id=official.id, day=day, start_time=time(8), end_time=time(11),
                                     place="Trụ sở", status="held", created_at=NOW))
    session.flush()
    board = _board(session, 2025)
    kept, ignored = _line(board, org["dept"], "reception_days_ratio"), _line(board, org["other"],
                                                                               "reception_days_ratio")
    assert (kept.value, kept.points, kept.fact.shortfall) == (round(100 * 11 / 12, 2), 13.75, None)
    # Sở Y tế registered nobody and held nothing: no points, and the page says why
    assert (ignored.value, ignored.points) == (None, 0)
    assert ignored.fact.shortfall == "Chưa khai báo người có trách nhiệm tiếp công dân"


def test_a_commune_without_its_chair_registered_scores_no_reception_points(session, org):
    board = _board(session, 2026, "commune")  # Xã Xa: no official (LTCD 2013 Art 15(2)(d))
    line = _line(board, org["remote"], "reception_days_ratio")
    assert (line.value, line.points, line.fact.shortfall) == (None, 0, facts.NO_RECEPTION_OFFICIAL)


def test_a_registered_head_with_nothing_yet_owed_is_not_a_shortfall(session, org):
    # in office from 20/11/2026 only: no month over yet, so nothing owed (no data: full points)
    _official(session, org["other"], start=date(2026, 11, 20))
    line = _line(_board(session, 2026), org["other"], "reception_days_ratio")
    assert (line.value, line.points, line.fact.shortfall) == (None, 15, None)


def test_a_position_that_owes_nothing_in_the_year_does_not_count(session, org):
    # a district chair of 2025: district level ended 30/06/2025, so in 2026 the position owes no day
    _official(session, org["other"], position="district_chair", start=date(2025, 1, 1), end=date(2026, 3, 1))
    line = _line(_board(session, 2026), org["other"], "reception_days_ratio")
    assert (line.points, line.fact.shortfall) == (0, facts.NO_RECEPTION_OFFICIAL)


def test_a_sub_units_head_does_not_stand_for_the_units_own(session, org):
    branch = accounts.create_unit(session, "CCTS", "Chi cục Thủy sản", parent_code="STNMT")
    _official(session, branch, position="agency_head")
    line = _line(_board(session, 2026), org["dept"], "reception_days_ratio")
    assert (line.points, line.fact.shortfall) == (0, facts.NO_RECEPTION_OFFICIAL)
    _official(session, org["dept"])  # registered, and held none of the 10 months' days owed (0 %)
    line = _line(_board(session, 2026), org["dept"], "reception_days_ratio")
    assert (line.value, line.fact.shortfall, [n for _l, n in line.fact.counts]) == (0, None, [0, 20])


def test_a_unit_with_no_case_closed_is_not_scored_as_if_its_citizens_were_dissatisfied(session, org):
    """No citizen case ended in the year (không phát sinh): there was nothing to rate; the satisfaction criterion
    then scores like the other criteria of which nothing was asked, not zero."""
    line = _line(_board(session, 2026), org["other"], "satisfaction_average")
    assert (line.value, line.points, line.fact.shortfall) == (None, 10, None)


def test_cases_closed_and_none_rated_score_no_satisfaction_points(session, workflows, org):
    w = World(session, workflows, org)
    w.case("petition", local(date(2026, 2, 2)), unit="other", closed=local(date(2026, 3, 2)))
    # a letter's hand-off closes the letter, not a matter (matters.py): it asks no rating
    w.case("triage", local(date(2026, 2, 2)), unit="dept", closed=local(date(2026, 2, 3)))
    board = _board(session, 2026)
    line = _line(board, org["other"], "satisfaction_average")
    assert (line.value, line.points) == (None, 0)
    assert line.fact.shortfall == "Có hồ sơ kết thúc trong năm nhưng không có lượt đánh giá nào"
    assert _line(board, org["dept"], "satisfaction_average").points == 10


def test_an_anonymous_tip_closed_unrated_is_no_satisfaction_shortfall(session, workflows, org):
    """An anonymous tip (LTC 2018 Art 25: information with no name) has no citizen who holds its receipt, so nobody
    rates it: a unit whose only matters closed in the year are anonymous tips is not short of ratings."""
    w = World(session, workflows, org)
    w.case("anonymous_tip", local(date(2026, 2, 2)), unit="other", closed=local(date(2026, 3, 2)))
    line = _line(_board(session, 2026), org["other"], "satisfaction_average")
    assert (line.points, line.fact.shortfall) == (10, None)
    w.case("denunciation", local(date(2026, 2, 2)), unit="other", closed=local(date(2026, 3, 2)))
    line = _line(_board(session, 2026), org["other"], "satisfaction_average")
    assert (line.points, line.fact.shortfall) == (0, "Có hồ sơ kết thúc trong năm nhưng không có lượt đánh giá nào")


def test_a_rating_scores_as_before(session, workflows, org):
    w = World(session, workflows, org)
    case = w.case("petition", local(date(2026, 2, 2)), unit="other", closed=local(date(2026, 3, 2)))
    w.rating(case, 4, local(date(2026, 3, 3)))
    line = _line(_board(session, 2026), org["other"], "satisfaction_average")
    assert (line.value, line.points, line.fact.shortfall) == (4, 8, None)
