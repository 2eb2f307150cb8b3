"""A complaint's dialogue is held inside the complaint: the notice (Thông báo về việc đối thoại) issued by
schedule_dialogue, the Mẫu 14 minutes with attendance issued by record_minutes, and an absence handled as the law
says (NĐ 124/2020 Art 28(5), 28a as amended by NĐ 155/2026), with the shipped templates, on both databases."""
from __future__ import annotations

import io

import pytest
from docx import Document as Docx
from sqlalchemy import select

from config import ROOT
from dvflow.models import Document
from dvflow.services import cases
from dvflow.services.documents import flow
from dvflow.services.errors import ServiceError
from tests.documents.helpers import accept, at, new_complaint


@pytest.fixture
def org(session):
    from factories import SERVICE_ORG, make_org

    return make_org(session, **SERVICE_ORG)


@pytest.fixture
def shipped(tmp_path) -> flow.Settings:
    return flow.Settings(documents_dir=str(ROOT / "workflows" / "documents"), files=str(tmp_path / "up"),
                         pdf=False)


def _text(doc: Document) -> str:
    d = Docx(io.BytesIO(doc.content))
    return "\n".join([p.text for p in d.paragraphs] + [p.text for t in d.tables for r in t.rows
                                                        for c in r.cells for p in c.paragraphs])


NOTICE = {"notice_sent_on": "2026-11-06", "scheduled_on": "2026-11-12", "place": "Phòng họp Sở",
          "content": "Diện tích đất bị thu hồi và mức bồi thường", "invitees": "Phòng Quản lý đất đai"}
MINUTES = {"held_on": "2026-11-12", "attendance": "present", "place": "Phòng họp Sở",
           "attendees": "Nguyễn Văn An (người khiếu nại)\nTrần Thị Bình (người bị khiếu nại)",
           "absentees": "Ông Lê Văn Tư (người có quyền, nghĩa vụ liên quan)",
           "agreed": "Đo đạc lại thửa đất", "open_points": "Mức bồi thường",
           "refused_to_sign": "Trần Thị Bình: không đồng ý mức bồi thường"}


def _to_dialogue(session, workflows, org, settings):
    case = new_complaint(session, workflows, org)
    accept(session, workflows, org, case, settings)
    head = org["users"]["head"]
    cases.perform(session, workflows, head, case.id, "verify", {"verifier": "Tổ 1"}, at(5), documents=settings)
    cases.perform(session, workflows, head, case.id, "verification_report",
                  {"report_date": "2026-11-05", "summary": "Còn khác nhau", "request_differs": True}, at(5, 11),
                  documents=settings)
    cases.perform(session, workflows, head, case.id, "schedule_dialogue", NOTICE, at(6), documents=settings)
    return case


def _docs(session, case, type_):
    return list(session.scalars(select(Document).where(Document.case_id == case.id, Document.type == type_)))


def test_the_notice_and_the_minutes_are_documents_of_the_complaint(session, workflows, org, shipped):
    case = _to_dialogue(session, workflows, org, shipped)
    [notice] = _docs(session, case, "dialogue_notice")
    # the acceptance notice took 1 of the unit's TB register
    assert notice.status == "issued" and notice.number_symbol == f"2/TB-{org['dept'].code}"
    text = _text(notice)
    assert "THÔNG BÁO" in text and "Về việc đối thoại" in text
    assert "Kính gửi: ông (bà) Nguyễn Văn An (người khiếu nại); ông (bà) Trần Thị Bình (người bị khiếu nại)" in text
    assert "Thời gian: ngày 12/11/2026." in text and "Địa điểm: Phòng họp Sở." in text
    assert "Diện tích đất bị thu hồi và mức bồi thường" in text and "- Phòng Quản lý đất đai;" in text

    cases.perform(session, workflows, org["users"]["head"], case.id, "record_minutes", MINUTES, at(12),
                  documents=shipped)
    assert case.state == "dialogue_held" and case.facts["dialogue_held"] is True
    [minutes] = _docs(session, case, "dialogue_minutes")
    text = _text(minutes)
    assert "BIÊN BẢN ĐỐI THOẠI VỚI NGƯỜI KHIẾU NẠI" in text
    assert "- Nguyễn Văn An (người khiếu nại);" in text and "- Trần Thị Bình (người bị khiếu nại);" in text
    assert "- Ông Lê Văn Tư (người có quyền, nghĩa vụ liên quan);" in text
    assert "Đo đạc lại thửa đất" in text and "Mức bồi thường" in text
    assert "Người không ký biên bản và lý do: Trần Thị Bình: không đồng ý mức bồi thường." in text
    # the dialogue was required (the verification differed) and held: drafting may go ahead
    cases.perform(session, workflows, org["users"]["head"], case.id, "draft_decision", {}, at(13))
    assert case.state == "drafting"


def test_an_excused_absence_needs_a_new_notice_or_a_suspension(session, workflows, org, shipped):
    """W6: absent with a valid reason, the reason is on record and drafting is refused until a new dialogue."""
    case = _to_dialogue(session, workflows, org, shipped)
    head = org["users"]["head"]
    absent = {**MINUTES, "attendance": "absent_valid_reason", "attendees": "Trần Thị Bình (người bị khiếu nại)"}
    with pytest.raises(ServiceError) as err:
        cases.perform(session, workflows, head, case.id, "record_minutes", absent, at(12), documents=shipped)
    assert "Điều 28a" in str(err.value)
    assert case.state == "dialogue" and not _docs(session, case, "dialogue_minutes")  # nothing written
    cases.perform(session, workflows, head, case.id, "record_minutes",
                  {**absent, "absence_reason": "Nằm viện, giấy ra viện ngày 13/11/2026"}, at(12), documents=shipped)
    assert "Nằm viện, giấy ra viện" in _text(_docs(session, case, "dialogue_minutes")[0])
    with pytest.raises(ServiceError) as err:
        cases.perform(session, workflows, head, case.id, "draft_decision", {}, at(13))
    assert "Điều 28 khoản 5" in str(err.value)
    cases.perform(session, workflows, head, case.id, "schedule_dialogue",
                  {**NOTICE, "notice_sent_on": "2026-11-13", "scheduled_on": "2026-11-19"}, at(13),
                  documents=shipped)
    assert case.state == "dialogue" and len(_docs(session, case, "dialogue_notice")) == 2


def test_absent_without_a_valid_reason_the_resolution_goes_on(session, workflows, org, shipped):
    """LKN Art 30(6) (Luật 136/2025); NĐ 124/2020 Art 28(5): the minutes record it and drafting goes ahead."""
    case = _to_dialogue(session, workflows, org, shipped)
    head = org["users"]["head"]
    cases.perform(session, workflows, head, case.id, "record_minutes",
                  {**MINUTES, "attendance": "absent_no_reason"}, at(12), documents=shipped)
    assert "Vắng mặt không có lý do chính đáng" in _text(_docs(session, case, "dialogue_minutes")[0])
    cases.perform(session, workflows, head, case.id, "draft_decision", {}, at(13))
    assert case.state == "drafting"
