"""The "Nơi nhận" of each document: from the manifest's sent_to of its type and the recipients the law names (Luật
Khiếu nại 2011, Điều 27, 32, 36, 41), ending with the unit's file copy; never the generic "Cơ quan, tổ chức, cá nhân
có liên quan"; a hidden denouncer by the role alone except in their own copy."""
from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document as Docx
from sqlalchemy import select

from config import ROOT
from dvflow.models import Document
from dvflow.services import cases
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.services.documents import flow, recipients, session_docs, templates

from .helpers import at, new_complaint

SHIPPED = ROOT / "workflows" / "documents"
DENOUNCER, ACCUSED = "Phan Văn Kín", "Trần Thị Bị"


@pytest.fixture
def shipped(tmp_path) -> flow.Settings:
    return flow.Settings(documents_dir=str(SHIPPED), files=str(tmp_path / "f"), pdf=False)


def _nơi_nhận(content: bytes) -> list[str]:
    doc = Docx(io.BytesIO(content))
    cells = [p.text for t in doc.tables for r in t.rows for c in r.cells for p in c.paragraphs]
    start = cells.index("Nơi nhận:")
    out = []
    for line in cells[start + 1:]:
        if not line.startswith("- "):
            break
        out.append(line[2:].rstrip(";."))
    return out


def _render(session, workflows, org, case, type_, trigger, fields, signer="head"):
    defn = workflows.for_case(case, session)
    t = next(t for t in defn.transitions if t.trigger == trigger)
    settings = flow.Settings(documents_dir=str(SHIPPED), pdf=False)
    return _nơi_nhận(flow.render(session, settings, defn, case, templates.document_type(SHIPPED, type_), t, fields,
                                 date(2026, 11, 20), number=3, symbol="", signer=org["users"][signer],
                                 state=case.state))


def _denunciation(session, workflows, org):
    data = IntakeInput(kind="denunciation", unit_id=org["dept"].id, channel="letter", received_at=at(2, 9),
                       subject="Tố cáo cán bộ địa chính", content="Nội dung",
                       parties=[PartyInput(role="denouncer", name=DENOUNCER, address="5 Hai Bà Trưng"),
                                PartyInput(role="accused", name=ACCUSED)])
    return register_case(session, workflows, org["users"]["reception"], data, at(2))


def test_the_acceptance_notice_goes_to_the_inspectorate_and_the_forwarding_body(session, workflows, org, shipped):
    case = new_complaint(session, workflows, org)
    cases.perform(session, workflows, org["users"]["head"], case.id, "accept",
                  {"decision_date": "2026-11-04", "forwarded_by_body": "press_or_authority"}, at(4), documents=shipped)
    notice = session.scalars(select(Document).where(Document.case_id == case.id)).one()
    assert _nơi_nhận(notice.content) == ["Ông/Bà Nguyễn Văn An", "Ông/Bà Trần Thị Bình",
                                         recipients.FORWARDING_BODY, "Thanh tra tỉnh", "Lưu: VT, hồ sơ"]


def test_a_complaint_not_forwarded_names_no_forwarding_body(session, workflows, org):
    case = new_complaint(session, workflows, org)
    lines = _render(session, workflows, org, case, "notice_of_acceptance", "accept", {"decision_date": "2026-11-04"})
    assert lines == ["Ông/Bà Nguyễn Văn An", "Ông/Bà Trần Thị Bình", "Thanh tra tỉnh", "Lưu: VT, hồ sơ"]


def test_a_disciplinary_complaints_notice_goes_to_the_complainant_alone_by_law(session, workflows, org):
    case = new_complaint(session, workflows, org, kind="complaint_discipline")
    lines = _render(session, workflows, org, case, "notice_of_acceptance", "accept", {"decision_date": "2026-11-04"})
    assert "Thanh tra tỉnh" not in lines and lines[-1] == "Lưu: VT, hồ sơ"


def test_the_first_instance_decision_goes_to_the_direct_superior_and_the_inspectorate(session, workflows, org):
    case = new_complaint(session, workflows, org)
    lines = _render(session, workflows, org, case, "complaint_decision_first", "issue_decision",
                    {"decision_date": "2026-11-20", "result": "wrong"})
    assert lines == ["Ông/Bà Nguyễn Văn An", "Ông/Bà Trần Thị Bình", "Người có quyền, nghĩa vụ liên quan (nếu có)",
                     "Chủ tịch UBND tỉnh", "Thanh tra tỉnh", "Lưu: VT, hồ sơ"]


def test_the_second_instance_decision_goes_to_the_first_instance_resolver(session, workflows, org):
    first = register_case(session, workflows, org["users"]["xa_reception"], IntakeInput(
        kind="complaint_first", unit_id=org["remote"].id, channel="letter", received_at=at(2, 9),
        subject="Khiếu nại quyết định của xã", parties=[PartyInput(role="complainant", name="Nguyễn Văn An")]), at(2))
    data = IntakeInput(kind="complaint_second", unit_id=org["province"].id, channel="letter", received_at=at(20, 9),
                       subject="Khiếu nại lần hai", related_case_id=first.id,
                       parties=[PartyInput(role="complainant", name="Nguyễn Văn An"),
                                PartyInput(role="respondent", name="UBND xã Xa", kind="organisation")])
    case = register_case(session, workflows, org["users"]["chair"], data, at(20))
    lines = _render(session, workflows, org, case, "complaint_decision_second", "issue_decision",
                    {"decision_date": "2026-11-27", "result": "wrong"}, signer="chair")
    assert lines == ["Ông/Bà Nguyễn Văn An", "UBND xã Xa", "Người có quyền, nghĩa vụ liên quan (nếu có)",
                     "Chủ tịch Xã Xa", "Lưu: VT, hồ sơ"]


def test_the_conclusion_names_the_accused_and_tells_the_denouncer_by_role_only(session, workflows, org):
    case = _denunciation(session, workflows, org)
    lines = _render(session, workflows, org, case, "denunciation_conclusion", "conclude",
                    {"conclusion_date": "2026-11-20", "result": "untrue"})
    assert lines == [f"Ông/Bà {ACCUSED}", "Cơ quan, tổ chức quản lý người bị tố cáo", "Người tố cáo",
                     "Lưu: VT, hồ sơ"]


def test_the_denouncers_own_notice_names_them_as_its_recipient(session, workflows, org):
    case = _denunciation(session, workflows, org)
    lines = _render(session, workflows, org, case, "denunciation_acceptance_notice", "accept",
                    {"decision_date": "2026-11-04"})
    assert lines == [f"Ông/Bà {DENOUNCER}", "Lưu: VT, hồ sơ"]


def test_the_forwarding_slip_goes_to_the_competent_body(session, workflows, org):
    data = IntakeInput(kind="petition", unit_id=org["dept"].id, channel="letter", received_at=at(2, 9),
                       subject="Phản ánh", parties=[PartyInput(role="petitioner", name="Nguyễn Văn An")])
    case = register_case(session, workflows, org["users"]["reception"], data, at(2))
    lines = _render(session, workflows, org, case, "forwarding_slip", "forward",
                    {"to_body": "Sở Xây dựng", "forwarded_on": "2026-11-04", "slip": "Chuyển đơn"})
    assert lines == ["Sở Xây dựng", "Lưu: VT, hồ sơ"]


def test_the_reception_conclusion_goes_to_the_units_given_tasks(session, workflows, org, shipped):
    from factories import NOW
    from reception.helpers import make_official, make_session

    rs = make_session(session, org["province"], kind="periodic", official=make_official(session, org["province"]))
    data = session_docs.ConclusionInput(tasks=[session_docs.TaskInput(unit_id=org["dept"].id, days=15,
                                                                      description="Kiểm tra, trả lời công dân")])
    doc = session_docs.issue_conclusion(session, shipped, workflows, org["users"]["chair"], rs.id, data, NOW)
    assert _nơi_nhận(doc.content) == ["Sở NN&MT", "Lưu: VT, hồ sơ"]
