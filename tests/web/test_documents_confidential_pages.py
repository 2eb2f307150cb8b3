"""A confidential case's documents on the pages: each opening of a draft's preview, its PDF or DOCX is recorded; the
receipt DOCX names a denouncer only for who needs to know, and that opening is recorded too."""
from __future__ import annotations

import io

import pytest
from docx import Document as Docx
from sqlalchemy import select

from config import ROOT
from dvflow.models import Document, IdentityAccess
from dvflow.services import cases
from dvflow.services.documents import flow, receipts
from tests.documents.helpers import DRAFT_CONCLUSION

from .helpers import DENOUNCER, make_case

SHIPPED = ROOT / "workflows" / "documents"


@pytest.fixture(autouse=True)
def shipped_templates(app):
    app.config["DOCUMENTS_DIR"] = str(SHIPPED)


def _text(content: bytes) -> str:
    doc = Docx(io.BytesIO(content))
    cells = [p.text for t in doc.tables for r in t.rows for c in r.cells for p in c.paragraphs]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def _log(session, case) -> list[tuple[int, str]]:
    session.expire_all()
    return [(a.user_id, a.reason) for a in session.scalars(
        select(IdentityAccess).where(IdentityAccess.case_id == case.id).order_by(IdentityAccess.id))]


def _denunciation(app, session, org):
    return make_case(app, session, org, kind="denunciation", subject="Tố cáo cán bộ nhận tiền", parties=[DENOUNCER])


def test_each_opening_of_a_confidential_draft_on_the_pages_is_recorded(app, session, org, login):
    case = _denunciation(app, session, org)
    workflows, head = app.extensions["dvflow.workflows"], org["users"]["head"]
    settings = flow.Settings(documents_dir=str(SHIPPED), pdf=False)
    now = app.config["NOW"]()
    for action, fields in [("accept", {}), ("verify", {"verifier": "Tổ xác minh", "identity_removed": True}),
                           ("verification_report", {"summary": "Kết quả xác minh", "report_date": "2026-11-25"}), ("draft_decision", {}),
                           ("submit", {"note": "Trình ký", **DRAFT_CONCLUSION})]:
        cases.perform(session, workflows, head, case.id, action, fields, now, documents=settings)
    draft = session.scalars(select(Document).where(Document.case_id == case.id, Document.status == "draft")).one()
    client = login("head")
    assert client.get(f"/van-ban/{case.id}/{draft.id}").status_code == 200
    assert client.get(f"/van-ban/{case.id}/{draft.id}.docx").status_code == 200
    reason = "Mở văn bản «Kết luận nội dung tố cáo» (dự thảo)"
    assert _log(session, case) == [(head.id, reason), (head.id, reason)]
    assert login("handler").get(f"/van-ban/{case.id}/{draft.id}.docx").status_code == 403
    assert len(_log(session, case)) == 2


@pytest.mark.parametrize("user, named", [("head", True), ("reception", True), ("handler", False)])
def test_the_receipt_docx_names_the_denouncer_only_for_who_needs_to_know(app, session, org, login, user, named):
    case = _denunciation(app, session, org)
    resp = login(user).get(f"/van-ban/{case.id}/giay-bien-nhan.docx")
    assert resp.status_code == 200
    assert (DENOUNCER.name in _text(resp.data)) is named
    assert _log(session, case) == ([(org["users"][user].id, receipts.OPENED)] if named else [])


def test_the_denouncers_own_copy_downloaded_from_the_case_files_is_a_look_at_their_identity(app, session, org,
                                                                                              login):
    """The issued notice to the denouncer (Mẫu 05) is attached to the case's files; its download from the case page
    (/ho-so/<id>/tep/<attachment>) is recorded as its opening at /van-ban/… is."""
    case = _denunciation(app, session, org)
    workflows, head = app.extensions["dvflow.workflows"], org["users"]["head"]
    settings, now = flow.settings_from(app.config), app.config["NOW"]()
    for action, fields in [("accept", {}), ("notify_acceptance", {"sent_on": now.date().isoformat()})]:
        cases.perform(session, workflows, head, case.id, action, fields, now, documents=settings)
    notice = session.scalars(select(Document).where(Document.case_id == case.id,
                                                    Document.type == "denunciation_acceptance_notice")).one()
    assert login("head").get(f"/ho-so/{case.id}/tep/{notice.attachment_id}").status_code == 200
    assert _log(session, case) == [(head.id, f"Mở văn bản «Thông báo về việc thụ lý tố cáo» {notice.number_symbol}")]
