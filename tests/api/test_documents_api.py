"""The documents of a case through /api/v1: listed, downloaded as DOCX and PDF, need-to-know in a confidential case."""
from __future__ import annotations

import io

import pytest
from documents.fixtures.template import write_documents_dir
from docx import Document as Docx
from sqlalchemy import select

from dvflow.models import AttachmentDownload
from dvflow.services.documents import pdf

from .conftest import complaint_body


@pytest.fixture(autouse=True)
def fixture_templates(app, tmp_path):
    app.config["DOCUMENTS_DIR"] = write_documents_dir(tmp_path / "documents")


def _accepted(api, **body) -> dict:
    case = api("reception").post("/cases", complaint_body(**body)).json
    resp = api("head").post(f"/cases/{case['id']}/actions/accept",
                            {"fields": {"decision_date": "2026-11-25"}, "version": case["version"]})
    assert resp.status_code == 200, resp.json
    return resp.json


def test_list_and_download(api, org, monkeypatch):
    case = _accepted(api)
    listed = api("handler").get(f"/cases/{case['id']}/documents")
    assert listed.status_code == 200 and listed.json["hidden"] is False
    [doc] = listed.json["items"]
    assert doc["type"] == "notice_of_acceptance" and doc["status"] == "issued" and doc["number"] == 1
    assert doc["number_symbol"] == "1/TB-STNMT" and len(doc["sha256"]) == 64
    resp = api("handler").get(f"/cases/{case['id']}/documents/{doc['id']}/docx")
    assert resp.status_code == 200 and resp.mimetype.endswith("wordprocessingml.document")
    cells = [c.text for t in Docx(io.BytesIO(resp.data)).tables for r in t.rows for c in r.cells]
    assert any("Số: 1/TB-STNMT" in c for c in cells)
    # the number filled the action's field
    events = api("handler").get(f"/cases/{case['id']}/events").json["items"]
    assert next(e for e in events if e["action"] == "accept")["payload"]["fields"]["decision_number"] == "1/TB-STNMT"
    monkeypatch.setattr(pdf, "soffice", lambda: None)
    missing = api("handler").get(f"/cases/{case['id']}/documents/{doc['id']}/pdf")
    assert missing.status_code == 503 and "LibreOffice" in missing.json["error"]["message"]
    assert api("other_head").get(f"/cases/{case['id']}/documents").status_code == 404
    assert api("other_head").get(f"/cases/{case['id']}/documents/{doc['id']}/docx").status_code == 404
    assert api(None).get(f"/cases/{case['id']}/documents").status_code == 401


def test_a_confidential_case_s_documents_are_need_to_know_and_downloads_recorded(api, org, session):
    case = _accepted(api, kind="denunciation", parties=[{"role": "denouncer", "name": "Người Bí Mật"},
                                                        {"role": "accused", "name": "Ông Bị Tố"}])
    hidden = api("handler").get(f"/cases/{case['id']}/documents")
    assert hidden.json == {"items": [], "hidden": True}
    [doc] = api("head").get(f"/cases/{case['id']}/documents").json["items"]
    assert api("handler").get(f"/cases/{case['id']}/documents/{doc['id']}/docx").status_code == 403
    resp = api("head").get(f"/cases/{case['id']}/documents/{doc['id']}/docx")
    assert resp.status_code == 200
    text = "\n".join(p.text for p in Docx(io.BytesIO(resp.data)).paragraphs)
    assert "Người Bí Mật" not in text and "(được giữ bí mật)" in text
    [download] = session.scalars(select(AttachmentDownload)).all()
    assert (download.user_id, download.case_id) == (org["users"]["head"].id, case["id"])


def test_the_openapi_document_lists_the_document_routes(api):
    paths = api(None).get("/openapi.json").json["paths"]
    assert "/api/v1/cases/{case_id}/documents" in paths
    pdf_op = paths["/api/v1/cases/{case_id}/documents/{document_id}/pdf"]["get"]
    assert "application/pdf" in pdf_op["responses"]["200"]["content"] and "503" in pdf_op["responses"]


def test_the_api_offers_the_number_of_an_issuing_action_as_optional(api):
    case = api("reception").post("/cases", complaint_body()).json
    accept = next(a for a in api("head").get(f"/cases/{case['id']}").json["actions"] if a["trigger"] == "accept")
    number = next(f for f in accept["fields"] if f["name"] == "decision_number")
    assert number["required"] is False  # the series gives it, as the case page says


def test_a_head_revokes_an_issued_document(api, org):
    case = _accepted(api)
    [doc] = api("head").get(f"/cases/{case['id']}/documents").json["items"]
    url = f"/cases/{case['id']}/documents/{doc['id']}/revoke"
    body = {"reason": "Gửi nhầm địa chỉ người khiếu nại", "reference": "Quyết định số 15/QĐ-STNMT"}
    assert api("handler").post(url, body).status_code == 403
    missing = api("head").post(url, {"reason": body["reason"], "reference": ""})
    assert missing.status_code == 400 and missing.json["error"]["fields"][0]["field"] == "reference"
    done = api("head").post(url, body)
    assert done.status_code == 200 and done.json["revoke_reference"] == body["reference"]
    [listed] = api("handler").get(f"/cases/{case['id']}/documents").json["items"]
    assert listed["status"] == "issued" and listed["revoked_at"] and listed["revoke_reason"] == body["reason"]
    assert api("head").post(url, body).status_code == 409
    events = api("handler").get(f"/cases/{case['id']}/events").json["items"]
    assert any(e["action"] == "revoke_document" for e in events)
