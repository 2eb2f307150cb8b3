"""The periodic report's meeting sections (issue #17 item 1, issue #18 item 1): each head's reception days held
against required, and the dialogues held and commitments made, done and overdue, counted by hand."""
from __future__ import annotations

from datetime import date, datetime, time

from config import ROOT
from dvflow.models import ReceptionOfficial, ReceptionSession
from dvflow.services import commitments
from dvflow.services.reports import periodic, periods
from dvflow.timeutil import TZ

from .conftest import MID_2026, complaint_after_dialogue, hold, plan

JUNE = periods.bounds("month", 2026, 6, "calendar")  # 01/06/2026 - 30/06/2026
END_OF_JUNE = datetime.combine(date(2026, 7, 1), time(9), TZ)


def _official(session, org):
    official = ReceptionOfficial(unit_id=org["xa_a"].id, full_name="Trần Văn Chủ", title="Chủ tịch UBND xã",
                                 position="commune_chair", active_from=date(2026, 1, 1), created_at=MID_2026)
    session.add(official)
    session.flush()
    return official


def _session(session, org, official, day, *, status="held", delegate=None):
    row = ReceptionSession(unit_id=org["xa_a"].id, kind="periodic", mode="in_person", official_id=official.id,
                           day=day, start_time=time(8), end_time=time(11), place="UBND xã", status=status,
                           delegate_name=delegate, delegation_reason="Đi công tác" if delegate else None,
                           created_at=MID_2026)
    session.add(row)
    session.flush()
    return row


def _report(session, org):
    return periodic.build(session, unit_id=org["province"].id, visible=None, period=JUNE, now=END_OF_JUNE,
                          workflows_dir=str(ROOT / "workflows"))


def _section(rep, key):
    return next(s for s in rep.sections if s.key == key)


def test_reception_days_held_against_required(session, workflows, communes):
    official = _official(session, communes)
    _session(session, communes, official, date(2026, 6, 2))  # Tuesday, held in person
    _session(session, communes, official, date(2026, 6, 9), delegate="Phó Chủ tịch Lê Văn Phó")
    rep = _report(session, communes)
    sec = _section(rep, "tiep-cong-dan")
    [row, total] = sec.rows
    # June 2026 (before 01/07/2026) the commune chair receives one day a week: 5 ISO weeks whose Thursday is in June
    # (4, 11, 18, 25 June), i.e. 4 weeks; one held in person, one delegated (not counted: the chair receives in
    # person, LTCD 2013 Art 15(2)(d) "Trực tiếp tiếp công dân"), three missed
    assert row.label == "Chủ tịch UBND xã: Trần Văn Chủ"
    assert (row.values["required"], row.values["held"], row.values["delegated"]) == (4, 1, 1)
    assert row.values["missed"] == 3 and total.values["required"] == 4
    assert "Nghị định 64/2014/NĐ-CP (Điều 4, đến 30/6/2026)" in sec.note  # public service units before July 2026
    assert [s.key for s in rep.sections][-2:] == ["tiep-cong-dan", "doi-thoai"]


def test_without_the_rule_files_the_reception_section_is_left_out(session, communes):
    rep = periodic.build(session, unit_id=communes["province"].id, visible=None, period=JUNE, now=END_OF_JUNE)
    assert "tiep-cong-dan" not in [s.key for s in rep.sections]


def test_dialogues_held_and_commitments_counted(session, workflows, communes):
    conference = plan(session, workflows, communes, on=date(2026, 6, 9))
    hold(session, workflows, communes, conference, held_on=date(2026, 6, 9))
    complaint = complaint_after_dialogue(session, workflows, communes, MID_2026)
    for days, source, origin in ((5, "conference", conference.id), (60, "dialogue", complaint.id)):
        commitments.create(session, workflows, communes["users"]["a_head"], commitments.CommitmentInput(
            source=source, unit_id=communes["xa_a"].id, description="Sửa đường liên ấp", days=days,
            origin_case_id=origin), MID_2026)
    rows = {r.label: r.values for r in _section(_report(session, communes), "doi-thoai").rows}
    assert rows["Hội nghị đối thoại ở cơ sở"] == {"held": 1, "made": 1, "done": 0, "overdue": 1}
    assert rows["Đối thoại trong giải quyết khiếu nại"] == {"held": 1, "made": 1, "done": 0, "overdue": 0}
    assert rows["Tổng cộng"]["held"] == 2 and rows["Tổng cộng"]["made"] == 2
