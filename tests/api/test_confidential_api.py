"""The API's view of a confidential case: its content, a correction of it and its files' names are for those who
may reveal; the log of reveals and downloads is for heads and supervisors (issue #14, item 1)."""
from __future__ import annotations

import io
import json

from dvflow.services.cases import attachments, reveal_identity

from .conftest import complaint_body

CONTENT = "Ông A nhận tiền tại nhà riêng tối 20/11"
REASON = "Cần liên hệ người tố cáo để bổ sung chứng cứ"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _denunciation(api) -> dict:
    resp = api("reception").post("/cases", complaint_body(
        kind="denunciation", content=CONTENT, parties=[{"role": "denouncer", "name": "Người Bí Mật"},
                                                       {"role": "accused", "name": "Ông Bị Tố"}]))
    assert resp.status_code == 201, resp.json
    return resp.json


def test_content_corrections_and_file_names_are_redacted_for_others(app, api, session, org, tmp_path):
    case = _denunciation(api)
    attachments.add_attachment(session, org["users"]["reception"], case["id"], "loi-khai.pdf", io.BytesIO(PDF),
                               "application/pdf", app.config["NOW"](), tmp_path)
    fixed = api("head").client.patch(f"/api/v1/cases/{case['id']}", headers=api("head")._headers(), json={
        "reason": "Ghi sai nội dung khi tiếp nhận đơn", "content": "Nhận tiền tại trụ sở", "version": case["version"]})
    assert fixed.status_code == 200, fixed.json
    handler = api("handler")
    detail = handler.get(f"/cases/{case['id']}")
    assert detail.json["content"] is None and detail.json["content_redacted"] is True
    events = handler.get(f"/cases/{case['id']}/events")
    body = json.dumps(events.json, ensure_ascii=False)
    assert "loi-khai.pdf" not in body and "trụ sở" not in body and CONTENT not in body
    assert events.headers["Cache-Control"] == "no-store"
    correction = next(e for e in events.json["items"] if e["action"] == "correct")
    assert correction["payload"]["redacted"] is True
    head_events = json.dumps(api("head").get(f"/cases/{case['id']}/events").json, ensure_ascii=False)
    assert "loi-khai.pdf" in head_events and "trụ sở" in head_events
    assert api("head").get(f"/cases/{case['id']}").json["content"] == "Nhận tiền tại trụ sở"


def test_the_access_log_lists_reveals_for_heads_and_supervisors(app, api, session, org):
    case = _denunciation(api)
    party = next(p["id"] for p in case["parties"] if p["role"] == "denouncer")
    reveal_identity(session, org["users"]["head"], case["id"], party, REASON, app.config["NOW"]())
    session.flush()
    for who in ("head", "supervisor"):
        resp = api(who).get(f"/cases/{case['id']}/access-log")
        assert resp.status_code == 200 and resp.headers["Cache-Control"] == "no-store"
        [entry] = resp.json["items"]
        assert entry["kind"] == "reveal" and entry["reason"] == REASON and entry["role"] == "denouncer"
        assert entry["user_id"] == org["users"]["head"].id and entry["at"].endswith("+00:00")
        assert "Người Bí Mật" not in json.dumps(resp.json, ensure_ascii=False)
    assert api("handler").get(f"/cases/{case['id']}/access-log").status_code == 403
    assert api("reception").get(f"/cases/{case['id']}/access-log").status_code == 403
    assert api("other_head").get(f"/cases/{case['id']}/access-log").status_code == 404
