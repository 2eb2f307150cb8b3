"""PATCH /cases/{id} corrects the intake data, POST /cases/{id}/void voids a case (issue #13, item 3)."""
from __future__ import annotations

from .conftest import complaint_body

REASON = "Cán bộ nhập sai khi tiếp nhận"


def patch(api, user: str, case_id: int, body: dict):
    return api(user).client.patch(f"/api/v1/cases/{case_id}", json=body, headers=api(user)._headers())


def new_case(api, **overrides) -> dict:
    resp = api("reception").post("/cases", complaint_body(received_at="2026-11-16T08:00:00", **overrides))
    assert resp.status_code == 201, resp.json
    return resp.json


def test_a_correction_changes_the_case_and_appears_in_its_events(api, org):
    case = new_case(api)
    party = case["parties"][0]
    resp = patch(api, "reception", case["id"], {
        "reason": REASON, "subject": "Khiếu nại quyết định bồi thường", "version": case["version"],
        "parties": [{"id": party["id"], "name": "Lê Văn Cường B", "phone": "0912345678"},
                    {"role": "respondent", "name": "Chủ tịch UBND huyện"}]})
    assert resp.status_code == 200, resp.json
    body = resp.json
    assert body["subject"] == "Khiếu nại quyết định bồi thường" and body["version"] > case["version"]
    assert {p["name"] for p in body["parties"]} == {"Lê Văn Cường B", "Chủ tịch UBND huyện"}
    assert ("subject", "Khiếu nại quyết định thu hồi đất") in {(c["field"], c["old"]) for c in body["changes"]}
    assert not body["recomputed"] and body["message"] == "Đã sửa thông tin tiếp nhận."
    events = api("handler").get(f"/cases/{case['id']}/events").json["items"]
    fields = [(e["label"], e["payload"]["field"]) for e in events if e["action"] == "correct"]
    assert ("Sửa thông tin tiếp nhận", "subject") in fields and ("Sửa thông tin tiếp nhận", "phone") in fields
    phone = next(e["payload"] for e in events if e["action"] == "correct" and e["payload"]["field"] == "phone")
    assert phone["withheld"] and phone["old"] is None and phone["new"] is None  # no identity value in the history
    assert {(c["field"], c["withheld"]) for c in body["changes"]} >= {("phone", True), ("subject", False)}
    assert "0912345678" not in str(events) and "Lê Văn Cường B" not in str(events)
    assert all(e["payload"]["reason"] == REASON for e in events if e["action"] == "correct")
    assert api("handler").get("/cases?q=boi thuong").json["total"] == 1


def test_a_corrected_received_date_recomputes_the_clocks_and_says_so(api, org):
    case = new_case(api)
    old_due = case["clocks"][0]["due_date"]
    resp = patch(api, "reception", case["id"], {"reason": REASON, "received_at": "2026-11-13T15:00:00"})
    assert resp.status_code == 200, resp.json
    body = resp.json
    assert body["received_at"] == "2026-11-13T08:00:00+00:00"
    assert body["recomputed"][0]["old_due_date"] == old_due
    assert body["clocks"][0]["due_date"] == body["recomputed"][0]["new_due_date"] != old_due
    assert body["message"].startswith("Đã sửa thông tin tiếp nhận. Đã tính lại thời hạn: Thời hạn thụ lý: ")
    events = api("handler").get(f"/cases/{case['id']}/events").json["items"]
    assert events[-1]["action"] == "recompute_due" and events[-1]["label"] == "Tính lại thời hạn"


def test_refusals_are_json_errors_naming_the_field(api, org):
    case = new_case(api)
    cases = [({"reason": "ngắn", "subject": "X mới"}, 400, "reason"),
             ({"reason": REASON, "subject": "x" * 600}, 400, "subject"),
             ({"reason": REASON, "parties": [{"role": "complainant", "name": "A", "identity_number": "9" * 66}]},
              400, "parties[0].identity_number"),
             ({"reason": REASON, "received_at": "2026-12-30T08:00:00"}, 400, "received_at"),
             ({"reason": REASON, "subject": "Khác", "version": case["version"] + 3}, 409, None)]
    for body, status, field in cases:
        resp = patch(api, "reception", case["id"], body)
        assert resp.status_code == status, (body, resp.json)
        assert resp.json["error"]["message"]
        if field:
            assert resp.json["error"]["fields"][0]["field"] == field
    assert patch(api, "supervisor", case["id"], {"reason": REASON, "subject": "Khác"}).status_code == 403
    assert patch(api, "other_head", case["id"], {"reason": REASON, "subject": "Khác"}).status_code == 404
    events = api("handler").get(f"/cases/{case['id']}/events").json["items"]
    assert [e["action"] for e in events] == ["register"]


def test_a_confidential_party_correction_is_redacted_in_the_events(api, org):
    case = new_case(api, kind="denunciation", parties=[{"role": "denouncer", "name": "Người Bí Mật"}])
    resp = patch(api, "head", case["id"], {"reason": REASON,
                                           "parties": [{"id": case["parties"][0]["id"], "name": "Tên Bí Mật Mới"}]})
    assert resp.status_code == 200, resp.json
    assert resp.json["changes"][0]["redacted"] and resp.json["changes"][0]["old"] is None
    assert "Bí Mật" not in resp.get_data(as_text=True)
    events = api("handler").get(f"/cases/{case['id']}/events")
    assert "Bí Mật" not in events.get_data(as_text=True)


def test_a_head_voids_a_case_and_it_leaves_the_list(api, org):
    original, case = new_case(api, subject="Đơn gốc"), new_case(api, subject="Đơn trùng")
    assert api("handler").post(f"/cases/{case['id']}/void", {"reason": REASON}).status_code == 403
    resp = api("head").post(f"/cases/{case['id']}/void", {"reason": REASON, "duplicate_of": original["tracking_code"],
                                                          "version": case["version"]})
    assert resp.status_code == 200, resp.json
    body = resp.json
    assert body["voided"] and body["void_reason"] == REASON and body["duplicate_of_id"] == original["id"]
    assert body["actions"] == [] and all(c["closed"] for c in body["clocks"])
    assert {c["id"] for c in api("head").get("/cases").json["items"]} == {original["id"]}
    assert api("head").get("/cases?show_voided=true").json["total"] == 2
    assert api("head").get(f"/cases/{case['id']}").json["voided"]  # kept, and still found by its id
    events = api("head").get(f"/cases/{case['id']}/events").json["items"]
    assert events[-1]["action"] == "void" and events[-1]["label"] == "Hủy hồ sơ"
    again = api("head").post(f"/cases/{case['id']}/actions/accept",
                             {"fields": {"decision_number": "1", "decision_date": "2026-11-20"}})
    assert again.status_code == 409 and "đã bị hủy" in again.json["error"]["message"]
    assert patch(api, "head", case["id"], {"reason": REASON, "subject": "Khác"}).status_code == 409
    track = api(None).post("/public/track", {"tracking_code": case["tracking_code"],
                                             "secret": case["tracking_secret"]}).json
    assert track["voided"] and track["status_label"] == "Hồ sơ đã bị hủy" and not track["deadlines"]


def test_void_errors_name_the_field(api, org):
    case = new_case(api)
    resp = api("head").post(f"/cases/{case['id']}/void", {"reason": "ngắn"})
    assert resp.status_code == 400 and resp.json["error"]["fields"][0]["field"] == "reason"
    resp = api("head").post(f"/cases/{case['id']}/void", {"reason": REASON, "duplicate_of": "KN-1999-000001"})
    assert resp.status_code == 400 and resp.json["error"]["fields"][0]["field"] == "duplicate_of"


def test_openapi_documents_correction_and_voiding(client):
    doc = client.get("/api/v1/openapi.json").json
    patch_op = doc["paths"]["/api/v1/cases/{case_id}"]["patch"]
    assert patch_op["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/CasePatch")
    assert {"400", "403", "404", "409"} <= set(patch_op["responses"])
    assert "/api/v1/cases/{case_id}/void" in doc["paths"]
    assert "voided" in doc["components"]["schemas"]["CaseOut"]["properties"]


def test_a_party_not_of_the_case_or_without_a_role_is_a_400_naming_the_field(api, org):
    """An id of the body that is not found is bad input like any other (it answered a 404 naming no field), and a
    new party without a role is told to choose one (the message showed an empty role after a colon)."""
    case = new_case(api)
    stranger = patch(api, "reception", case["id"], {"reason": REASON, "parties": [{"id": 2147483647, "name": "B"}]})
    assert stranger.status_code == 400, stranger.json
    assert stranger.json["error"]["fields"] == [{"field": "parties[0].id",
                                                 "message": "Đương sự thứ 1 không thuộc hồ sơ này."}]
    no_role = patch(api, "reception", case["id"], {"reason": REASON, "parties": [{"name": "B"}]})
    assert no_role.status_code == 400, no_role.json
    assert no_role.json["error"]["fields"] == [{"field": "parties[0].role",
                                                "message": "Chọn vai trò của đương sự thứ 2."}]
