"""The reception session API: a session with its visits, recording a visit in every outcome, closing; errors are
JSON naming the field (SQLite and PostgreSQL)."""
from __future__ import annotations

from datetime import date

from reception.helpers import make_session
from sqlalchemy import select

from dvflow.models import Case, ReceptionVisit

VISIT = {"citizen_name": "Nguyễn Văn An", "summary": "Khiếu nại thu hồi đất", "content_type": "complaint",
         "outcome": "answered", "result_note": "Đã giải thích", "identity_number": "001086000123"}


def test_visits_in_each_outcome_and_the_session(session, api, org):
    rs = make_session(session, org["dept"], day=date(2026, 11, 20))
    path = f"/reception/sessions/{rs.id}/visits"
    answered = api("reception").post(path, VISIT)
    assert answered.status_code == 201 and answered.get_json()["seq"] == 1
    guided = api("reception").post(path, {**VISIT, "outcome": "guided", "guided_to": "UBND xã",
                                          "guidance_number": "3/HD"})
    assert guided.status_code == 201
    opened = api("reception").post(path, {**VISIT, "outcome": "case_opened", "case_kind": "complaint_first"})
    assert opened.status_code == 201
    case = session.get(Case, opened.get_json()["case_id"])
    assert case.received_at.date() == date(2026, 11, 20) and opened.get_json()["case_code"] == case.tracking_code
    refused = api("reception").post(path, {**VISIT, "content_type": "denunciation", "outcome": "refused",
                                           "refusal_ground": "persistent_resolved"})
    body = refused.get_json()
    assert refused.status_code == 201 and body["refusal_notice_due"] == "2026-11-26"
    assert body["confidential"] and body["citizen_name"] == "Được giữ bí mật" and body["identity_number"] is None
    got = api("supervisor").get(f"/reception/sessions/{rs.id}").get_json()
    assert [v["outcome"] for v in got["visits"]] == ["answered", "guided", "case_opened", "refused"]
    assert "001086000123" not in str(got["visits"][3])


def test_errors_name_the_field(session, api, org):
    rs = make_session(session, org["dept"])
    path = f"/reception/sessions/{rs.id}/visits"
    for body, field in (({**VISIT, "citizen_name": ""}, "citizen_name"), ({**VISIT, "outcome": "x"}, "outcome"),
                        ({**VISIT, "outcome": "guided"}, "guided_to"),
                        ({**VISIT, "outcome": "refused"}, "refusal_ground"),
                        ({**VISIT, "outcome": "case_opened", "case_kind": "nope"}, "case_kind"),
                        ({**VISIT, "booking_id": 2147483647}, "booking_id")):  # a 404 naming no field before
        resp = api("reception").post(path, body)
        assert resp.status_code == 400, body
        assert field in [f["field"] for f in resp.get_json()["error"]["fields"]], resp.get_json()
    assert session.scalar(select(ReceptionVisit.id)) is None
    assert api("supervisor").post(path, VISIT).status_code == 403
    assert api("other_head").post(path, VISIT).status_code == 404
    assert api("other_head").get(f"/reception/sessions/{rs.id}").status_code == 404


def test_closing_an_online_session(session, api, org):
    rs = make_session(session, org["dept"], mode="online")
    path = f"/reception/sessions/{rs.id}/close"
    resp = api("reception").post(path, {})
    assert resp.status_code == 400 and resp.get_json()["error"]["fields"][0]["field"] == "recording_ref"
    done = api("reception").post(path, {"recording_ref": "NAS/2026/11/25"})
    assert done.status_code == 200 and done.get_json()["status"] == "held"
    assert api("reception").post(path, {"recording_ref": "NAS/2026/11/25"}).status_code == 409


def test_the_operations_are_documented(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert {"/api/v1/reception/sessions/{session_id}", "/api/v1/reception/sessions/{session_id}/visits",
            "/api/v1/reception/sessions/{session_id}/close"} <= set(doc["paths"])
    # named apart from the schedule's session models, so neither replaces the other in the components
    answer = doc["paths"]["/api/v1/reception/sessions/{session_id}"]["get"]["responses"]["200"]
    ref = answer["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert ref == "ReceptionSessionOut" and "visits" in doc["components"]["schemas"][ref]["properties"]


def test_a_visit_whose_letter_became_a_denunciation_is_protected(session, api, org):
    """Recorded as a feedback into a denunciation, or as a complaint into a letter classified as a denunciation
    later: the visitor is a denouncer, in the answer of the recording and in the session's visits."""
    rs = make_session(session, org["dept"], day=date(2026, 11, 20))
    path = f"/reception/sessions/{rs.id}/visits"
    secret = {**VISIT, "citizen_name": "Đỗ Văn Tố Giác", "summary": "Phản ánh chủ tịch xã nhận tiền",
              "outcome": "case_opened", "result_note": None}
    opened = api("reception").post(path, {**secret, "content_type": "feedback", "case_kind": "denunciation"})
    assert opened.status_code == 201 and opened.get_json()["confidential"]
    letter = api("reception").post(path, {**secret, "case_kind": "triage"}).get_json()
    classified = api("head").post(f"/cases/{letter['case_id']}/actions/classify",
                                  {"fields": {"content_type": "denunciation", "competent": True}})
    assert classified.status_code == 200, classified.get_json()
    got = api("supervisor").get(f"/reception/sessions/{rs.id}")
    assert [v["confidential"] for v in got.get_json()["visits"]] == [True, True]
    assert "Đỗ Văn Tố Giác" not in got.get_data(as_text=True) and "001086000123" not in got.get_data(as_text=True)
    assert "Phản ánh chủ tịch xã" not in got.get_data(as_text=True)
