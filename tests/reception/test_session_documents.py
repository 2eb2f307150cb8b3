"""The refusal notice and the conclusion notice: numbered documents of a session, frozen, access-checked."""
from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document as Docx
from factories import NOW
from sqlalchemy import select

from dvflow.models import Case, Clock, EscalationRecord
from dvflow.services import commitments
from dvflow.services.documents import generate, session_docs
from dvflow.services.documents.flow import Settings
from dvflow.services.errors import Conflict, ServiceError
from dvflow.services.reception import visits

from .helpers import make_official, make_session, visit


@pytest.fixture
def settings():
    from config import ROOT

    return Settings(documents_dir=str(ROOT / "workflows" / "documents"), pdf=False)


def _text(content: bytes) -> str:
    doc = Docx(io.BytesIO(content))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def _refused(session, workflows, org, rules, **kw):
    rs = make_session(session, org["dept"], day=date(2026, 11, 20))
    return visits.record(session, workflows, rules, org["users"]["reception"], rs.id,
                         visit(outcome="refused", refusal_ground="persistent_resolved", result_note=None, **kw), NOW)


def test_the_refusal_notice_is_numbered_frozen_and_sent(session, workflows, org, rules, settings):
    v = _refused(session, workflows, org, rules)
    doc = session_docs.issue_refusal_notice(session, settings, rules, org["users"]["head"], v.id, NOW)
    assert (doc.case_id, doc.session_id, doc.visit_id, doc.status) == (None, v.session_id, v.id, "issued")
    assert doc.number_symbol == "1/TB-STNMT" and doc.sha256 == generate.sha256(doc.content)
    assert v.refusal_notice_sent_on == date(2026, 11, 25)
    text = _text(doc.content)
    assert "từ chối tiếp công dân" in text.lower() and "Nguyễn Văn An" in text
    assert "Luật Tiếp công dân 2013, Điều 9 khoản 3" in text and "1/TB-STNMT" in text
    with pytest.raises(Conflict):
        session_docs.issue_refusal_notice(session, settings, rules, org["users"]["head"], v.id, NOW)
    second = _refused(session, workflows, org, rules, citizen_name="Trần Thị Bình")
    assert session_docs.issue_refusal_notice(session, settings, rules, org["users"]["head"], second.id,
                                             NOW).number == 2


def test_only_a_refused_visit_has_a_refusal_notice(session, workflows, org, rules, settings):
    rs = make_session(session, org["dept"])
    v = visits.record(session, workflows, rules, org["users"]["reception"], rs.id, visit(), NOW)
    with pytest.raises(ServiceError) as err:
        session_docs.issue_refusal_notice(session, settings, rules, org["users"]["head"], v.id, NOW)
    assert err.value.field == "visit_id"


def test_a_confidential_refusal_notice_is_for_the_desk_only(session, workflows, org, rules, settings):
    v = _refused(session, workflows, org, rules, content_type="denunciation")
    doc = session_docs.issue_refusal_notice(session, settings, rules, org["users"]["head"], v.id, NOW)
    assert session_docs.open_document(session, org["users"]["head"], doc.id, NOW) is doc
    with pytest.raises(ServiceError) as err:
        session_docs.open_document(session, org["users"]["supervisor"], doc.id, NOW)
    assert err.value.status == 403
    with pytest.raises(ServiceError) as err:
        session_docs.open_document(session, org["users"]["other_head"], doc.id, NOW)
    assert err.value.status == 404


def test_the_conclusion_notice_of_a_heads_session(session, workflows, org, rules, settings):
    official = make_official(session, org["province"])
    rs = make_session(session, org["province"], kind="periodic", official=official)
    chair = org["users"]["chair"]
    seen = visits.record(session, workflows, rules, chair, rs.id, visit(), NOW)
    hidden = visits.record(session, workflows, rules, chair, rs.id,
                           visit(citizen_name="Phạm Văn Dũng", content_type="denunciation"), NOW)
    data = session_docs.ConclusionInput(
        summary="Các ý kiến của công dân đã được ghi nhận.",
        directions={seen.id: "Giao Sở NN&MT kiểm tra hồ sơ bồi thường", hidden.id: "Giao Thanh tra tỉnh xác minh"},
        tasks=[session_docs.TaskInput(unit_id=org["dept"].id, description="Kiểm tra, báo cáo việc bồi thường",
                                      days=15, visit_id=seen.id)])
    doc = session_docs.issue_conclusion(session, settings, workflows, chair, rs.id, data, NOW)
    assert (doc.type, doc.case_id, doc.session_id, doc.number_symbol) == (
        "reception_conclusion_notice", None, rs.id, "1/TB-TINH")
    text = _text(doc.content)
    assert "THÔNG BÁO KẾT LUẬN" in text and "Chủ tịch UBND tỉnh Trần Văn Chủ" in text
    assert "Nguyễn Văn An" in text and "Phạm Văn Dũng" not in text and "(được giữ bí mật)" in text
    assert "Sở NN&MT: Kiểm tra, báo cáo việc bồi thường; thời hạn thực hiện 15 ngày" in text
    # the task is a tracked commitment: a follow_up case of the responsible unit, its code and last day in the notice
    [row] = commitments.of_session(session, rs.id)
    task = doc.fields["tasks"][0]
    case = session.get(Case, row.case_id)
    assert (row.source, row.visit_id, row.promised_by) == ("reception_conclusion", seen.id,
                                                           "Chủ tịch UBND tỉnh Trần Văn Chủ")
    assert (case.kind, case.unit_id, task["case_id"], task["tracking_code"]) == (
        "follow_up", org["dept"].id, case.id, case.tracking_code)
    assert f"mã theo dõi {case.tracking_code}" in text and f"đến ngày {task['due']}" in text
    with pytest.raises(Conflict):
        session_docs.issue_conclusion(session, settings, workflows, chair, rs.id, data, NOW)


@pytest.mark.parametrize("data, field", [
    (session_docs.ConclusionInput(), "directions"),
    (session_docs.ConclusionInput(directions={999999: "x"}), "directions"),
    (session_docs.ConclusionInput(tasks=[session_docs.TaskInput(unit_id=None, description="x", days=5)]),
     "tasks[0].unit_id"),
])
def test_a_conclusion_with_bad_input_names_the_field(session, workflows, org, settings, data, field):
    rs = make_session(session, org["province"], kind="ad_hoc")
    with pytest.raises(ServiceError) as err:
        session_docs.issue_conclusion(session, settings, workflows, org["users"]["chair"], rs.id, data, NOW)
    assert err.value.field == field


def test_a_conclusion_task_that_runs_late_escalates(session, workflows, org, rules, settings):
    from datetime import datetime, time, timedelta

    from dvflow.services.deadlines.sweep import sweep
    from dvflow.timeutil import TZ

    rs = make_session(session, org["province"], kind="ad_hoc")
    data = session_docs.ConclusionInput(tasks=[session_docs.TaskInput(unit_id=org["dept"].id, days=10,
                                                                      description="Trả lời công dân")])
    session_docs.issue_conclusion(session, settings, workflows, org["users"]["chair"], rs.id, data, NOW)
    [row] = commitments.of_session(session, rs.id)
    clock = session.scalars(select(Clock).where(Clock.case_id == row.case_id, Clock.due_date.is_not(None))).first()
    late = datetime.combine(clock.due_date + timedelta(days=20), time(9), TZ)
    sweep(session, now=late, ladder=workflows.ladder)
    session.expire_all()
    assert session.get(Clock, clock.id).state == "missed"
    assert session.get(Case, row.case_id).escalation_level >= 1
    assert session.scalar(select(EscalationRecord.id).where(EscalationRecord.clock_id == clock.id)) is not None


def test_a_task_for_a_unit_the_actor_may_not_task_is_refused(session, workflows, org, settings):
    rs = make_session(session, org["dept"], kind="ad_hoc")
    data = session_docs.ConclusionInput(tasks=[session_docs.TaskInput(unit_id=org["other"].id, days=5,
                                                                      description="Việc của Sở Y tế")])
    with pytest.raises(ServiceError) as err:
        session_docs.issue_conclusion(session, settings, workflows, org["users"]["head"], rs.id, data, NOW)
    assert (err.value.status, err.value.field) == (400, "tasks[0].unit_id")


def test_a_task_needs_a_time_frame_and_a_regular_session_has_no_conclusion(session, workflows, org, settings):
    rs = make_session(session, org["province"], kind="ad_hoc")
    bad = session_docs.ConclusionInput(tasks=[session_docs.TaskInput(unit_id=org["dept"].id, description="x",
                                                                     days=0)])
    with pytest.raises(ServiceError) as err:
        session_docs.issue_conclusion(session, settings, workflows, org["users"]["chair"], rs.id, bad, NOW)
    assert err.value.field == "tasks[0].days"
    regular = make_session(session, org["dept"])
    with pytest.raises(ServiceError) as err:
        session_docs.issue_conclusion(session, settings, workflows, org["users"]["head"], regular.id,
                                      session_docs.ConclusionInput(summary="x"), NOW)
    assert err.value.field == "session"


def test_a_refusal_notice_takes_the_next_number_of_the_units_tb_register(session, workflows, org, rules, settings):
    """A case's acceptance notice and a session's refusal notice both print TB: one register numbers them (review
    D1), and the head who issues the notice is the one it names as signer (D4)."""
    from documents.helpers import accept, new_complaint

    head = org["users"]["head"]
    head.full_name = "Lê Thị Sở"
    accept(session, workflows, org, new_complaint(session, workflows, org), settings)
    v = _refused(session, workflows, org, rules)
    doc = session_docs.issue_refusal_notice(session, settings, rules, head, v.id, NOW)
    assert (doc.number_symbol, doc.series) == ("2/TB-STNMT", "TB")
    assert "Lê Thị Sở" in _text(doc.content)
