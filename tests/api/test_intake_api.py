"""POST /api/v1/cases for mass cases, identity types and likely duplicates; PUT .../representatives; field paths."""
from __future__ import annotations

from sqlalchemy import func, select

from dvflow.models import Case

from .conftest import complaint_body

ACCEPT = {"fields": {"decision_date": "2026-11-25"}}


def mass_body(**kw) -> dict:
    signers = [{"name": f"Người ký {i}", "identity_number": f"0010860002{i:02d}", "identity_type": "cccd"}
               for i in range(6)]
    return complaint_body(subject="Khiếu nại bồi thường của nhiều hộ", people_count=15, signers=signers, **kw)


def put(api, user, path, body):
    a = api(user)
    return a.client.put(f"/api/v1{path}", json=body, headers=a._headers())


def test_a_mass_case_is_recorded_and_accepted_only_with_valid_representatives(api):
    created = api("reception").post("/cases", mass_body())
    assert created.status_code == 201, created.json
    case = created.json
    assert (case["mass"], case["people_count"], case["appointment_reference"]) == (True, 15, None)
    assert sum(p["role"] == "complainant" for p in case["parties"]) == 7
    as_head = api("head").get(f"/cases/{case['id']}").json
    accept = next(a for a in as_head["actions"] if a["trigger"] == "accept")
    assert accept["allowed"] is False and "chưa có người đại diện" in accept["reason"]
    refused = api("head").post(f"/cases/{case['id']}/actions/accept", ACCEPT)
    assert refused.status_code == 400 and "Điều 29" in refused.json["error"]["message"]

    update = {"representatives": [{"name": "Trần Đại Diện", "identity_number": "001086000321",
                                   "identity_type": "cccd"}],
              "people_count": 15, "appointment_reference": "01/VB-CD", "appointment_date": "2026-11-20"}
    updated = put(api, "reception", f"/cases/{case['id']}/representatives", update)
    assert updated.status_code == 200, updated.json
    reps = [p for p in updated.json["parties"] if p["role"] == "representative"]
    assert [(p["name"], p["identity_type"]) for p in reps] == [("Trần Đại Diện", "cccd")]
    assert updated.json["appointment_date"] == "2026-11-20"
    assert api("head").post(f"/cases/{case['id']}/actions/accept", ACCEPT).status_code == 200
    events = api("head").get(f"/cases/{case['id']}/events").json["items"]
    assert any(e["action"] == "update_representatives" for e in events)


def test_representatives_update_refuses_too_many_and_others(api):
    case = api("reception").post("/cases", mass_body()).json
    six = {"representatives": [{"name": f"Đ{i}"} for i in range(6)]}
    resp = put(api, "reception", f"/cases/{case['id']}/representatives", six)
    assert resp.status_code == 400 and resp.json["error"]["fields"][0]["field"] == "representatives"
    bad = {"representatives": [{"name": "A", "identity_type": "cccd", "identity_number": "123"}]}
    resp = put(api, "reception", f"/cases/{case['id']}/representatives", bad)
    assert resp.json["error"]["fields"][0]["field"] == "representatives[0].identity_number"
    assert put(api, "other_head", f"/cases/{case['id']}/representatives", six).status_code == 404
    no_file = put(api, "reception", f"/cases/{case['id']}/representatives",
                  {"representatives": [{"name": "A"}], "appointment_attachment_id": 999})
    assert no_file.json["error"]["fields"][0]["field"] == "appointment_attachment_id"
    stale = put(api, "reception", f"/cases/{case['id']}/representatives",
                {"representatives": [], "version": case["version"] + 5})
    assert stale.status_code == 409


def test_representatives_update_checks_permission_before_the_version(api):
    """One who may see but not update the case is refused as such, whatever version it sends (a wrong one was told
    the case had changed: the version was compared before the permission, outside the row lock)."""
    case = api("reception").post("/cases", mass_body()).json
    path = f"/cases/{case['id']}/representatives"
    for version in (None, case["version"], case["version"] + 98):
        resp = put(api, "supervisor", path, {"representatives": [{"name": "C"}], "version": version})
        assert resp.status_code == 403, (version, resp.json)
    assert put(api, "reception", path, {"representatives": [{"name": "C"}],
                                        "version": case["version"] + 98}).status_code == 409
    ok = put(api, "reception", path, {"representatives": [{"name": "C"}], "version": case["version"]})
    assert ok.status_code == 200, ok.json


def test_identity_type_is_validated_stored_and_shown(api, session):
    party = {"role": "respondent", "name": "Chi nhánh Công ty A", "kind": "organisation",
             "identity_type": "tax_code", "identity_number": "0101234567-001"}
    body = complaint_body(parties=[*complaint_body()["parties"], party])
    case = api("reception").post("/cases", body).json
    assert [(p["identity_type"], p["identity_number"]) for p in case["parties"]][1] == ("tax_code", "0101234567-001")
    bad = complaint_body(parties=[{"role": "complainant", "name": "A", "identity_type": "cccd",
                                   "identity_number": "12345"}])
    resp = api("reception").post("/cases", bad)
    assert resp.status_code == 400
    assert resp.json["error"]["fields"] == [{"field": "parties[0].identity_number",
                                             "message": "Số CCCD của đương sự thứ 1 không hợp lệ: gồm đúng 12 chữ số."}]
    unknown = api("reception").post("/cases", complaint_body(parties=[{"role": "complainant", "name": "A",
                                                                       "identity_type": "visa"}]))
    assert [f["field"] for f in unknown.json["error"]["fields"]] == ["parties[0].identity_type"]


def test_a_likely_duplicate_is_409_with_candidates_until_confirmed(api, session):
    first = api("reception").post("/cases", complaint_body()).json
    body = {k: v for k, v in complaint_body(subject="Đề nghị khác hẳn").items() if k != "confirm_duplicate"}
    resp = api("reception").post("/cases", body)
    assert resp.status_code == 409
    error = resp.json["error"]
    assert [c["tracking_code"] for c in error["candidates"]] == [first["tracking_code"]]
    assert error["fields"][0]["field"] == "confirm_duplicate" and first["tracking_code"] in error["message"]
    assert session.scalar(select(func.count()).select_from(Case)) == 1
    assert api("reception").post("/cases", {**body, "confirm_duplicate": True}).status_code == 201


def test_a_repeated_key_still_finds_its_case_without_the_confirmation(api):
    a = api("reception")
    first = a.client.post("/api/v1/cases", json=complaint_body(), headers={**a._headers(), "Idempotency-Key": "k-1"})
    body = {k: v for k, v in complaint_body().items() if k != "confirm_duplicate"}
    again = a.client.post("/api/v1/cases", json=body, headers={**a._headers(), "Idempotency-Key": "k-1"})
    assert (first.status_code, again.status_code, again.json["id"]) == (201, 200, first.json["id"])


def test_nested_fields_are_named_with_brackets_everywhere(api):
    bodies = [complaint_body(parties=[{"role": "complainant"}]),  # pydantic: missing
              complaint_body(parties=[{"role": "complainant", "name": "A\x00"}]),  # NUL, before validation
              complaint_body(parties=[{"role": "complainant", "name": "A", "phone": "abc"}])]  # the service
    fields = [api("reception").post("/cases", b).json["error"]["fields"][0]["field"] for b in bodies]
    assert fields == ["parties[0].name", "parties[0].name", "parties[0].phone"]


def test_openapi_documents_the_duplicate_answer_and_the_new_fields(client):
    doc = client.get("/api/v1/openapi.json").json
    create = doc["paths"]["/api/v1/cases"]["post"]
    assert "confirm_duplicate" in create["responses"]["409"]["description"]
    props = doc["components"]["schemas"]["CaseCreate"]["properties"]
    assert {"people_count", "signers", "appointment_reference", "confirm_duplicate"} <= set(props)
    assert "candidates" in doc["components"]["schemas"]["ErrorBody"]["properties"]
    assert "put" in doc["paths"]["/api/v1/cases/{case_id}/representatives"]


def test_a_complainant_from_a_remote_area_is_recorded_and_gets_the_longer_limit(api):
    """Luật Khiếu nại 2011, Điều 28: 45 days instead of 30 for a complainant in a remote, hard-to-reach area, though
    the department resolving the complaint is not remote."""
    created = api("reception").post("/cases", complaint_body(remote_area=True))
    assert created.status_code == 201, created.json
    assert created.json["remote_area"] is True
    accepted = api("head").post(f"/cases/{created.json['id']}/actions/accept", ACCEPT)
    assert accepted.status_code == 200, accepted.json
    resolve = next(c for c in accepted.json["clocks"] if c["name"] == "resolve")
    assert resolve["due_date"] == "2027-01-11"  # 25/11/2026 + 45 days = Sat 09/01/2027, so Mon 11/01
    plain = api("reception").post("/cases", complaint_body()).json
    assert plain["remote_area"] is False
