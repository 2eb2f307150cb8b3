"""The scorecard: criteria loaded strictly from YAML, points and ranks with ties (1, 2, 2, 4) from the test YAML's
weights over the hand-scored world of scorecard_fixtures, manual criteria counting only once verified, the XLSX."""
from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from factories import NOW
from openpyxl import load_workbook

from config import ROOT
from dvflow.engine import scorecard as engine
from dvflow.services.errors import Conflict, Forbidden, NotFound, ServiceError
from dvflow.services.reports import scorecard, scorecard_entries, scorecard_export

from . import scorecard_fixtures as fx
from .scorecard_fixtures import shown


@pytest.fixture
def entries(session, workflows, org):
    return fx.build(session, workflows, org)


def board(session, visible=None, year=2026):
    return scorecard.board(session, criteria=fx.criteria(), level="department", year=year, visible=visible,
                           now=NOW, ctx=fx.context())


def ranks(b):
    return [(r.unit.name, r.total, r.rank) for r in b.rows]


# --- the file -----------------------------------------------------------------------------------------------------

def test_shipped_file_loads_cites_its_basis_and_weights_add_to_100():
    card = engine.load(ROOT / "workflows")
    current = card.for_year(2026)
    assert current is not None and "dân vận chính quyền" in current.basis and current.review
    assert sum(c.weight for c in current.criteria) == 100
    assert {c.formula for c in current.criteria if c.source == "computed"} == set(engine.FORMULAS)
    assert "dan_van_kheo_models" in {c.key for c in current.manual}
    assert card.for_year(2024) is None


@pytest.mark.parametrize("change, message", [
    (("weight: 60", "weight: 50"), "weights add up to 90"),
    (("weight: 60", 'weight: "60"'), "criteria.0.weight"),
    (("source: computed", "source: computed, colour: red"), "colour"),
    (("formula: mass_cases", "formula: guesswork"), "formula"),
    (("target: 0, zero_at: 2", "target: 2, zero_at: 2"), "target and zero_at must differ"),
    (("effective_to: null", "effective_to: 2025-01-01"), "effective_to is before effective_from"),
])
def test_bad_files_fail_loudly_naming_the_problem(change, message):
    with pytest.raises(engine.ScorecardError) as err:
        engine.parse(fx.TEST_YAML.replace(*change), "test.yaml")
    assert "test.yaml" in str(err.value) and message in str(err.value)


def test_overlapping_sets_are_refused():
    two = fx.TEST_YAML + fx.TEST_YAML.split("sets:\n", 1)[1].replace("2026-01-01", "2026-06-01")
    with pytest.raises(engine.ScorecardError, match="sets overlap"):
        engine.parse(two)


def test_points_scale_linearly_and_cap_both_ways():
    c = fx.criteria()
    mass, dvk = c.criterion("mass_cases"), c.criterion("dvk")
    assert [mass.points(v) for v in (0, 1, 2, 7, None)] == [60, 30, 0, 0, 60]
    assert [dvk.points(v) for v in (0, 1, 2, 5, None)] == [0, 20, 40, 40, 0]


def test_rank_ties_share_and_the_next_skips():
    out = engine.rank(fx.criteria(), {1: {"mass_cases": 1, "dvk": 2}, 2: {"mass_cases": 0, "dvk": 2},
                                      3: {"mass_cases": 1, "dvk": 2}, 4: {"mass_cases": 2, "dvk": None},
                                      5: {"mass_cases": 0, "dvk": 1}})
    assert [(s.unit_id, s.total, s.rank) for s in out] == [(2, 100, 1), (5, 80, 2), (1, 70, 3), (3, 70, 3),
                                                            (4, 0, 5)]


# --- the board over the world -------------------------------------------------------------------------------------

def test_board_scores_and_ranks_the_peers_with_ties(session, org, entries):
    b = board(session)
    assert b.peers == 4 and b.max_total == 100
    assert ranks(b) == [("Sở NN&MT", 70, 1), ("Sở Xây dựng", 70, 1), ("Sở Y tế", 60, 3), ("Sở Công Thương", 0, 4)]


def test_manual_value_counts_once_verified_and_not_when_rejected(session, org, entries):
    supervisor = org["users"]["supervisor"]
    scorecard_entries.review(session, supervisor, entry_id=entries["other"].id,
                             submission=shown(session, entries["other"]), decision="verified", note="", now=NOW)
    assert ranks(board(session)) == [("Sở Y tế", 100, 1), ("Sở NN&MT", 70, 2), ("Sở Xây dựng", 70, 2),
                                     ("Sở Công Thương", 0, 4)]
    with pytest.raises(Conflict):  # verified: reviewed again only once the unit submits anew
        scorecard_entries.review(session, supervisor, entry_id=entries["dept"].id,
                                 submission=shown(session, entries["dept"]), decision="rejected",
                                 note="Chỉ có một mô hình có minh chứng", now=NOW)
    scorecard_entries.fill(session, org["users"]["head"], criteria=fx.criteria(), unit_id=org["dept"].id, year=2026,
                           key="dvk", raw_value="2", note="Gửi lại", files=[], now=NOW)
    assert ranks(board(session))[1:3] == [("Sở Xây dựng", 70, 2), ("Sở NN&MT", 30, 3)]  # waiting again: not counted
    scorecard_entries.review(session, supervisor, entry_id=entries["dept"].id,
                             submission=shown(session, entries["dept"]), decision="rejected",
                             note="Chỉ có một mô hình có minh chứng", now=NOW)
    after = {name: (total, rank) for name, total, rank in ranks(board(session))}
    assert after["Sở NN&MT"] == (30, 3) and after["Sở Xây dựng"] == (70, 2)


def test_the_lines_say_what_was_counted(session, org, entries):
    row = next(r for r in board(session).rows if r.unit.id == org["dept"].id)
    mass, dvk = row.lines
    assert (mass.value, mass.points) == (1, 30)
    assert mass.fact.case_filters == {"don_vi": str(org["dept"].id), "pham_vi": "vu_viec", "dong_nguoi": "1",
                                      "nhan_tu": "2026-01-01", "nhan_den": "2026-12-31"}
    assert (dvk.value, dvk.points, dvk.entry.status) == (2, 40, "verified")


def test_a_unit_counts_its_subtree(session, org, entries):
    b = scorecard.board(session, criteria=fx.criteria(), level="province", year=2026, visible=None, now=NOW,
                        ctx=fx.context())
    (row,) = b.rows
    assert row.lines[0].value == 4  # dept 1, d3 1, d4 2; the voided one and the one of 2025 left out


def test_heads_see_their_subtree_ranked_among_all_peers(session, org, entries):
    visible = scorecard.viewable_units(session, org["users"]["head"])
    assert ranks(board(session, visible=visible)) == [("Sở NN&MT", 70, 1)]
    assert scorecard.viewable_units(session, org["users"]["supervisor"]) is None
    with pytest.raises(Forbidden):
        scorecard.viewable_units(session, org["users"]["handler"])


# --- filling and verifying ----------------------------------------------------------------------------------------

def upload(name="bien-ban.pdf", content=b"%PDF-1.4 minh chung"):
    return scorecard_entries.Upload(name, "application/pdf", content)


def test_fill_needs_evidence_and_resets_verification(session, org, entries):
    handler, crit = org["users"]["handler"], fx.criteria()
    with pytest.raises(ServiceError) as err:
        scorecard_entries.fill(session, org["users"]["other_head"], criteria=crit, unit_id=org["d4"].id,
                               year=2026, key="dvk", raw_value="1", note="", files=[], now=NOW)
    assert isinstance(err.value, Forbidden)
    e = scorecard_entries.fill(session, handler, criteria=crit, unit_id=org["dept"].id, year=2026, key="dvk",
                               raw_value="1", note="Một mô hình", files=[upload()], now=NOW)
    assert e.id == entries["dept"].id and (e.value, e.status) == (1, "submitted")
    assert [f.filename for f in e.files] == ["bien-ban.pdf"] and e.files[0].size == 19
    assert next(r for r in board(session).rows if r.unit.id == org["dept"].id).total == 30


@pytest.mark.parametrize("kwargs, field", [
    ({"raw_value": "hai"}, "gia_tri"),
    ({"raw_value": "-1"}, "gia_tri"),
    ({"raw_value": "nan"}, "gia_tri"),
    ({"key": "mass_cases"}, "tieu_chi"),
    ({"key": "khong_co"}, "tieu_chi"),
    ({"files": []}, "minh_chung"),
    ({"files": [upload(content=b"")]}, "minh_chung"),
    ({"unit_id": 999999}, "don_vi"),
])
def test_fill_bad_input_names_the_field(session, org, kwargs, field):
    args = {"criteria": fx.criteria(), "unit_id": org["dept"].id, "year": 2026, "key": "dvk", "raw_value": "2",
            "note": "", "files": [upload()], "now": NOW, **kwargs}
    with pytest.raises(ServiceError) as err:
        scorecard_entries.fill(session, org["users"]["head"], **args)
    assert err.value.field == field


def test_only_supervisors_verify_and_a_rejection_says_why(session, org, entries):
    with pytest.raises(Forbidden):
        scorecard_entries.review(session, org["users"]["head"], entry_id=entries["other"].id,
                                 submission=shown(session, entries["other"]), decision="verified", note="", now=NOW)
    with pytest.raises(ServiceError) as err:
        scorecard_entries.review(session, org["users"]["supervisor"], entry_id=entries["other"].id,
                                 submission=shown(session, entries["other"]), decision="rejected", note=" ", now=NOW)
    assert err.value.field == "ghi_chu"


def test_year_and_level_are_checked():
    with pytest.raises(ServiceError) as err:
        scorecard.check_year(2030, 2026)
    assert err.value.field == "nam"
    with pytest.raises(ServiceError) as err:
        scorecard.check_level("village")
    assert err.value.field == "cap"
    with pytest.raises(ServiceError) as err:
        scorecard.criteria_for(engine.parse(fx.TEST_YAML), 2025)
    assert err.value.field == "nam"


# --- the register of "Dân vận khéo" models ------------------------------------------------------------------------

def test_register_and_list_models(session, org):
    m = scorecard_entries.register_model(session, org["users"]["handler"], unit_id=org["dept"].id, year=2026,
                                         name="Dân vận khéo trong giải phóng mặt bằng", field="Đất đai",
                                         started_on="2026-02-01", results="Bàn giao mặt bằng đúng hạn",
                                         files=[upload()], now=NOW)
    assert (m.started_on, len(m.files)) == (date(2026, 2, 1), 1)
    assert [x.id for x in scorecard_entries.list_models(session, org["users"]["supervisor"])] == [m.id]
    assert scorecard_entries.list_models(session, org["users"]["other_head"]) == []
    with pytest.raises(NotFound):  # another unit's file answers as a missing one
        scorecard_entries.evidence_for(session, org["users"]["other_head"], m.files[0].id)


@pytest.mark.parametrize("kwargs, field", [
    ({"name": " "}, "ten"), ({"field": ""}, "linh_vuc"), ({"started_on": "01/02/2026"}, "bat_dau"),
    ({"started_on": "2027-01-01"}, "bat_dau"), ({"year": None}, "nam"), ({"unit_id": None}, "don_vi"),
])
def test_register_bad_input_names_the_field(session, org, kwargs, field):
    args = {"unit_id": org["dept"].id, "year": 2026, "name": "Mô hình", "field": "Đất đai",
            "started_on": "2026-02-01", "results": "", "files": [], "now": NOW, **kwargs}
    with pytest.raises(ServiceError) as err:
        scorecard_entries.register_model(session, org["users"]["handler"], **args)
    assert err.value.field == field


# --- XLSX ---------------------------------------------------------------------------------------------------------

def test_xlsx_has_headings_points_and_totals(session, org, entries):
    data = scorecard_export.workbook(board(session), title="Bảng chấm điểm công tác dân vận năm 2026",
                                     scope="Tất cả các đơn vị")
    ws = load_workbook(BytesIO(data)).active
    cells = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    flat = [v for row in cells for v in row if v is not None]
    assert "Bảng chấm điểm công tác dân vận năm 2026" in flat
    assert "Tổng điểm" in flat and "Xếp hạng" in flat and "Vụ việc đông người" in flat
    data_rows = [r for r in cells if r and r[1] in ("Sở NN&MT", "Sở Xây dựng", "Sở Y tế", "Sở Công Thương")]
    header = next(r for r in cells if r and "Tổng điểm" in r)
    total_col, rank_col = header.index("Tổng điểm"), header.index("Xếp hạng")
    assert [(r[1], r[total_col], r[rank_col]) for r in data_rows] == [
        ("Sở NN&MT", 70, 1), ("Sở Xây dựng", 70, 1), ("Sở Y tế", 60, 3), ("Sở Công Thương", 0, 4)]
    weights = next(r for r in cells if r and r[1] == "Trọng số")
    assert weights[total_col] == 100


# --- computed facts -----------------------------------------------------------------------------------------------

def test_on_time_overdue_and_satisfaction_facts(session, workflows, org):
    from dvflow.services.reports import scorecard_facts as facts

    from .fixtures import World, local

    w, units = World(session, workflows, org), {org["dept"].id}
    met = w.case("petition", local(date(2026, 2, 2)), closed=local(date(2026, 3, 2)))
    w.clock(met, due=date(2026, 3, 10), state="met", closed=local(date(2026, 3, 2)))
    late = w.case("petition", local(date(2026, 2, 2)), closed=local(date(2026, 4, 2)))
    w.clock(late, due=date(2026, 3, 10), state="missed", closed=local(date(2026, 4, 2)))
    running = w.case("petition", local(date(2026, 9, 1)))
    w.clock(running, due=date(2026, 10, 15))
    later = w.case("petition", local(date(2026, 11, 1)))
    w.clock(later, due=date(2026, 12, 20))  # not yet due at NOW (25/11/2026)
    old = w.case("petition", local(date(2025, 2, 2)), closed=local(date(2025, 3, 2)))
    w.clock(old, due=date(2025, 3, 10), state="met", closed=local(date(2025, 3, 2)))
    w.rating(met, 5, local(date(2026, 3, 5)))
    w.rating(late, 2, local(date(2026, 4, 5)))
    w.rating(old, 1, local(date(2025, 3, 5)))
    y, ctx = facts.Year(2026, NOW), fx.context()
    on_time = facts.on_time_rate(session, org["dept"].id, units, y, ctx)
    assert on_time.value == 33.33 and [n for _label, n in on_time.counts] == [1, 1, 1, 1, 1, 1]
    assert facts.overdue_at_year_end(session, org["dept"].id, units, y, ctx).value == 1
    assert facts.satisfaction_average(session, org["dept"].id, units, y, ctx).value == 3.5
    assert facts.on_time_rate(session, org["dept"].id, units, facts.Year(2025, NOW), ctx).value == 100
    assert facts.satisfaction_average(session, org["other"].id, {org["other"].id}, y, ctx).value is None


def test_commitments_on_time_count_only_follow_up_tasks_of_commitments(session, workflows, org):
    from dvflow.models import Commitment
    from dvflow.services.reports import scorecard_facts as facts

    from .fixtures import World, local

    w, units = World(session, workflows, org), {org["dept"].id}
    done = w.case("follow_up", local(date(2026, 5, 4)), closed=local(date(2026, 5, 20)))
    w.clock(done, due=date(2026, 6, 1), state="met", closed=local(date(2026, 5, 20)))
    late = w.case("follow_up", local(date(2026, 5, 4)))
    w.clock(late, due=date(2026, 6, 1))  # still running at NOW, past its end
    loose = w.case("follow_up", local(date(2026, 5, 4)))  # a follow-up task that is no commitment's
    w.clock(loose, due=date(2026, 6, 1), state="missed", closed=local(date(2026, 7, 1)))
    citizen = w.case("petition", local(date(2026, 5, 4)), closed=local(date(2026, 5, 20)))
    w.clock(citizen, due=date(2026, 6, 1), state="missed", closed=local(date(2026, 7, 1)))
    for case in (done, late):
        session.add(Commitment(case_id=case.id, source="dialogue", created_at=NOW))
    session.flush()
    fact = facts.commitments_on_time_rate(session, org["dept"].id, units, facts.Year(2026, NOW), fx.context())
    assert fact.value == 50 and [n for _label, n in fact.counts] == [1, 0, 1]
    on_time = facts.on_time_rate(session, org["dept"].id, units, facts.Year(2026, NOW), fx.context())
    assert [n for _label, n in on_time.counts] == [0, 1, 0, 0, 1, 0]  # follow-up tasks are not citizens' matters


def test_reception_days_held_against_due(session, workflows, org):
    from datetime import time

    from dvflow.models import ReceptionOfficial, ReceptionSession
    from dvflow.services.reports import scorecard_facts as facts

    official = ReceptionOfficial(unit_id=org["dept"].id, full_name="Nguyễn Văn Trưởng", title="Giám đốc Sở",
                                 position="agency_head", active_from=date(2026, 1, 1), active_to=date(2026, 3, 31),
                                 created_at=NOW)
    session.add(official)
    session.flush()
    for day, delegate in ((date(2026, 1, 15), None), (date(2026, 2, 10), "Phó Giám đốc Lê Văn Phó")):
        session.add(ReceptionSession(unit_id=org["dept"].id, kind="periodic", mode="in_person",
                                     official_id=official.id, day=day, start_time=time(8), end_time=time(11),
                                     place="Trụ sở Sở", status="held", delegate_name=delegate,
                                     delegation_reason="Đi công tác" if delegate else None, created_at=NOW))
    session.flush()
    # one day a month, January to March: January held, February delegated (the head receives in person: LTCD 2013
    # Art 18(2) "Trực tiếp thực hiện", so not counted), March missed
    fact = facts.reception_days_ratio(session, org["dept"].id, {org["dept"].id}, facts.Year(2026, NOW), fx.context())
    assert fact.value == 33.33 and [n for _label, n in fact.counts] == [1, 3]
    assert facts.reception_days_ratio(session, org["other"].id, {org["other"].id}, facts.Year(2026, NOW),
                                      fx.context()).value is None


def test_the_board_counts_each_criterion_once_whatever_the_number_of_peers(session, org, entries, connection):
    """Each computed criterion is one grouped query over every peer's subtree (summed per subtree in Python), not
    one query per peer: three more departments add no statement."""
    from sqlalchemy import event

    from dvflow.services.org import accounts

    def statements() -> int:
        seen = []
        listener = lambda *args: seen.append(1)  # noqa: E731
        event.listen(connection, "before_cursor_execute", listener)
        try:
            board(session)
        finally:
            event.remove(connection, "before_cursor_execute", listener)
        return len(seen)

    statements()  # the unit tree is read once and kept until it changes
    before = statements()
    for code in ("SA", "SB", "SC"):
        accounts.create_unit(session, code, f"Sở {code}", parent_code="TINH")
    session.flush()
    statements()
    assert statements() == before
    assert len(board(session).rows) == len(ranks(board(session))) >= 7
