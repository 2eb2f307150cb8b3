"""A complaint from registration to closure using only the API and tokens, then its history and clocks."""
from __future__ import annotations

import pytest
from documents.fixtures.template import write_documents_dir

from .conftest import complaint_body


@pytest.fixture(autouse=True)
def document_templates(app, tmp_path):
    """The documents' fixture templates: the issuing actions number their documents (1/TB-STNMT …) whether or not
    the shipped templates are there."""
    app.config["DOCUMENTS_DIR"] = write_documents_dir(tmp_path / "documents")


def act(api, user: str, case: dict, trigger: str, fields: dict) -> dict:
    resp = api(user).post(f"/cases/{case['id']}/actions/{trigger}", {"fields": fields, "version": case["version"]})
    assert resp.status_code == 200, (trigger, resp.json)
    return resp.json


def test_complaint_through_every_step_by_api(api, org, clock):
    resp = api("reception").post("/cases", complaint_body())
    assert resp.status_code == 201, resp.json
    case = resp.json
    assert case["state"] == "received" and case["tracking_code"].startswith("KN-2026-")
    assert case["received_at"] == "2026-11-25T01:00:00+00:00"  # 08:00 in Hanoi
    assert case["clocks"] and case["clocks"][0]["explanation"]["lines"]
    case = api("head").post(f"/cases/{case['id']}/assign", {"assignee_id": org["users"]["handler"].id}).json
    assert case["assignee_id"] == org["users"]["handler"].id
    steps = [("head", "accept", {"decision_date": "2026-11-25"}),
             ("head", "verify", {"verifier": "Tổ xác minh"}),
             ("handler", "verification_report", {"report_date": "2026-11-25", "summary": "Đúng một phần"}),
             ("handler", "draft_decision", {}),
             ("handler", "submit", {"result": "right", "legal_basis": "Luật Đất đai 2024", "disposition": "cancel_all",
                                    "resolution": "Hủy bỏ quyết định thu hồi đất"}), ("head", "approve", {})]
    for user, trigger, fields in steps:
        clock.advance(minutes=10)
        case = act(api, user, case, trigger, fields)
    issue = next(a for a in case["actions"] if a["trigger"] == "issue_decision")
    result = next(f for f in issue["fields"] if f["name"] == "result")["choices"][0][0]
    case = act(api, "head", case, "issue_decision",
               {"decision_date": "2026-11-25", "result": result})
    case = act(api, "handler", case, "send_decision", {"sent_on": "2026-11-25"})
    assert case["status"] == "closed" and case["closed_at"]
    events = api("handler").get(f"/cases/{case['id']}/events").json["items"]
    assert [e["action"] for e in events] == ["register", "assign", "accept", "verify", "verification_report",
                                             "draft_decision", "submit", "approve", "issue_decision",
                                             "send_decision"]
    assert events[2]["label"] == "Thụ lý" and events[2]["payload"]["fields"]["decision_number"] == "1/TB-STNMT"
    clocks = api("handler").get(f"/cases/{case['id']}/clocks").json["items"]
    assert clocks and all(c["closed"] for c in clocks)


def test_list_and_filters(api, org):
    ids = [api("reception").post("/cases", complaint_body(subject=f"Đơn số {i}")).json["id"] for i in range(3)]
    listing = api("handler").get("/cases?limit=2&offset=0&kind=complaint_first").json
    assert listing["total"] == 3 and len(listing["items"]) == 2
    assert api("handler").get("/cases?q=don so 1").json["total"] == 1
    assert api("handler").get("/cases?state=accepted").json["total"] == 0
    assert {c["id"] for c in api("supervisor").get("/cases").json["items"]} == set(ids)
    assert api("other_head").get("/cases").json["total"] == 0


def test_detail_shows_clock_explanation_and_actions(api, org):
    case = api("reception").post("/cases", complaint_body()).json
    detail = api("head").get(f"/cases/{case['id']}").json
    clock = detail["clocks"][0]
    assert clock["due_date"] and clock["days_left"] is not None and clock["explanation"]["text"]
    accept = next(a for a in detail["actions"] if a["trigger"] == "accept")
    assert accept["allowed"] and {f["name"] for f in accept["fields"]} == {"decision_number", "decision_date",
                                                                               "forwarded_by_body"}
    assert detail["parties"][0]["name"] == "Lê Văn Cường"
