"""The documents on the case page: issued on accept, the draft shown to the head, downloads, the unit's templates."""
from __future__ import annotations

import io

import pytest
from documents.fixtures.template import template_bytes, write_documents_dir
from docx import Document as Docx
from sqlalchemy import select

from dvflow.models import Document, UnitTemplate
from dvflow.services.documents import pdf

from .helpers import make_case


@pytest.fixture(autouse=True)
def fixture_templates(app, tmp_path):
    app.config["DOCUMENTS_DIR"] = write_documents_dir(tmp_path / "documents")


#: what the draft decision says when submitted (LKN Art 31(2)(e)-(h)), by trigger
DRAFTED = {"draft_decision": {}, "submit": {"result": "right", "legal_basis": "Luật Đất đai 2024",
                                            "disposition": "cancel_all", "resolution": "Hủy bỏ quyết định"}}


def _accept(login, case):
    head = login("head")
    resp = head.post(f"/ho-so/{case.id}/thao-tac/accept", {"decision_date": "2026-11-25", "version": case.version},
                     token_from=f"/ho-so/{case.id}")
    assert resp.status_code == 302, resp.get_data(as_text=True)
    return head


def _submitted_draft(app, session, org, login):
    """A complaint accepted, its decision drafted and submitted by the head through the pages: (case, head, draft)."""
    case = make_case(app, session, org)
    head = _accept(login, case)
    for trigger in ("draft_decision", "submit"):
        session.refresh(case)
        head.post(f"/ho-so/{case.id}/thao-tac/{trigger}", {**DRAFTED[trigger], "version": case.version},
                  token_from=f"/ho-so/{case.id}")
    draft = session.scalars(select(Document).where(Document.case_id == case.id, Document.status == "draft")).one()
    return case, head, draft


def test_accept_on_the_page_issues_the_notice_listed_and_downloadable(app, session, org, login):
    case = make_case(app, session, org)
    head = _accept(login, case)
    doc = session.scalars(select(Document).where(Document.case_id == case.id)).one()
    page = head.get(f"/ho-so/{case.id}").get_data(as_text=True)
    assert 'id="van-ban"' in page and doc.number_symbol in page and "Đã ban hành" in page
    resp = head.get(f"/van-ban/{case.id}/{doc.id}.docx")
    assert resp.status_code == 200 and resp.headers["Content-Disposition"].startswith("attachment")
    text = "\n".join(p.text for t in Docx(io.BytesIO(resp.data)).tables for r in t.rows for c in r.cells
                     for p in c.paragraphs)
    assert f"Số: {doc.number_symbol}" in text
    assert head.get(f"/van-ban/{case.id}/{doc.id + 1000}.docx").status_code == 404


def test_a_user_of_another_unit_gets_no_document(app, session, org, login):
    case = make_case(app, session, org)
    _accept(login, case)
    doc = session.scalars(select(Document).where(Document.case_id == case.id)).one()
    assert login("other_head").get(f"/van-ban/{case.id}/{doc.id}.docx").status_code == 404


def test_the_head_sees_the_draft_on_the_approval_page(app, session, org, login, monkeypatch):
    monkeypatch.setattr(pdf, "soffice", lambda: None)  # the HTML preview; the PDF is tested in tests/documents
    case = make_case(app, session, org)
    head = _accept(login, case)
    for trigger in ("draft_decision", "submit"):
        session.refresh(case)
        resp = head.post(f"/ho-so/{case.id}/thao-tac/{trigger}", {**DRAFTED[trigger], "version": case.version},
                         token_from=f"/ho-so/{case.id}")
        assert resp.status_code == 302
    draft = session.scalars(select(Document).where(Document.case_id == case.id,
                                                   Document.status == "draft")).one()
    page = head.get(f"/ho-so/{case.id}").get_data(as_text=True)
    assert "Dự thảo chờ phê duyệt" in page and f"/van-ban/{case.id}/{draft.id}" in page
    preview = head.get(f"/van-ban/{case.id}/{draft.id}").get_data(as_text=True)
    assert "DỰ THẢO" in preview and "chưa cài LibreOffice" in preview and "Nguyễn Văn An" in preview
    resp = head.get(f"/van-ban/{case.id}/{draft.id}.pdf")
    assert resp.status_code == 503 and "chưa cài LibreOffice" in resp.get_data(as_text=True)


def test_the_unit_admin_uploads_a_template_checked_for_unknown_variables(app, session, org, login):
    admin = login("admin")
    page = admin.get("/van-ban/mau")
    assert page.status_code == 200 and "notice_of_acceptance" in page.get_data(as_text=True)
    url = f"/van-ban/mau/{org['province'].id}/notice_of_acceptance"
    bad = admin.post(url, {"file": (io.BytesIO(template_bytes("{{ so_van_ban }}")), "mau.docx")},
                     token_from="/van-ban/mau", content_type="multipart/form-data")
    assert bad.status_code == 400 and "so_van_ban" in bad.get_data(as_text=True)
    assert session.scalars(select(UnitTemplate)).all() == []
    ok = admin.post(url, {"file": (io.BytesIO(template_bytes("Mẫu riêng của tỉnh")), "mau.docx")},
                    token_from="/van-ban/mau", content_type="multipart/form-data")
    assert ok.status_code == 302
    [own] = session.scalars(select(UnitTemplate)).all()
    assert (own.unit_id, own.type, own.filename) == (org["province"].id, "notice_of_acceptance", "mau.docx")


def test_a_damaged_docx_upload_is_refused_on_the_page_not_answered_500(app, session, org, login):
    """A .docx whose word/document.xml is cut short (a damaged or half-copied file) starts as a zip and passes the
    "PK" check; the page refuses it (400) with the message, nothing kept."""
    import zipfile

    src, out = zipfile.ZipFile(io.BytesIO(template_bytes())), io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            dst.writestr(item, data[: len(data) // 2] if item.filename == "word/document.xml" else data)
    resp = login("admin").post(f"/van-ban/mau/{org['province'].id}/notice_of_acceptance",
                               {"file": (io.BytesIO(out.getvalue()), "mau.docx")}, token_from="/van-ban/mau",
                               content_type="multipart/form-data")
    assert resp.status_code == 400 and "không phải tệp Word .docx hợp lệ" in resp.get_data(as_text=True)
    assert session.scalars(select(UnitTemplate)).all() == []


def test_a_template_reading_what_an_earlier_step_recorded_is_uploaded_on_the_page(app, session, org, login):
    """README's own example, `case.record.verification_report.summary`: the page tries it with a record made up
    from the workflows' actions, and keeps it."""
    line = "Kết quả xác minh: {{ case.record.verification_report.summary }}"
    resp = login("admin").post(f"/van-ban/mau/{org['province'].id}/notice_of_acceptance",
                               {"file": (io.BytesIO(template_bytes(line)), "mau.docx")}, token_from="/van-ban/mau",
                               content_type="multipart/form-data")
    assert resp.status_code == 302, resp.get_data(as_text=True)
    assert len(session.scalars(select(UnitTemplate)).all()) == 1


def test_only_an_admin_manages_templates(org, login):
    assert login("head").get("/van-ban/mau").status_code == 403


def test_the_number_of_an_issuing_action_is_left_to_the_series(app, session, org, login):
    case = make_case(app, session, org)
    page = login("head").get(f"/ho-so/{case.id}").get_data(as_text=True)
    field = page[page.index('id="accept-decision_number"') - 200:page.index('id="accept-decision_number"') + 200]
    assert "required" not in field.split('id="accept-decision_number"')[1].split(">")[0]
    assert "do hệ thống cấp theo thứ tự trong sổ văn bản" in page and "không nhận số tự nhập" in page


def test_the_draft_is_regenerated_from_the_case_as_it_is_now(app, session, org, login):
    case, head, draft = _submitted_draft(app, session, org, login)
    session.refresh(case)
    case.subject = "Khiếu nại quyết định bồi thường"  # as a correction would change it
    session.flush()
    resp = head.post(f"/van-ban/{case.id}/{draft.id}/tao-lai", token_from=f"/ho-so/{case.id}")
    assert resp.status_code == 302
    session.refresh(draft)
    text = "\n".join(p.text for p in Docx(io.BytesIO(draft.content)).paragraphs)
    assert "Khiếu nại quyết định bồi thường" in text
    issued = session.scalars(select(Document).where(Document.case_id == case.id, Document.status == "issued")).one()
    head.post(f"/van-ban/{case.id}/{issued.id}/tao-lai", token_from=f"/ho-so/{case.id}")
    session.refresh(issued)
    assert issued.status == "issued" and "Khiếu nại thu hồi đất" in "\n".join(
        p.text for p in Docx(io.BytesIO(issued.content)).paragraphs)
    refused = login("reception").post(f"/van-ban/{case.id}/{draft.id}/tao-lai", token_from=f"/ho-so/{case.id}",
                                      follow_redirects=True)
    assert "Chỉ người xử lý hoặc thủ trưởng" in refused.get_data(as_text=True)
    session.refresh(draft)
    assert draft.created_by_id == org["users"]["head"].id


@pytest.mark.skipif(not pdf.available(), reason="LibreOffice không có: apt-get install libreoffice-writer-nogui")
def test_the_draft_pdf_may_be_framed_by_the_case_page_only(app, session, org, login):
    case, head, draft = _submitted_draft(app, session, org, login)
    page = head.get(f"/ho-so/{case.id}")
    assert '<iframe class="document-preview"' in page.get_data(as_text=True)
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]  # the page itself is never framed
    resp = head.get(f"/van-ban/{case.id}/{draft.id}.pdf")
    assert resp.status_code == 200 and resp.data.startswith(b"%PDF")
    assert resp.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert resp.headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'self'"


def test_a_number_typed_on_the_form_is_refused_with_a_message_not_replaced(app, session, org, login):
    case = make_case(app, session, org)
    head = login("head")
    resp = head.post(f"/ho-so/{case.id}/thao-tac/accept", {"decision_number": "12/TB", "decision_date": "2026-11-25",
                                                             "version": case.version}, token_from=f"/ho-so/{case.id}")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and "Số thông báo thụ lý: để trống." in html and "«12/TB»" in html
    session.expire_all()
    assert session.get(type(case), case.id).state == case.state
    done = head.post(f"/ho-so/{case.id}/thao-tac/accept", {"decision_number": "", "decision_date": "2026-11-25",
                                                            "version": case.version}, token_from=f"/ho-so/{case.id}")
    assert done.status_code == 302
    assert f"1/TB-{org['dept'].code}" in head.get(f"/ho-so/{case.id}").get_data(as_text=True)


def test_a_head_revokes_an_issued_notice_from_its_page(app, session, org, login):
    case = make_case(app, session, org)
    head = _accept(login, case)
    notice = session.scalars(select(Document).where(Document.case_id == case.id, Document.status == "issued")).one()
    page = f"/van-ban/{case.id}/{notice.id}"
    assert 'id="revoke"' in head.get(page).get_data(as_text=True)
    assert 'id="revoke"' not in login("handler").get(page).get_data(as_text=True)
    resp = head.post(f"{page}/thu-hoi", {"reason": "Gửi nhầm địa chỉ người khiếu nại",
                                         "reference": "Quyết định số 15/QĐ-STNMT"}, token_from=page)
    assert resp.status_code == 302
    shown = head.get(page).get_data(as_text=True)
    assert 'id="revoked"' in shown and "Quyết định số 15/QĐ-STNMT" in shown and 'id="revoke"' not in shown
    assert "Đã thu hồi" in head.get(f"/ho-so/{case.id}").get_data(as_text=True)
