"""The periodic report's figures equal the hand-counted fixture (tests/reports/fixtures.py), including the cases
just before and just after the cut-off days 14th/15th; the scope, the visibility and the period checks."""
from __future__ import annotations

from datetime import date

import pytest
from factories import NOW

from dvflow.services.errors import ServiceError
from dvflow.services.reports import periodic, periods

from .fixtures import World, build, local

Q3 = periods.bounds("quarter", 2026, 3, "cutoff")  # 15/06/2026 - 14/09/2026


@pytest.fixture
def world(session, workflows, org):
    return build(session, workflows, org)


def report(session, org, unit="dept", visible=None, period=Q3):
    return periodic.build(session, unit_id=org[unit].id, visible=visible, period=period, now=NOW)


def section(rep, key):
    return next(s for s in rep.sections if s.key == key)


def rows(sec):
    return {r.label: r.values for r in sec.rows}


def test_title_and_period_line(session, org, world):
    rep = report(session, org)
    assert rep.title == "Báo cáo quý 3 năm 2026"
    assert rep.period_line == "Số liệu tính từ ngày 15/06/2026 đến ngày 14/09/2026"
    assert rep.unit_name == "Sở NN&MT"
    assert [s.key for s in rep.sections][:5] == ["don", "tiep-nhan", "ket-qua", "dung-han", "hai-long"]
    assert any("theo dõi thực hiện kết luận" in n for n in rep.notes)


def test_letters(session, org, world):
    """l6 (received 14/06 late, still open) is carried over; l5 (forwarded 15/09, after the period) still waits."""
    r = rows(section(report(session, org), "don"))
    expected = {"carried": 1, "received": 6, "total": 7, "handled": 4, "complaint": 1, "denunciation": 0,
                "petition": 0, "other_kind": 0, "guided": 1, "forwarded": 0, "duplicate": 1, "archived": 1,
                "waiting": 3}
    assert r["Sở NN&MT"] == expected and r["Tổng cộng"] == expected


def test_a_letter_is_handled_in_the_period_it_was_handled_in(session, workflows, org):
    """Received 10/06 (Q2 on the cut-off, 15/03-14/06), guided 20/06 (Q3): Q2 receives it and carries it over, Q3
    handles it; each period's carried over + received = handled + waiting."""
    w = World(session, workflows, org)
    w.case("triage", local(date(2026, 6, 10)), channel="letter", state="guided", closed=local(date(2026, 6, 20)))
    w.case("triage", local(date(2026, 3, 1)), channel="letter")  # Q1, never handled: carried over into both
    w.case("triage", local(date(2026, 3, 2)), channel="letter", state="archived", closed=local(date(2026, 3, 5)))
    q2 = rows(section(report(session, org, period=periods.bounds("quarter", 2026, 2, "cutoff")), "don"))["Tổng cộng"]
    q3 = rows(section(report(session, org, period=Q3), "don"))["Tổng cộng"]
    assert (q2["carried"], q2["received"], q2["handled"], q2["guided"], q2["waiting"]) == (1, 1, 0, 0, 2)
    assert (q3["carried"], q3["received"], q3["handled"], q3["guided"], q3["waiting"]) == (2, 0, 1, 1, 1)
    for r in (q2, q3):
        assert r["carried"] + r["received"] == r["total"] == r["handled"] + r["waiting"]


def test_intake_by_kind_and_channel(session, org, world):
    r = rows(section(report(session, org), "tiep-nhan"))
    assert set(r) == {"complaint_first", "complaint_second", "denunciation", "petition", "Tổng cộng"}
    assert r["complaint_first"]["total"] == 1 and r["complaint_first"]["letter"] == 1  # c1 is before 15/06
    assert r["complaint_second"]["online"] == 1
    assert r["denunciation"] == {**r["denunciation"], "total": 1, "walk_in": 1, "mass": 1, "people": 12}  # not c10
    assert r["petition"]["phone"] == 1
    assert r["Tổng cộng"]["total"] == 4 and r["Tổng cộng"]["mass"] == 1 and r["Tổng cộng"]["people"] == 12


def test_results(session, org, world):
    r = rows(section(report(session, org), "ket-qua"))
    assert r["complaint_first"] == {"total": 2, "right": 1, "partly": 1, "wrong": 0, "answered": 0,
                                    "terminated": 0, "refused": 0, "other": 0}
    assert "complaint_second" not in r  # c3 ended on 15/09, after the period
    assert r["denunciation"]["wrong"] == 1 and r["petition"]["answered"] == 1
    assert r["Tổng cộng"]["total"] == 4


def test_timeliness(session, org, world):
    r = rows(section(report(session, org), "dung-han"))
    assert r["complaint_first"] == {"ended": 2, "on_time": 1, "late": 1, "open": 0, "overdue": 0}
    assert r["complaint_second"] == {"ended": 0, "on_time": 0, "late": 0, "open": 1, "overdue": 1}
    assert r["denunciation"] == {"ended": 1, "on_time": 1, "late": 0, "open": 0, "overdue": 0}
    # letters are no matters (matters.py): their handling is the letters section's, a hand-off resolves nothing
    assert "triage" not in r
    assert r["Tổng cộng"] == {"ended": 4, "on_time": 3, "late": 1, "open": 1, "overdue": 1}


def test_satisfaction(session, org, world):
    r = rows(section(report(session, org), "hai-long"))
    assert r["Sở NN&MT"]["count"] == 2 and r["Sở NN&MT"]["average"] == 4.5
    assert (r["Sở NN&MT"]["s4"], r["Sở NN&MT"]["s5"], r["Sở NN&MT"]["s2"]) == (1, 1, 0)


def test_subtree_and_visibility(session, org, world):
    province = report(session, org, "province")
    r = rows(section(province, "ket-qua"))
    assert r["complaint_first"]["total"] == 3 and r["complaint_first"]["terminated"] == 1  # c7 of the commune
    assert rows(section(province, "tiep-nhan"))["complaint_first"]["total"] == 3  # c2, c6, c7
    # a user who sees only the department gets only its figures from the province's subtree
    limited = report(session, org, "province", visible={org["province"].id, org["dept"].id})
    assert rows(section(limited, "tiep-nhan"))["complaint_first"]["total"] == 1
    with pytest.raises(ServiceError) as err:
        report(session, org, "other", visible={org["dept"].id})
    assert err.value.field == "don_vi"


def test_cutoff_versus_calendar(session, org, world):
    calendar_q3 = periods.bounds("quarter", 2026, 3, "calendar")  # 01/07 - 30/09
    r = rows(section(report(session, org, period=calendar_q3), "tiep-nhan"))
    assert "complaint_first" not in r  # c2 came in June
    assert r["denunciation"]["total"] == 2  # c4 and c10 (15/09)


def test_choose_period_checks():
    today = date(2026, 11, 25)
    assert periodic.choose_period("quarter", 2026, 4, "cutoff", today).first == date(2026, 9, 15)
    for args, fld in [(("week", 2026, 1, "cutoff"), "ky"), (("quarter", 2026, 5, "cutoff"), "so"),
                      (("quarter", 2026, 1, "moon"), "cach_tinh"), (("year", 2027, 1, "calendar"), "nam"),
                      (("year", None, 1, "cutoff"), "nam")]:
        with pytest.raises(ServiceError) as err:
            periodic.choose_period(*args, today)
        assert err.value.field == fld
    assert periodic.choose_period("year", 2027, None, "cutoff", date(2026, 12, 15)).year == 2027  # began on 15/12


def test_sections_can_be_added(session, org, world):
    def extra(scope):
        return periodic.Section("them", "Phần thêm", [periodic.Column("n", "Số")], [periodic.Row("x", {"n": 1})])

    periodic.register_section(extra)
    try:
        assert report(session, org).sections[-1].key == "them"
    finally:
        periodic.SECTIONS.remove(extra)
