"""The documents' names follow the page's language: the manifest's label_en on an English page."""
from __future__ import annotations

from sqlalchemy import select

from config import ROOT
from dvflow.models import Document

from .helpers import make_case

SHIPPED = ROOT / "workflows" / "documents"


def test_the_document_names_follow_the_page_language(app, session, org, login):
    app.config["DOCUMENTS_DIR"] = str(SHIPPED)
    case = make_case(app, session, org)
    head = login("head")
    resp = head.post(f"/ho-so/{case.id}/thao-tac/accept", {"decision_date": "2026-11-25", "version": case.version},
                     token_from=f"/ho-so/{case.id}")
    assert resp.status_code == 302
    doc = session.scalars(select(Document).where(Document.case_id == case.id)).one()
    assert "Thông báo về việc thụ lý giải quyết khiếu nại" in head.get(f"/ho-so/{case.id}").get_data(as_text=True)
    head.get("/ngon-ngu/en")
    for page in (f"/ho-so/{case.id}", f"/van-ban/{case.id}/{doc.id}"):
        html = head.get(page).get_data(as_text=True)
        assert "Notice of acceptance of a complaint" in html, page
        assert "Thông báo về việc thụ lý giải quyết khiếu nại" not in html, page


def test_the_templates_page_names_the_types_in_english(app, org, login):
    app.config["DOCUMENTS_DIR"] = str(SHIPPED)
    admin = login("admin")
    admin.get("/ngon-ngu/en")
    html = admin.get("/van-ban/mau").get_data(as_text=True)
    assert "Notice of acceptance of a complaint" in html and "Thông báo về việc thụ lý giải quyết khiếu nại" not in html
