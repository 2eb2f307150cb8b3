"""GET /api/v1/cases/<id>/receipt: what the receipt prints, under the names of the tracking lookup."""
from __future__ import annotations

from .conftest import complaint_body


def _create(api, **overrides) -> dict:
    resp = api("reception").post("/cases", complaint_body(**overrides))
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()


def test_the_receipt_of_a_walk_in_case(app, api, org):
    app.config["PUBLIC_BASE_URL"] = "https://dvflow.anphu.gov.vn"
    case = _create(api)
    resp = api("head").get(f"/cases/{case['id']}/receipt")
    assert resp.status_code == 200
    slip = resp.get_json()
    assert slip["title"] == "PHIẾU HẸN" and slip["slip"] == "appointment_slip"
    assert slip["tracking_code"] == case["tracking_code"] and slip["secret"] is None  # shown once, at creation
    assert slip["citizens"] == ["Lê Văn Cường"] and slip["officer_name"] == "Cán bộ reception"
    assert slip["received_on"] == "2026-11-25" and slip["unit_name"] == org["dept"].name
    assert slip["tracking_url"] == "https://dvflow.anphu.gov.vn/tra-cuu"
    assert slip["qr_link"] == f"https://dvflow.anphu.gov.vn/tra-cuu#ma={case['tracking_code']}"
    assert slip["deadline"]["due_date"] >= "2026-11-25"
    # the code, and the secret the creation answered, open the public lookup
    track = api(None).post("/public/track", {"tracking_code": slip["tracking_code"],
                                             "secret": case["tracking_secret"]})
    assert track.status_code == 200 and track.get_json()["unit_name"] == slip["unit_name"]


def test_a_letter_gets_a_receipt_notice(api):
    case = _create(api, channel="letter")
    slip = api("reception").get(f"/cases/{case['id']}/receipt").get_json()
    assert slip["title"] == "GIẤY BIÊN NHẬN ĐƠN" and slip["slip"] == "receipt_notice"


def test_another_units_receipt_is_not_found(api):
    case = _create(api)
    resp = api("other_head").get(f"/cases/{case['id']}/receipt")
    assert resp.status_code == 404 and "error" in resp.get_json()
