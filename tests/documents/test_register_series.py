"""The unit's register (review D1-D4): numbers run per unit, year and series (the symbol: TB, QĐ, KL…), so a
"Số, ký hiệu" names one document; every issuing action's number field is the register's and its legal date is the
document's date; the signer printed is the head who issued it. Issued with the shipped templates."""
from __future__ import annotations

import io
from datetime import date, datetime, time

import pytest
from docx import Document as Docx
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from config import ROOT
from dvflow.models import Case, CaseEvent, Document
from dvflow.services import cases
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.services.documents import flow, numbering
from dvflow.services.errors import ServiceError
from dvflow.timeutil import TZ

from .helpers import DRAFT_CONCLUSION, at, new_complaint


@pytest.fixture
def shipped(tmp_path) -> flow.Settings:
    return flow.Settings(documents_dir=str(ROOT / "workflows" / "documents"), files=str(tmp_path / "f"), pdf=False)


def _text(content: bytes) -> str:
    doc = Docx(io.BytesIO(content))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def _docs(session, case, type_=None) -> list[Document]:
    query = select(Document).where(Document.case_id == case.id).order_by(Document.id)
    return list(session.scalars(query.where(Document.type == type_) if type_ else query))


def _fields(session, case, action) -> dict:
    event = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.action == action)).one()
    return event.payload["fields"]


def _do(session, workflows, org, case, action, fields, when, settings, user="head"):
    return cases.perform(session, workflows, org["users"][user], case.id, action, fields, when, documents=settings)


# --- D1: one register per series ------------------------------------------------------------------------------------
def test_the_notices_of_one_unit_share_its_tb_register(session, workflows, org, shipped):
    a, b = new_complaint(session, workflows, org), new_complaint(session, workflows, org)
    _do(session, workflows, org, a, "accept", {"decision_date": "2026-11-04"}, at(4), shipped)
    _do(session, workflows, org, b, "refuse", {"decision_date": "2026-11-04", "ground": "not_signed",
                                               "reason": "Đơn không có chữ ký"}, at(4), shipped)
    [acceptance], [refusal] = _docs(session, a), _docs(session, b)
    assert (acceptance.number_symbol, refusal.number_symbol) == ("1/TB-STNMT", "2/TB-STNMT")
    assert (acceptance.series, refusal.series) == ("TB", "TB")
    assert "Số: 2/TB-STNMT" in _text(refusal.content)
    assert numbering.last_number(session, org["dept"].id, numbering.REGISTER_KEY.format(series="TB"), 2026) == 2


def test_the_decisions_of_one_unit_share_its_qd_register(session, workflows, org, shipped):
    a, b = new_complaint(session, workflows, org), new_complaint(session, workflows, org)
    for case in (a, b):
        _do(session, workflows, org, case, "accept", {"decision_date": "2026-11-04"}, at(4), shipped)
    _do(session, workflows, org, a, "suspend", {"decision_date": "2026-11-05", "ground": "objective_obstacle"},
        at(5), shipped)
    _do(session, workflows, org, b, "terminate", {"decision_date": "2026-11-05", "ground": "withdrawn"}, at(5),
        shipped)
    [suspension], [termination] = _docs(session, a, "suspension_decision"), _docs(session, b, "termination_decision")
    assert (suspension.number_symbol, termination.number_symbol) == ("1/QĐ-STNMT", "2/QĐ-STNMT")


def _legacy(session, unit, type_, number, symbol, year=2026) -> Document:
    """A document issued before the registers: numbered per type, no series."""
    doc = Document(unit_id=unit.id, case_id=None, session_id=None, type=type_, status="issued", number=number,
                   symbol=f"{symbol}-{unit.code}", year=year, number_symbol=f"{number}/{symbol}-{unit.code}",
                   content=b"x", sha256="0" * 64, action="legacy", fields={}, created_at=at(1))
    return doc


def _owned(session, case, docs: list[Document]) -> None:
    for doc in docs:
        doc.case_id = case.id
        session.add(doc)
    session.flush()


def test_a_register_starts_after_the_numbers_already_signed(session, workflows, org, shipped):
    """Legacy documents keep their numbers (duplicates across types included) and the register never repeats one."""
    dept, other = org["dept"], org["other"]
    case = new_complaint(session, workflows, org)
    _owned(session, case, [_legacy(session, dept, "notice_of_acceptance", 1, "TB"),
                               _legacy(session, dept, "notice_of_refusal", 1, "TB"),  # the duplicate D1 made
                               _legacy(session, dept, "dialogue_notice", 3, "TB"),
                               _legacy(session, dept, "suspension_decision", 7, "QĐ"),
                               _legacy(session, dept, "notice_of_acceptance", 9, "TB", year=2025),
                               _legacy(session, other, "notice_of_acceptance", 8, "TB")])
    _do(session, workflows, org, case, "accept", {"decision_date": "2026-11-04"}, at(4), shipped)
    [doc] = [d for d in _docs(session, case) if d.action == "accept"]
    assert (doc.number_symbol, doc.series) == ("4/TB-STNMT", "TB")


def test_the_database_keeps_a_register_number_unique(session, workflows, org, shipped):
    case = new_complaint(session, workflows, org)
    _do(session, workflows, org, case, "accept", {"decision_date": "2026-11-04"}, at(4), shipped)
    [doc] = _docs(session, case)
    copy = _legacy(session, org["dept"], "notice_of_refusal", doc.number, "TB")
    copy.case_id, copy.series = case.id, "TB"
    savepoint = session.begin_nested()
    session.add(copy)
    with pytest.raises(IntegrityError):
        session.flush()
    savepoint.rollback()


# --- D2: the conclusion and the forwarding slip are numbered and dated by the register -------------------------------
def _denunciation(session, workflows, org) -> Case:
    data = IntakeInput(kind="denunciation", unit_id=org["dept"].id, channel="letter", received_at=at(2, 9),
                       subject="Tố cáo cán bộ địa chính nhận tiền",
                       parties=[PartyInput(role="denouncer", name="Phạm Văn Dũng", address="Số 9 phố Bí Mật"),
                                PartyInput(role="accused", name="Lê Văn Cường")])
    case = register_case(session, workflows, org["users"]["reception"], data, at(2))
    steps = [("accept", {"decision_date": "2026-11-04"}, at(4)),
             ("verify", {"verifier": "Tổ xác minh", "identity_removed": True}, at(4, 11)),
             ("verification_report", {"report_date": "2026-11-05", "summary": "Kết quả"}, at(5)),
             ("draft_decision", {}, at(6)), ("submit", DRAFT_CONCLUSION, at(6, 11)), ("approve", {}, at(9))]
    return case, steps


def test_the_conclusion_takes_the_register_number_and_its_own_date(session, workflows, org, shipped):
    case, steps = _denunciation(session, workflows, org)
    for action, fields, when in steps:
        _do(session, workflows, org, case, action, fields, when, shipped)
    concluded = {"conclusion_date": "2026-11-09", "result": "untrue"}
    savepoint = session.begin_nested()
    with pytest.raises(ServiceError) as refused:
        _do(session, workflows, org, case, "conclude", {**concluded, "conclusion_number": "15/KL-STNMT"}, at(11),
            shipped)
    assert refused.value.field == "conclusion_number" and "«15/KL-STNMT»" in refused.value.message
    savepoint.rollback()
    _do(session, workflows, org, case, "conclude", concluded, at(11), shipped)
    [doc] = _docs(session, case, "denunciation_conclusion")
    assert doc.number_symbol == "1/KL-STNMT" and _fields(session, case, "conclude")["conclusion_number"] == "1/KL-STNMT"
    text = _text(doc.content)
    assert "Số: 1/KL-STNMT" in text and "ngày 09 tháng 11 năm 2026" in text and doc.year == 2026


def test_the_forwarding_slip_number_is_the_one_the_sender_is_told(session, workflows, org, shipped):
    data = IntakeInput(kind="triage", unit_id=org["dept"].id, channel="letter", received_at=at(2, 9),
                       subject="Đơn tố cáo", content="Nội dung đơn",
                       parties=[PartyInput(role="denouncer", name="Nguyễn Văn An", address="Hà Nội"),
                                PartyInput(role="accused", name="Ông B")])
    letter = register_case(session, workflows, org["users"]["reception"], data, at(2))
    _do(session, workflows, org, letter, "classify", {"content_type": "denunciation", "competent": False}, at(3),
        shipped, user="handler")
    assert flow.number_field(shipped, workflows.for_case(letter, session).transition(
        "forward_denunciation", letter.state)) == "forward_number"
    _do(session, workflows, org, letter, "forward_denunciation",
        {"to_body": "Thanh tra tỉnh", "forwarded_on": "2026-11-04", "slip": "Chuyển đơn tố cáo"}, at(5), shipped)
    [slip] = _docs(session, letter, "forwarding_slip")
    assert slip.number_symbol == "1/PC-STNMT"
    assert _fields(session, letter, "forward_denunciation")["forward_number"] == "1/PC-STNMT"
    assert "phiếu chuyển số 1/PC-STNMT ngày 04/11/2026" in _fields(session, letter, "notify_sender")["notice"]
    assert "ngày 04 tháng 11 năm 2026" in _text(slip.content)


# --- D3: the dialogue notice and minutes are dated the day sent / held; the minutes number is the case's ------------
def test_the_dialogue_documents_are_dated_by_their_legal_dates(session, workflows, org, shipped):
    case = new_complaint(session, workflows, org)
    for action, fields, when in [
            ("accept", {"decision_date": "2026-11-04"}, at(4)), ("verify", {"verifier": "Tổ xác minh"}, at(4, 11)),
            ("verification_report", {"report_date": "2026-11-04", "summary": "Kết quả xác minh"}, at(4, 12)),
            ("schedule_dialogue", {"notice_sent_on": "2026-11-04", "scheduled_on": "2026-11-10",
                                   "place": "Phòng họp", "content": "Đối thoại"}, at(6)),
            ("record_minutes", {"held_on": "2026-11-10", "attendees": "Các bên", "attendance": "present"}, at(12))]:
        _do(session, workflows, org, case, action, fields, when, shipped)
    [notice], [minutes] = _docs(session, case, "dialogue_notice"), _docs(session, case, "dialogue_minutes")
    assert notice.number_symbol == "2/TB-STNMT"  # the acceptance notice took 1 of the TB register
    assert "ngày 04 tháng 11 năm 2026" in _text(notice.content)
    assert "ngày 10 tháng 11 năm 2026" in _text(minutes.content)
    assert "ngày 12 tháng 11" not in _text(minutes.content)
    assert _fields(session, case, "record_minutes")["minutes_number"] == minutes.number_symbol == "1/BB-STNMT"
    assert _fields(session, case, "schedule_dialogue")["notice_number"] == notice.number_symbol


def test_the_minutes_date_stays_required(session, workflows, org, shipped):
    """Only a decision's date defaults to the day of issue: the day a dialogue was held is the user's to give."""
    t = workflows.for_case(new_complaint(session, workflows, org), session).transition("record_minutes", "dialogue")
    assert flow.date_field(t) == "held_on"
    assert flow.provisional_fields(shipped, t, {}, at(12)) == {"minutes_number": flow.PROVISIONAL_NUMBER}


# --- D4: the signer printed is the head who issued it ----------------------------------------------------------------
def test_a_head_above_who_issues_is_the_signer(session, workflows, org, shipped):
    chair, head = org["users"]["chair"], org["users"]["head"]
    chair.full_name, head.full_name = "Trần Văn Tỉnh", "Lê Thị Sở"
    session.flush()
    case = new_complaint(session, workflows, org)
    _do(session, workflows, org, case, "accept", {"decision_date": "2026-11-04"}, at(4), shipped, user="chair")
    [doc] = _docs(session, case)
    text = _text(doc.content)
    assert doc.issued_by_id == chair.id
    assert "Trần Văn Tỉnh" in text and "CHỦ TỊCH" in text and "Lê Thị Sở" not in text


def test_an_issuer_who_is_no_head_may_not_send_the_dialogue_notice_in_the_heads_name(session, workflows, org,
                                                                                       shipped):
    """NĐ 155/2026, Điều 28 khoản 1: the resolver (the head) sends the notice. Formerly a handler's action issued it
    with the unit's head printed as signer; now the workflow grants it to the head alone: the handler is not offered
    it and is refused, nothing written, and the head issues it. (A case on an older version that still grants it to
    the handler: tests/workflows/test_old_versions.py.)"""
    handler, head = org["users"]["handler"], org["users"]["head"]
    handler.full_name, head.full_name = "Đỗ Văn Xử", "Lê Thị Sở"
    session.flush()
    case = new_complaint(session, workflows, org)
    _do(session, workflows, org, case, "accept", {"decision_date": "2026-11-04"}, at(4), shipped)
    _do(session, workflows, org, case, "verify", {"verifier": "Tổ xác minh"}, at(4, 11), shipped)
    _do(session, workflows, org, case, "verification_report", {"report_date": "2026-11-04", "summary": "Kết quả"},
        at(4, 12), shipped)
    notice = {"notice_sent_on": "2026-11-04", "scheduled_on": "2026-11-10", "place": "Phòng họp",
              "content": "Đối thoại"}
    defn = workflows.for_case(case, session)

    def offered(user):
        specs = flow.as_offered(shipped, defn, case.state, cases.actions_for(session, workflows, user, case),
                                issuer=(session, case, user))
        return [a for a in specs if a.trigger == "schedule_dialogue"]
    assert offered(handler) == [] and offered(head)[0].allowed
    savepoint = session.begin_nested()
    with pytest.raises(ServiceError) as err:
        _do(session, workflows, org, case, "schedule_dialogue", notice, at(6), shipped, user="handler")
    savepoint.rollback()
    assert err.value.status == 403
    session.expire_all()
    assert session.get(Case, case.id).state == "verified" and _docs(session, case, "dialogue_notice") == []
    _do(session, workflows, org, case, "schedule_dialogue", notice, at(6), shipped)
    [issued] = _docs(session, case, "dialogue_notice")
    assert issued.issued_by_id == head.id and issued.number_symbol == "2/TB-STNMT"
    assert "Lê Thị Sở" in _text(issued.content) and "Đỗ Văn Xử" not in _text(issued.content)


def test_a_new_year_starts_each_register_again(session, workflows, org, shipped):
    a, b = new_complaint(session, workflows, org), new_complaint(session, workflows, org)
    _do(session, workflows, org, a, "accept", {}, datetime(2026, 12, 31, 23, 50, tzinfo=TZ), shipped)
    _do(session, workflows, org, b, "accept", {}, datetime.combine(date(2027, 1, 1), time(0, 20), TZ), shipped)
    assert [(d.number, d.year) for d in _docs(session, a) + _docs(session, b)] == [(1, 2026), (1, 2027)]
