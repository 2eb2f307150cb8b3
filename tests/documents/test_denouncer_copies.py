"""A denouncer's identity in the documents (Luật Tố cáo 2018, Điều 47 khoản 1 điểm b): the denouncer's own copy
(the notice of acceptance, Mẫu 05, or of refusal; the receipt) names them; every copy for anyone else withholds the
name. A confidential case's documents open only for who may reveal the denouncer, and every opening, of a draft or
a preview too, is recorded in the case's access log."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from config import ROOT
from dvflow.models import AttachmentDownload, IdentityAccess
from dvflow.services.cases import confidentiality
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.services.documents import context, flow, reading, receipts
from dvflow.services.errors import Forbidden

from .helpers import DRAFT_CONCLUSION, act, at, docs_of, docx_text, new_complaint

SHIPPED = str(ROOT / "workflows" / "documents")
DENOUNCER, ACCUSED = "Phan Văn Kín", "Trần Thị Bị"


@pytest.fixture
def shipped(tmp_path) -> flow.Settings:
    return flow.Settings(documents_dir=SHIPPED, files=str(tmp_path / "f"), pdf=False)





def _denunciation(session, workflows, org):
    data = IntakeInput(kind="denunciation", unit_id=org["dept"].id, channel="letter", received_at=at(2, 9),
                       subject="Tố cáo cán bộ địa chính nhận tiền", content="Nội dung đơn tố cáo",
                       parties=[PartyInput(role="denouncer", name=DENOUNCER, address="5 Hai Bà Trưng, An Phú"),
                                PartyInput(role="accused", name=ACCUSED)])
    return register_case(session, workflows, org["users"]["reception"], data, at(2))


def _log(session, case) -> list[tuple[int, int, str]]:
    return [(a.user_id, a.party_id, a.reason) for a in session.scalars(
        select(IdentityAccess).where(IdentityAccess.case_id == case.id).order_by(IdentityAccess.id))]


def _downloads(session, case) -> int:
    return session.scalar(select(func.count()).select_from(AttachmentDownload)
                          .where(AttachmentDownload.case_id == case.id))


def _denouncer_id(case) -> int:
    return next(cp.party_id for cp in case.parties if cp.role == "denouncer")


def _accepted_and_told(session, workflows, org, shipped):
    """A denunciation accepted (its decision, Mẫu 04) and the denouncer told (the notice, Mẫu 05)."""
    case = _denunciation(session, workflows, org)
    act(session, workflows, org, case, "accept", {"decision_date": "2026-11-04"}, at(4), shipped)
    act(session, workflows, org, case, "notify_acceptance", {"sent_on": "2026-11-05"}, at(5, 9), shipped)
    return case


def test_the_denouncers_own_notice_is_addressed_to_them(session, workflows, org, shipped):
    case = _accepted_and_told(session, workflows, org, shipped)
    [notice] = docs_of(session, case, "denunciation_acceptance_notice")
    text = docx_text(notice.content)
    assert f"Kính gửi: ông (bà) {DENOUNCER}." in text and context.WITHHELD not in text


def test_the_denouncers_refusal_notice_is_addressed_to_them(session, workflows, org, shipped):
    case = _denunciation(session, workflows, org)
    act(session, workflows, org, case, "refuse", {"decision_date": "2026-11-04", "ground": "conditions_unmet",
                                                 "reason": "Không có nội dung cụ thể"}, at(4), shipped)
    [notice] = docs_of(session, case, "denunciation_refusal_notice")
    assert f"Kính gửi: ông (bà) {DENOUNCER}." in docx_text(notice.content)


def test_every_other_copy_withholds_the_denouncer(session, workflows, org, shipped):
    case = _denunciation(session, workflows, org)
    act(session, workflows, org, case, "accept", {"decision_date": "2026-11-04"}, at(4), shipped)
    act(session, workflows, org, case, "suspend", {"decision_date": "2026-11-05", "ground": "awaiting_other_body"},
        at(5), shipped)
    [decision] = docs_of(session, case, "suspension_decision")
    assert DENOUNCER not in docx_text(decision.content)


def test_only_who_may_reveal_opens_the_own_copy_and_each_opening_is_recorded(session, workflows, org, shipped):
    case = _accepted_and_told(session, workflows, org, shipped)
    [notice] = docs_of(session, case, "denunciation_acceptance_notice")
    with pytest.raises(Forbidden):
        reading.open_document(session, org["users"]["handler"], notice.id, at(5), documents_dir=SHIPPED)
    assert _log(session, case) == [] and _downloads(session, case) == 0
    head = org["users"]["head"]
    for hour in (10, 11):
        assert reading.open_document(session, head, notice.id, at(5, hour), documents_dir=SHIPPED) is notice
    reason = f"Mở văn bản «Thông báo về việc thụ lý tố cáo» {notice.number_symbol}"
    assert _log(session, case) == [(head.id, _denouncer_id(case), reason)] * 2
    assert _downloads(session, case) == 2  # its file is a case attachment: each opening is a download too
    [reveal] = [r for r in confidentiality.access_log(session, head, case.id) if r["kind"] == "reveal"][:1]
    assert reveal["reason"] == reason and reveal["role"] == "denouncer"


def test_each_opening_of_a_confidential_cases_draft_is_recorded(session, workflows, org, shipped):
    case = _denunciation(session, workflows, org)
    for action, fields, when in [
            ("accept", {"decision_date": "2026-11-04"}, at(4)),
            ("verify", {"verifier": "Tổ xác minh", "identity_removed": True}, at(4, 11)),
            ("verification_report", {"report_date": "2026-11-10", "summary": "Kết quả xác minh"}, at(10)),
            ("draft_decision", {}, at(11)), ("submit", {"note": "Trình ký", **DRAFT_CONCLUSION}, at(11, 11))]:
        act(session, workflows, org, case, action, fields, when, shipped)
    [draft] = docs_of(session, case, "denunciation_conclusion")
    assert draft.status == "draft" and draft.attachment_id is None
    head = org["users"]["head"]
    reading.open_document(session, head, draft.id, at(12), case_id=case.id, documents_dir=SHIPPED)
    reading.open_document(session, head, draft.id, at(12, 11), case_id=case.id)  # a face without the manifest
    assert _log(session, case) == [
        (head.id, _denouncer_id(case), "Mở văn bản «Kết luận nội dung tố cáo» (dự thảo)"),
        (head.id, _denouncer_id(case), "Mở văn bản «denunciation_conclusion» (dự thảo)")]
    assert DENOUNCER not in docx_text(draft.content)  # the conclusion goes to the accused: it withholds the denouncer


def test_an_issued_document_of_a_confidential_case_is_recorded_as_the_download_of_its_file(session, workflows, org,
                                                                                        shipped):
    case = _denunciation(session, workflows, org)
    act(session, workflows, org, case, "accept", {"decision_date": "2026-11-04"}, at(4), shipped)
    act(session, workflows, org, case, "suspend", {"decision_date": "2026-11-05", "ground": "awaiting_other_body"},
        at(5), shipped)
    [decision] = docs_of(session, case, "suspension_decision")
    reading.open_document(session, org["users"]["head"], decision.id, at(6), documents_dir=SHIPPED)
    assert _downloads(session, case) == 1 and _log(session, case) == []


def test_a_case_that_is_not_confidential_records_no_opening(session, workflows, org, shipped):
    case = new_complaint(session, workflows, org)
    act(session, workflows, org, case, "accept", {"decision_date": "2026-11-04"}, at(4), shipped)
    [notice] = docs_of(session, case, "notice_of_acceptance")
    reading.open_document(session, org["users"]["handler"], notice.id, at(5), documents_dir=SHIPPED)
    assert _log(session, case) == [] and _downloads(session, case) == 0


# --- the receipt -------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("user", ["head", "reception"])
def test_the_receipt_names_the_denouncer_for_who_needs_to_know_and_records_it(session, workflows, org, shipped, user):
    """A head may reveal; the officer who registered the letter had the denouncer in front of them (as the HTML
    receipt, services/reception/receipt.py)."""
    case = _denunciation(session, workflows, org)
    viewer = org["users"][user]
    text = docx_text(receipts.receipt_docx(session, shipped, workflows, case, viewer=viewer, now=at(3)))
    assert DENOUNCER in text and context.WITHHELD not in text
    assert _log(session, case) == [(viewer.id, _denouncer_id(case), receipts.OPENED)]


def test_anyone_else_gets_the_receipt_with_the_denouncer_withheld(session, workflows, org, shipped):
    case = _denunciation(session, workflows, org)
    for viewer in (org["users"]["handler"], None):
        text = docx_text(receipts.receipt_docx(session, shipped, workflows, case, viewer=viewer, now=at(3)))
        assert DENOUNCER not in text and context.WITHHELD in text
    assert _log(session, case) == []
