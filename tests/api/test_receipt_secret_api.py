"""The receipt's secret through the API: answered once by POST /cases, null on the receipt afterwards, and a reissue
gives a new one (recorded) while the old one stops working (issue #14, item 7)."""
from __future__ import annotations

from sqlalchemy import select

from dvflow.models import Case, CaseEvent

from .conftest import complaint_body


def _track(api, code: str, secret: str):
    return api(None).post("/public/track", {"tracking_code": code, "secret": secret})


def test_the_creation_answers_the_secret_once_and_stores_only_its_hash(api, session):
    created = api("reception").post("/cases", complaint_body())
    case = created.json
    assert created.status_code == 201 and len(case["tracking_secret"]) == 6
    assert created.headers["Cache-Control"] == "no-store"
    assert _track(api, case["tracking_code"], case["tracking_secret"]).status_code == 200
    row = session.get(Case, case["id"])
    assert case["tracking_secret"] not in row.tracking_secret_hash and row.tracking_secret_hash.startswith("hmac_sha256$")
    assert api("head").get(f"/cases/{case['id']}").json["tracking_secret"] is None
    assert api("reception").get(f"/cases/{case['id']}/receipt").json["secret"] is None


def test_a_replay_of_the_same_key_answers_the_case_without_the_secret(api):
    a = api("reception")
    headers = {**a._headers(), "Idempotency-Key": "secret-once"}
    first = a.client.post("/api/v1/cases", json=complaint_body(), headers=headers)
    again = a.client.post("/api/v1/cases", json=complaint_body(), headers=headers)
    assert (first.status_code, again.status_code, again.json["id"]) == (201, 200, first.json["id"])
    assert first.json["tracking_secret"] and again.json["tracking_secret"] is None
    assert _track(api, first.json["tracking_code"], first.json["tracking_secret"]).status_code == 200


def test_a_reissue_gives_a_new_secret_records_it_and_the_old_one_stops_working(api, session, org):
    case = api("reception").post("/cases", complaint_body()).json
    resp = api("handler").post(f"/cases/{case['id']}/receipt/reissue", {"reason": "Công dân làm mất phiếu"})
    slip = resp.json
    assert resp.status_code == 200 and len(slip["secret"]) == 6 and slip["secret"] != case["tracking_secret"]
    assert slip["qr_link"].endswith(f"#ma={case['tracking_code']}&bm={slip['secret']}")
    assert resp.headers["Cache-Control"] == "no-store"
    assert _track(api, case["tracking_code"], case["tracking_secret"]).status_code == 404
    assert _track(api, case["tracking_code"], slip["secret"]).status_code == 200
    events = api("head").get(f"/cases/{case['id']}/events").json["items"]
    assert events[-1]["action"] == "reissue_secret" and events[-1]["label"] == "Cấp lại mã bí mật"
    assert events[-1]["payload"] == {"reason": "Công dân làm mất phiếu"}
    assert events[-1]["actor_id"] == org["users"]["handler"].id
    assert api("head").get(f"/cases/{case['id']}/receipt").json["secret"] is None  # once
    assert api("head").post(f"/cases/{case['id']}/receipt/reissue", {}).status_code == 200  # the reason is optional


def test_a_reissue_is_refused_to_a_supervisor_and_another_unit(api, session):
    case = api("reception").post("/cases", complaint_body()).json
    assert api("supervisor").post(f"/cases/{case['id']}/receipt/reissue", {}).status_code == 403
    assert api("other_head").post(f"/cases/{case['id']}/receipt/reissue", {}).status_code == 404
    assert api("head").post(f"/cases/{case['id']}/receipt/reissue", {"reason": "x" * 501}).status_code == 400
    assert session.scalars(select(CaseEvent).where(CaseEvent.action == "reissue_secret")).all() == []
    assert _track(api, case["tracking_code"], case["tracking_secret"]).status_code == 200
