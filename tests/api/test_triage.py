"""Letter triage through the API: every outcome, the links in the case body, the confidential letter, and the
head-only forward of a denunciation (issue #13 item 1)."""
from __future__ import annotations


def letter_body(parties=None, **overrides) -> dict:
    body = {"kind": "triage", "unit": "STNMT", "channel": "letter", "received_at": "2026-11-16T08:00:00",
            "subject": "Đơn về thu hồi đất", "content": "Nội dung đơn",
            "parties": parties or [{"role": "complainant", "name": "Lê Văn Cường", "identity_number": "001086000999",
                                    "email": "cuong@example.test"}]}
    return {**body, **overrides}


DENOUNCER = [{"role": "denouncer", "name": "Phạm Văn Dũng", "identity_number": "079000111222"},
             {"role": "accused", "name": "Ông Bị Tố Cáo"}]


def new_letter(api, parties=None, **overrides) -> dict:
    resp = api("reception").post("/cases", letter_body(parties, **overrides))
    assert resp.status_code == 201, resp.json
    return resp.json


def act(api, user: str, case: dict, trigger: str, fields: dict, status: int = 200) -> dict:
    resp = api(user).post(f"/cases/{case['id']}/actions/{trigger}", {"fields": fields, "version": case["version"]})
    assert resp.status_code == status, (trigger, resp.json)
    return resp.json


def test_hand_off_by_api_links_both_ways_and_counts_from_receipt(api, org):
    doc = new_letter(api)
    doc = act(api, "handler", doc, "classify", {"content_type": "complaint_first", "competent": True})
    assert {c["name"] for c in doc["clocks"] if not c["closed"]} == {"complaint_acceptance"}
    doc = act(api, "handler", doc, "accept", {"target_kind": "complaint_first"})
    assert doc["state"] == "accepted" and doc["handed_off_to"]["tracking_code"].startswith("KN-2026-")
    new = api("handler").get(f"/cases/{doc['handed_off_to']['id']}").json
    assert new["source_letter"] == {"id": doc["id"], "tracking_code": doc["tracking_code"]}
    assert new["kind"] == "complaint_first" and new["received_at"] == doc["received_at"]
    accept = next(c for c in new["clocks"] if c["name"] == "accept")
    # 7 working days from the letter's receipt, Mon 16/11/2026, not from the hand-off; 24/11 (Ngày Văn hóa Việt
    # Nam) is a day off in the calendar: 17-20, 23, 25, 26 -> Thu 26/11
    assert accept["start_date"] == "2026-11-16" and accept["due_date"] == "2026-11-26"


def test_letter_naming_a_denouncer_hides_him_from_a_handler_by_api(api, org):
    doc = new_letter(api, DENOUNCER, subject="Tố cáo cán bộ địa chính")
    assert doc["confidential"]
    seen = api("handler").get(f"/cases/{doc['id']}").json
    denouncer = next(p for p in seen["parties"] if p["role"] == "denouncer")
    assert denouncer["redacted"] and denouncer["name"] is None and denouncer["identity_number"] is None
    assert "Phạm Văn Dũng" not in str(seen) and "079000111222" not in str(seen)


def test_letter_classified_as_denunciation_becomes_confidential_by_api(api, org):
    doc = new_letter(api, [{"role": "petitioner", "name": "Trần Thị Hoa", "identity_number": "001086000777"}])
    assert not doc["confidential"]
    doc = act(api, "handler", doc, "classify", {"content_type": "denunciation", "competent": False})
    assert doc["confidential"]


def test_forward_of_a_denunciation_is_the_heads_and_tells_the_sender(api, org):
    doc = new_letter(api, DENOUNCER)
    doc = act(api, "handler", doc, "classify", {"content_type": "denunciation", "competent": False})
    fields = {"to_body": "Thanh tra tỉnh", "forwarded_on": "2026-11-25", "slip": "Chuyển đơn tố cáo"}
    act(api, "handler", doc, "forward_denunciation", fields, status=403)
    # forwarding is the head's decision (TT 05/2021 Art 14(1); TT 07/2014 Art 21(2)): no forward for the handler
    offered = api("handler").get(f"/cases/{doc['id']}").json["actions"]
    assert all(not a["allowed"] for a in offered if a["trigger"].startswith("forward"))
    doc = act(api, "head", doc, "forward_denunciation", fields)
    assert doc["state"] == "forwarded"
    events = api("head").get(f"/cases/{doc['id']}/events").json["items"]
    notice = next(e for e in events if e["action"] == "notify_sender")
    assert notice["label"] == "Thông báo cho người gửi đơn" and "Thanh tra tỉnh" in notice["payload"]["fields"]["notice"]
    # the number the sender is told is the slip's, given by the unit's register
    assert "phiếu chuyển số 1/PC-" in notice["payload"]["fields"]["notice"]


def test_complaint_guided_once_then_archived_with_reference_by_api(api, org):
    first = new_letter(api)
    first = act(api, "handler", first, "classify", {"content_type": "complaint_first", "competent": False})
    act(api, "head", first, "forward", {"to_body": "UBND xã", "forwarded_on": "2026-11-25", "slip": "x"}, status=400)
    first = act(api, "handler", first, "guide", {"guided_on": "2026-11-25", "guidance": "Gửi đơn đến UBND xã."})
    again = new_letter(api)
    again = act(api, "handler", again, "classify", {"content_type": "complaint_first", "competent": False})
    refused = act(api, "handler", again, "guide", {"guided_on": "2026-11-25", "guidance": "Lần hai"}, status=400)
    assert first["tracking_code"] in refused["error"]["message"]
    again = act(api, "handler", again, "archive_repeat", {"earlier_letter": first["tracking_code"]})
    assert again["state"] == "archived" and again["related_case_id"] == first["id"]


def test_duplicate_attached_to_the_open_case_by_api(api, org):
    open_case = api("reception").post("/cases", letter_body(kind="complaint_first", channel="walk_in")).json
    assert api("reception").post("/cases", letter_body()).status_code == 409  # the intake sees the likely duplicate
    doc = new_letter(api, confirm_duplicate=True)  # registered anyway, to be attached to the open case by triage
    doc = act(api, "handler", doc, "attach_duplicate", {"open_case": open_case["tracking_code"],
                                                        "notice": "Đơn trùng hồ sơ đang giải quyết"})
    assert doc["state"] == "archived" and doc["duplicate_of"]["id"] == open_case["id"]
    seen = api("handler").get(f"/cases/{open_case['id']}").json
    assert seen["duplicate_letters"] == [{"id": doc["id"], "tracking_code": doc["tracking_code"]}]
