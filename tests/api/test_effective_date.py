"""The API action body carries the date an action took effect (issue #13, item 4)."""
from __future__ import annotations

from .conftest import complaint_body

LATE = "Nhập muộn: quyết định giao xác minh ký ngày 14/11"


def accepted(api, org) -> dict:
    case = api("reception").post("/cases", complaint_body(received_at="2026-11-10T08:00:00")).json
    resp = api("head").post(f"/cases/{case['id']}/actions/accept",
                            {"fields": {"decision_date": "2026-11-12"}})
    assert resp.status_code == 200, resp.json
    return resp.json


def test_an_undated_action_entered_late_keeps_its_date_and_a_later_report_is_accepted(api, org):
    case = accepted(api, org)
    verify = next(a for a in case["actions"] if a["trigger"] == "verify")
    assert [f["name"] for f in verify["fields"]][-2:] == ["effective_on", "effective_reason"]
    resp = api("head").post(f"/cases/{case['id']}/actions/verify",
                            {"fields": {"verifier": "Tổ 1"}, "effective_on": "2026-11-14", "effective_reason": LATE,
                             "version": case["version"]})
    assert resp.status_code == 200, resp.json
    resp = api("handler").post(f"/cases/{case['id']}/actions/verification_report",
                               {"fields": {"report_date": "2026-11-18", "summary": "Đúng một phần"}})
    assert resp.status_code == 200, resp.json
    events = api("handler").get(f"/cases/{case['id']}/events").json["items"]
    verify_event = next(e for e in events if e["action"] == "verify")
    assert verify_event["legal_date"] == "2026-11-14"
    assert verify_event["payload"]["fields"]["effective_reason"] == LATE
    assert next(e for e in events if e["action"] == "verification_report")["legal_date"] == "2026-11-18"


def test_the_effective_date_may_also_come_among_the_fields(api, org):
    case = accepted(api, org)
    resp = api("head").post(f"/cases/{case['id']}/actions/verify",
                            {"fields": {"verifier": "Tổ 1", "effective_on": "2026-11-13", "effective_reason": LATE}})
    assert resp.status_code == 200, resp.json
    events = api("head").get(f"/cases/{case['id']}/events").json["items"]
    assert events[-1]["legal_date"] == "2026-11-13"


def test_refusals_are_json_errors_naming_the_field(api, org):
    case = accepted(api, org)
    url = f"/cases/{case['id']}/actions/verify"
    resp = api("head").post(url, {"fields": {"verifier": "Tổ 1"}, "effective_on": "2026-11-14"})
    assert resp.status_code == 400 and resp.json["error"]["fields"][0]["field"] == "effective_reason"
    assert "Lý do" in resp.json["error"]["message"]
    resp = api("head").post(url, {"fields": {"verifier": "Tổ 1"}, "effective_on": "2026-11-26"})
    assert resp.status_code == 400 and resp.json["error"]["fields"][0]["field"] == "effective_on"
    resp = api("head").post(url, {"fields": {"verifier": "Tổ 1"}, "effective_on": "2026-11-11",
                                  "effective_reason": LATE})
    assert resp.status_code == 400 and "12/11/2026" in resp.json["error"]["message"]
    resp = api("head").post(url, {"fields": {"verifier": "Tổ 1"}, "effective_on": "không phải ngày"})
    assert resp.status_code == 400
    assert api("head").get(f"/cases/{case['id']}/events").json["items"][-1]["action"] == "accept"


def test_openapi_documents_the_effective_date(client):
    doc = client.get("/api/v1/openapi.json").json
    props = doc["components"]["schemas"]["ActionRequest"]["properties"]
    assert props["effective_on"]["anyOf"][0]["format"] == "date" and "effective_reason" in props
