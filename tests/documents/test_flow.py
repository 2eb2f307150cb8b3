"""Documents drafted, returned and issued by a case's actions: numbered per unit/series/year, frozen, attached."""
from __future__ import annotations

import hashlib
import io

import pytest
from docx import Document as Docx
from sqlalchemy import func, select

from dvflow.models import Attachment, Document, DocumentSeries, Notification
from dvflow.services import cases
from dvflow.services.documents import flow, generate
from dvflow.services.errors import Conflict, ServiceError

from .helpers import DRAFT_FIRST, accept, at, new_complaint, submitted


def _text(content: bytes) -> str:
    doc = Docx(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def _docs(session, case):
    return list(session.scalars(select(Document).where(Document.case_id == case.id).order_by(Document.id)))


def test_accept_issues_the_notice_numbered_frozen_and_attached(session, workflows, org, doc_settings):
    case = new_complaint(session, workflows, org)
    accept(session, workflows, org, case, doc_settings)
    [doc] = _docs(session, case)
    assert (doc.type, doc.status, doc.number, doc.year) == ("notice_of_acceptance", "issued", 1, 2026)
    assert doc.number_symbol == f"1/TB-{org['dept'].code}"
    assert doc.sha256 == hashlib.sha256(doc.content).hexdigest()
    text = _text(doc.content)
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", f"Số: {doc.number_symbol}",
                     "Nguyễn Văn An", "Trần Thị Bình", "ngày 04 tháng 11 năm 2026", "02/11/2026",
                     case.tracking_code, org["dept"].name.upper()):
        assert expected in text
    assert "DỰ THẢO" not in text
    # the number and the date filled the action's fields (the history records them)
    from dvflow.models import CaseEvent

    fields = session.scalars(select(CaseEvent.payload).where(CaseEvent.case_id == case.id,
                                                             CaseEvent.action == "accept")).one()["fields"]
    assert fields["decision_number"] == doc.number_symbol and fields["decision_date"] == "2026-11-04"
    attachment = session.get(Attachment, doc.attachment_id)
    assert attachment.case_id == case.id and attachment.sha256 == doc.sha256


def test_numbers_are_consecutive_per_unit_series_and_year(session, workflows, org, doc_settings):
    numbers = []
    for _ in range(3):
        case = new_complaint(session, workflows, org)
        accept(session, workflows, org, case, doc_settings)
        numbers.append(_docs(session, case)[0].number)
    assert numbers == [1, 2, 3]
    series = session.scalars(select(DocumentSeries)).all()
    assert [(s.type, s.year, s.last) for s in series] == [("register:TB", 2026, 3)]  # the unit's TB register


def test_a_failed_generation_leaves_the_case_and_the_numbering_unchanged(session, workflows, org, doc_settings,
                                                                         monkeypatch):
    first = new_complaint(session, workflows, org)
    accept(session, workflows, org, first, doc_settings)
    case = new_complaint(session, workflows, org)

    def broken(template, context):
        raise ServiceError("Không tạo được văn bản từ mẫu: hỏng. Hồ sơ chưa thay đổi.")

    monkeypatch.setattr(generate, "render_docx", broken)
    savepoint = session.begin_nested()
    with pytest.raises(ServiceError, match="Hồ sơ chưa thay đổi"):
        accept(session, workflows, org, case, doc_settings)
    savepoint.rollback()  # what the request layer does with a failed use case
    session.expire_all()
    assert session.get(type(case), case.id).state == "received"
    assert session.scalar(select(DocumentSeries.last)) == 1
    monkeypatch.undo()
    accept(session, workflows, org, case, doc_settings)
    assert _docs(session, case)[0].number == 2  # no gap


def test_a_failed_pdf_conversion_leaves_the_numbering_unchanged(session, workflows, org, doc_settings, monkeypatch):
    from dvflow.services.documents import pdf

    def failing(docx, timeout=0):
        raise ServiceError("Không chuyển được văn bản sang PDF; chưa ban hành, thử lại sau.")

    monkeypatch.setattr(pdf, "available", lambda: True)
    monkeypatch.setattr(pdf, "to_pdf", failing)
    settings = flow.Settings(doc_settings.documents_dir, doc_settings.files, pdf=True)
    case = new_complaint(session, workflows, org)
    savepoint = session.begin_nested()
    with pytest.raises(ServiceError, match="PDF"):
        accept(session, workflows, org, case, settings)
    savepoint.rollback()
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(DocumentSeries)) == 0
    assert session.scalar(select(func.count()).select_from(Document)) == 0
    assert session.get(type(case), case.id).state == "received"


def test_the_draft_is_generated_on_submit_returned_and_issued_once(session, workflows, org, doc_settings):
    case = submitted(session, workflows, org, doc_settings)
    head = org["users"]["head"]
    draft = [d for d in _docs(session, case) if d.type == "complaint_decision_first"][0]
    assert draft.status == "draft" and draft.number is None
    assert "DỰ THẢO" in _text(draft.content)
    cases.perform(session, workflows, head, case.id, "return", {"reason": "Sửa phần căn cứ"}, at(6),
                  documents=doc_settings)
    assert (draft.status, draft.comments) == ("returned", "Sửa phần căn cứ")
    cases.perform(session, workflows, head, case.id, "submit", DRAFT_FIRST, at(7), documents=doc_settings)
    assert draft.status == "draft"  # regenerated, the same row
    cases.perform(session, workflows, head, case.id, "approve", {}, at(8), documents=doc_settings)
    cases.perform(session, workflows, head, case.id, "issue_decision", {"result": "right"}, at(9),
                  documents=doc_settings)
    # the fixture manifest prints TB on every type: the acceptance notice took 1 of the unit's one TB register
    assert draft.status == "issued" and draft.number == 2 and draft.issued_by_id == head.id
    assert "DỰ THẢO" not in _text(draft.content) and f"Số: {draft.number_symbol}" in _text(draft.content)
    decisions = [d for d in _docs(session, case) if d.type == "complaint_decision_first"]
    assert decisions == [draft]
    # the same document is not issued again
    pending = flow.Pending(transition=workflows.for_case(case, session).transition("issue_decision", "approved"),
                           dtype=flow.templates.document_type(doc_settings.documents_dir, draft.type), on=draft
                           .issued_at.date(), number=2, symbol=draft.symbol)
    with pytest.raises(Conflict, match="đã được ban hành"):
        flow.issue(session, doc_settings, workflows.for_case(case, session), head, case, draft, {}, pending, at(10))


def test_a_citizen_with_an_e_mail_address_is_told(session, workflows, org, doc_settings):
    case = new_complaint(session, workflows, org, email="an@example.vn")
    accept(session, workflows, org, case, doc_settings)
    doc = _docs(session, case)[0]
    [mail] = session.scalars(select(Notification).where(Notification.party_id.is_not(None))).all()
    assert doc.number_symbol in mail.body and mail.case_id == case.id and mail.document_id == doc.id


def test_an_organisation_that_complains_is_told_as_a_body(session, workflows, org, doc_settings):
    """The e-mail with an issued document addresses a complaining company as "Quý cơ quan, tổ chức", a person as
    "ông/bà" (the test above's complainant)."""
    case = new_complaint(session, workflows, org, email="an@example.vn")
    company = next(cp.party for cp in case.parties if cp.role == "complainant")
    company.kind, company.name = "organisation", "Công ty cổ phần Hòa Bình"
    accept(session, workflows, org, case, doc_settings)
    [mail] = session.scalars(select(Notification).where(Notification.party_id.is_not(None))).all()
    assert "gửi đến Quý cơ quan, tổ chức theo đường bưu chính" in mail.body and "ông/bà" not in mail.body
    assert mail.subject.endswith("của Quý cơ quan, tổ chức")


def test_the_citizen_receives_the_issued_document_attached(session, workflows, org, doc_settings, smtp_server):
    from email import message_from_bytes, policy

    from dvflow.notify.dispatcher import dispatch_batch
    from dvflow.notify.email import MailSettings

    case = new_complaint(session, workflows, org, email="an@example.vn")
    accept(session, workflows, org, case, doc_settings)
    doc = _docs(session, case)[0]
    settings = MailSettings(host="127.0.0.1", port=smtp_server.port, sender="dvflow@stnmt.example.vn", timeout=5)
    report = dispatch_batch(session, now=at(5), settings=settings)
    assert report.sent
    [envelope] = [e for e in smtp_server.handler.envelopes if e.rcpt_tos == ["an@example.vn"]]
    msg = message_from_bytes(envelope.original_content, policy=policy.default)
    [part] = list(msg.iter_attachments())
    assert part.get_filename().endswith(".docx") and part.get_content() == doc.content


def test_without_settings_no_document_is_made(session, workflows, org):
    case = new_complaint(session, workflows, org)
    cases.perform(session, workflows, org["users"]["head"], case.id, "accept",
                  {"decision_number": "07", "decision_date": "2026-11-04"}, at(4))
    assert _docs(session, case) == []


def test_the_number_and_symbol_finds_the_case(session, workflows, org, doc_settings):
    from dvflow.services.cases import queries

    case = new_complaint(session, workflows, org)
    other = new_complaint(session, workflows, org)
    accept(session, workflows, org, case, doc_settings)
    accept(session, workflows, org, other, doc_settings)
    number = _docs(session, case)[0].number_symbol
    found = session.scalars(queries.case_query(session, org["users"]["head"], q=number.lower())).all()
    assert [c.id for c in found] == [case.id]
