"""The reasons officers type for a correction, a new receipt secret or a voiding are need-to-know in a confidential
case, like its content: they name the denouncer ("ghi nhầm họ tên người tố cáo …"). The head reads them; a handler the
head did not designate reads "reason_redacted" (identity review, 12/2026)."""
from __future__ import annotations

import json

from .conftest import complaint_body

DENOUNCER = "Người Bí Mật"
#: what an officer naturally writes when correcting a denouncer's misspelt name: the old and the new name
NAME_REASON = "Ghi nhầm họ tên người tố cáo: Người Bí Mật, đúng là Người Bí Mật Mới"


def _denunciation(api) -> dict:
    resp = api("reception").post("/cases", complaint_body(
        kind="denunciation", content="Ông A nhận tiền", parties=[{"role": "denouncer", "name": DENOUNCER},
                                                                 {"role": "accused", "name": "Ông Bị Tố"}]))
    assert resp.status_code == 201, resp.json
    return resp.json


def test_correction_reason_of_a_hidden_denouncer_is_shown_to_the_handler(api):
    case = _denunciation(api)
    party = next(p["id"] for p in case["parties"] if p["role"] == "denouncer")
    head = api("head")
    fixed = head.client.patch(f"/api/v1/cases/{case['id']}", headers=head._headers(), json={
        "reason": NAME_REASON, "parties": [{"id": party, "name": "Người Bí Mật Mới"}], "version": case["version"]})
    assert fixed.status_code == 200, fixed.json
    # the handler sees the case but may not reveal (not designated by the head): the party itself is redacted...
    detail = api("handler").get(f"/cases/{case['id']}").json
    assert all(p["name"] is None for p in detail["parties"] if p["role"] == "denouncer")
    # ...but the correction's free-text reason, stored in the history, names the denouncer
    body = json.dumps(api("handler").get(f"/cases/{case['id']}/events").json, ensure_ascii=False)
    assert DENOUNCER not in body and '"reason_redacted": true' in body
    # the head, who may reveal, reads the reason as typed
    assert NAME_REASON in json.dumps(head.get(f"/cases/{case['id']}/events").json, ensure_ascii=False)


def test_reissue_reason_naming_the_denouncer_is_shown_to_the_handler(api):
    case = _denunciation(api)
    resp = api("reception").post(f"/cases/{case['id']}/receipt/reissue",
                                 {"reason": f"Ông {DENOUNCER} báo mất phiếu hẹn, xin cấp lại"})
    assert resp.status_code == 200, resp.json
    body = json.dumps(api("handler").get(f"/cases/{case['id']}/events").json, ensure_ascii=False)
    assert DENOUNCER not in body


def test_void_reason_naming_the_denouncer_is_shown_to_the_handler(api):
    case = _denunciation(api)
    resp = api("head").post(f"/cases/{case['id']}/void",
                            {"reason": f"Ông {DENOUNCER} nộp trùng đơn, đã tiếp nhận ở hồ sơ khác",
                             "version": case["version"]})
    assert resp.status_code == 200, resp.json
    handler = api("handler")
    detail = json.dumps(handler.get(f"/cases/{case['id']}").json, ensure_ascii=False)
    events = json.dumps(handler.get(f"/cases/{case['id']}/events").json, ensure_ascii=False)
    assert DENOUNCER not in detail and DENOUNCER not in events
    assert handler.get(f"/cases/{case['id']}").json["void_reason"] is None
    head = json.dumps(api("head").get(f"/cases/{case['id']}").json, ensure_ascii=False)
    assert f"Ông {DENOUNCER} nộp trùng đơn" in head


def test_a_complaints_reasons_are_shown_to_all_who_see_it(api):
    """Only a confidential case withholds them: a complaint's void reason is read by the handler too."""
    resp = api("reception").post("/cases", complaint_body(parties=[{"role": "complainant", "name": DENOUNCER}]))
    case = resp.json
    assert api("head").post(f"/cases/{case['id']}/void", {"reason": "Công dân rút đơn, xin không giải quyết nữa",
                                                           "version": case["version"]}).status_code == 200
    assert api("handler").get(f"/cases/{case['id']}").json["void_reason"].startswith("Công dân rút đơn")
